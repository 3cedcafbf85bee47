/**
 * Every v1 REST API operation of the emulator through the SDK v3 client: REST APIs, import/put, resources,
 * methods, models, authorizers, validators, gateway responses, deployments (frozen snapshots), stages,
 * export, SDK types, and the 501 of known-but-unimplemented operations. Recorded AWS behaviour is covered
 * by v1-rest-apis-replay.test.ts; this file covers what the recordings do not.
 */
import assert from 'node:assert/strict'
import {readFileSync, rmSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  GetAuthorizerCommand,
  GetAuthorizersCommand,
  GetDeploymentCommand,
  GetExportCommand,
  GetGatewayResponsesCommand,
  GetIntegrationResponseCommand,
  GetMethodCommand,
  GetModelCommand,
  GetModelsCommand,
  GetRequestValidatorCommand,
  GetRequestValidatorsCommand,
  GetResourceCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetSdkCommand,
  GetSdkTypeCommand,
  GetSdkTypesCommand,
  GetStageCommand,
  ImportRestApiCommand,
  PutRestApiCommand,
  UpdateDeploymentCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import {parse as parseYaml} from 'yaml'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {rejectsWith} from '../helpers/rejects.ts'

const SPECS = new URL('../fixtures/specs/', import.meta.url).pathname
const GROUND_TRUTH = new URL('../fixtures/ground-truth/', import.meta.url).pathname

const PETS_OAS = (paths: string[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    openapi: '3.0.1',
    info: {title: 'pets', version: '1.0'},
    paths: Object.fromEntries(
      paths.map((p) => [
        p,
        {
          get: {
            parameters: [{name: 'limit', in: 'query', required: true, schema: {type: 'string'}}],
            responses: {200: {description: 'ok', content: {'application/json': {schema: {$ref: '#/components/schemas/Pet'}}}}},
            'x-amazon-apigateway-integration': {type: 'http_proxy', httpMethod: 'GET', uri: `http://example.com${p}`},
          },
        },
      ]),
    ),
    components: {schemas: {Pet: {type: 'object', properties: {id: {type: 'integer'}}}}},
    ...extra,
  })

describe('v1 REST APIs through the SDK', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  const importSpec = async (body: string | Buffer, input: {failOnWarnings?: boolean; parameters?: Record<string, string>} = {}) =>
    t.v1.send(new ImportRestApiCommand({body: Buffer.from(body), ...input}))

  describe('REST APIs', () => {
    it('pages GetRestApis with limit and position, the one v1 paging rule (a limit over 500 is capped, none is refused)', async () => {
      // Given three APIs
      const ids: string[] = []
      for (const name of ['page-a', 'page-b', 'page-c']) ids.push((await t.v1.send(new CreateRestApiCommand({name}))).id!)
      // When listed two at a time
      const first = await t.v1.send(new GetRestApisCommand({limit: 2}))
      assert.equal(first.items?.length, 2)
      assert.ok(first.position, 'a first page names the next position')
      const rest = await t.v1.send(new GetRestApisCommand({limit: 500, position: first.position}))
      // Then every API appears once, in creation order, and the last page has no position
      const all = [...(first.items ?? []), ...(rest.items ?? [])].map((a) => a.id)
      assert.deepEqual(
        all.filter((id) => ids.includes(id!)),
        ids,
      )
      assert.equal(rest.position, undefined)
      // The same rule as GetApiKeys (recording 13): a zero limit is an empty page, a limit over 500 is capped
      assert.deepEqual((await t.v1.send(new GetRestApisCommand({limit: 0}))).items ?? [], [])
      assert.equal((await t.v1.send(new GetRestApisCommand({limit: 501}))).items?.length, all.length)
    })

    it('answers an unknown API id with AWS NotFound message, and deletes an API with everything under it', async () => {
      await rejectsWith(t.v1.send(new GetRestApiCommand({restApiId: 'nope123456'})), {
        name: 'NotFoundException',
        status: 404,
        message: 'Invalid API identifier specified 000000000000:nope123456',
      })
      const api = await importSpec(PETS_OAS(['/pets']))
      await t.v1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'dev'}))
      await t.v1.send(new DeleteRestApiCommand({restApiId: api.id!}))
      await rejectsWith(t.v1.send(new GetResourcesCommand({restApiId: api.id!})), {
        name: 'NotFoundException',
        status: 404,
        message: /Invalid API identifier/,
      })
      assert.equal(t.emulator.store.count('stage', api.id!), 0)
      assert.equal(t.emulator.store.count('resource', api.id!), 0)
    })

    it('clones an API with cloneFrom: same configuration, fresh ids, authorizers re-linked', async () => {
      // Given an imported API with an authorizer
      const recording = JSON.parse(readFileSync(`${GROUND_TRUTH}18-import-oas30-global-request-authorizer.json`, 'utf8')) as {
        inputs: {spec: {content: unknown}}
      }
      const source = await importSpec(JSON.stringify(recording.inputs.spec.content))
      // When it is cloned
      const clone = await t.v1.send(new CreateRestApiCommand({name: 'clone', cloneFrom: source.id!}))
      // Then the clone has the same paths under new ids, and its methods point at its own authorizer
      const list = async (restApiId: string) => (await t.v1.send(new GetResourcesCommand({restApiId, embed: ['methods']}))).items ?? []
      const [from, to] = [await list(source.id!), await list(clone.id!)]
      assert.deepEqual(to.map((r) => r.path).sort(), from.map((r) => r.path).sort())
      assert.equal(
        to.some((r) => from.some((f) => f.id === r.id)),
        false,
      )
      const [authorizer] = (await t.v1.send(new GetAuthorizersCommand({restApiId: clone.id!}))).items ?? []
      const pets = to.find((r) => r.path === '/pets')!
      assert.equal(pets.resourceMethods?.GET?.authorizerId, authorizer?.id)
      assert.equal(pets.resourceMethods?.GET?.methodIntegration?.cacheNamespace, pets.id)
      await rejectsWith(t.v1.send(new CreateRestApiCommand({name: 'x', cloneFrom: 'nope000000'})), {
        name: 'NotFoundException',
        status: 404,
        message: /Invalid API identifier/,
      })
    })

    it('gives a new API the default Empty and Error models', async () => {
      const api = await t.v1.send(new CreateRestApiCommand({name: 'models'}))
      const models = await t.v1.send(new GetModelsCommand({restApiId: api.id!}))
      assert.deepEqual(models.items?.map((m) => m.name).sort(), ['Empty', 'Error'])
      const empty = await t.v1.send(new GetModelCommand({restApiId: api.id!, modelName: 'Empty'}))
      assert.equal(JSON.parse(empty.schema!).title, 'Empty Schema')
      await rejectsWith(t.v1.send(new GetModelCommand({restApiId: api.id!, modelName: 'Nope'})), {
        name: 'NotFoundException',
        status: 404,
        message: 'Invalid model name specified: Nope',
      })
    })
  })

  describe('ImportRestApi and PutRestApi', () => {
    const withBadParam = JSON.stringify({
      swagger: '2.0',
      info: {title: 'warn', version: '1'},
      paths: {
        '/a': {
          get: {responses: {}, 'x-amazon-apigateway-integration': {type: 'mock', requestParameters: {'integration.request.header.x': 7}}},
        },
      },
    })

    it('returns warnings, or fails with them under failOnWarnings', async () => {
      const api = await importSpec(withBadParam)
      assert.deepEqual(api.warnings, [
        "Invalid format for 'requestParameters'. Expected type string for property 'integration.request.header.x' of resource '/a' and method 'GET' but got '7'",
      ])
      await rejectsWith(importSpec(withBadParam, {failOnWarnings: true}), {
        name: 'BadRequestException',
        status: 400,
        message: /^Warnings found during import:\n\tInvalid format for 'requestParameters'/,
      })
    })

    it('takes endpointConfigurationTypes from the import parameters, and accepts YAML', async () => {
      const yaml =
        'openapi: 3.0.1\ninfo: {title: yaml-api, version: "2"}\npaths:\n  /x:\n    get:\n      responses: {"200": {description: ok}}\n'
      const api = await importSpec(yaml, {parameters: {endpointConfigurationTypes: 'REGIONAL'}})
      assert.equal(api.name, 'yaml-api')
      assert.deepEqual(api.endpointConfiguration?.types, ['REGIONAL'])
    })

    const cases = [
      {mode: 'merge', expected: ['/', '/cats', '/pets']},
      {mode: 'overwrite', expected: ['/', '/cats']},
    ] as const
    for (const {mode, expected} of cases) {
      it(`PutRestApi mode=${mode} ${mode === 'merge' ? 'keeps' : 'drops'} resources the new document lacks`, async () => {
        const api = await importSpec(PETS_OAS(['/pets']))
        await t.v1.send(new PutRestApiCommand({restApiId: api.id!, mode, body: Buffer.from(PETS_OAS(['/cats']))}))
        const resources = await t.v1.send(new GetResourcesCommand({restApiId: api.id!}))
        assert.deepEqual(resources.items?.map((r) => r.path).sort(), expected)
        assert.equal(resources.items?.find((r) => r.path === '/')?.id, api.rootResourceId, 'the root resource keeps its id')
      })
    }
  })

  describe('resources, methods, integrations, authorizers, validators, gateway responses', () => {
    let restApiId: string
    let validation: {id: string; postMethod: {requestValidatorId?: string}}
    before(async () => {
      restApiId = (await importSpec(readFileSync(`${SPECS}aws-rest-request-validators-swagger2.json`))).id!
      const resources = await t.v1.send(new GetResourcesCommand({restApiId, embed: ['methods']}))
      const r = resources.items!.find((x) => x.path === '/validation')!
      validation = {id: r.id!, postMethod: r.resourceMethods!.POST!}
    })

    it('embeds whole methods only with embed=methods', async () => {
      const plain = await t.v1.send(new GetResourceCommand({restApiId, resourceId: validation.id}))
      assert.deepEqual(plain.resourceMethods, {GET: {}, POST: {}})
      const embedded = await t.v1.send(new GetResourceCommand({restApiId, resourceId: validation.id, embed: ['methods']}))
      assert.equal(embedded.resourceMethods?.GET?.methodIntegration?.type, 'HTTP')
      assert.deepEqual(embedded.resourceMethods?.GET?.requestParameters, {'method.request.querystring.q1': true})
    })

    it('links methods to request validators', async () => {
      const validators = await t.v1.send(new GetRequestValidatorsCommand({restApiId}))
      assert.deepEqual(validators.items?.map((v) => v.name).sort(), ['all', 'params-only'])
      const all = validators.items!.find((v) => v.name === 'all')!
      assert.equal(validation.postMethod.requestValidatorId, all.id)
      const one = await t.v1.send(new GetRequestValidatorCommand({restApiId, requestValidatorId: all.id!}))
      assert.deepEqual({body: one.validateRequestBody, params: one.validateRequestParameters}, {body: true, params: true})
      await rejectsWith(t.v1.send(new GetRequestValidatorCommand({restApiId, requestValidatorId: 'zzz'})), {
        name: 'NotFoundException',
        status: 404,
        message: 'Invalid Request Validator identifier specified',
      })
    })

    it('answers unknown methods, response codes and authorizers with AWS NotFound messages', async () => {
      const cases = [
        {
          send: t.v1.send(new GetMethodCommand({restApiId, resourceId: validation.id, httpMethod: 'PUT'})),
          message: 'Invalid Method identifier specified',
        },
        {
          send: t.v1.send(new GetIntegrationResponseCommand({restApiId, resourceId: validation.id, httpMethod: 'GET', statusCode: '599'})),
          message: 'Invalid Response status code specified',
        },
        {send: t.v1.send(new GetResourceCommand({restApiId, resourceId: 'nope'})), message: 'Invalid Resource identifier specified'},
        {send: t.v1.send(new GetAuthorizerCommand({restApiId, authorizerId: 'nope'})), message: 'Invalid Authorizer identifier specified'},
      ]
      for (const c of cases) await rejectsWith(c.send, {name: 'NotFoundException', status: 404, message: c.message})
    })

    it('keeps integration responses by status code with their selection patterns', async () => {
      const ir = await t.v1.send(
        new GetIntegrationResponseCommand({restApiId, resourceId: validation.id, httpMethod: 'GET', statusCode: '200'}),
      )
      assert.equal(ir.selectionPattern, '2\\d{2}')
      const fallback = await t.v1.send(
        new GetIntegrationResponseCommand({restApiId, resourceId: validation.id, httpMethod: 'GET', statusCode: '400'}),
      )
      assert.equal(fallback.selectionPattern, undefined)
      assert.equal(fallback.responseTemplates?.['application/xml'], 'xml 400 response template')
    })

    it('lists every gateway response type, the customised ones from the document included', async () => {
      const recording = JSON.parse(readFileSync(`${GROUND_TRUTH}01-import-rest-api-swagger.json`, 'utf8')) as {
        inputs: {spec: {content: unknown}}
      }
      const api = await importSpec(JSON.stringify(recording.inputs.spec.content))
      const responses = await t.v1.send(new GetGatewayResponsesCommand({restApiId: api.id!}))
      assert.equal(responses.items?.length, 21)
      const unauthorized = responses.items!.find((g) => g.responseType === 'UNAUTHORIZED')!
      assert.deepEqual({status: unauthorized.statusCode, custom: !unauthorized.defaultResponse}, {status: '401', custom: true})
      const throttled = responses.items!.find((g) => g.responseType === 'THROTTLED')!
      assert.deepEqual({status: throttled.statusCode, default: throttled.defaultResponse}, {status: '429', default: true})
    })

    it('maps security schemes with x-amazon-apigateway-authorizer to authorizers', async () => {
      const spec = readFileSync(`${GROUND_TRUTH}02-import-swagger-petstore-authorizers-models.json`, 'utf8')
      const content = (JSON.parse(spec) as {inputs: {spec: {content: unknown}}}).inputs.spec.content
      const api = await importSpec(typeof content === 'string' ? content : JSON.stringify(content))
      const authorizers = await t.v1.send(new GetAuthorizersCommand({restApiId: api.id!}))
      const used = authorizers.items!.find((a) => a.name === 'test-authorizer')!
      const one = await t.v1.send(new GetAuthorizerCommand({restApiId: api.id!, authorizerId: used.id!}))
      assert.deepEqual({type: one.type, ttl: one.authorizerResultTtlInSeconds}, {type: 'TOKEN', ttl: 60})
    })
  })

  describe('deployments and stages', () => {
    it('freezes the configuration in the deployment: exports read the stage deployment, not the live API', async () => {
      // Given a deployment of /pets, then the live API overwritten with /cats and deployed to another stage
      const api = await importSpec(PETS_OAS(['/pets']))
      const d1 = await t.v1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'old', description: 'first'}))
      await t.v1.send(new PutRestApiCommand({restApiId: api.id!, mode: 'overwrite', body: Buffer.from(PETS_OAS(['/cats']))}))
      await t.v1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'new'}))
      // When both stages are exported
      const paths = async (stageName: string) => {
        const out = await t.v1.send(new GetExportCommand({restApiId: api.id!, stageName, exportType: 'oas30'}))
        return Object.keys((JSON.parse(Buffer.from(out.body!).toString('utf8')) as {paths: object}).paths)
      }
      // Then each shows its own deployment's paths
      assert.deepEqual(await paths('old'), ['/pets'])
      assert.deepEqual(await paths('new'), ['/cats'])
      const summary = await t.v1.send(new GetDeploymentCommand({restApiId: api.id!, deploymentId: d1.id!, embed: ['apisummary']}))
      assert.deepEqual(summary.apiSummary, {'/pets': {GET: {authorizationType: 'NONE', apiKeyRequired: false}}})
      assert.equal(summary.description, 'first')
      const updated = await t.v1.send(
        new UpdateDeploymentCommand({
          restApiId: api.id!,
          deploymentId: d1.id!,
          patchOperations: [{op: 'replace', path: '/description', value: 'renamed'}],
        }),
      )
      assert.equal(updated.description, 'renamed')
      await rejectsWith(t.v1.send(new GetDeploymentCommand({restApiId: api.id!, deploymentId: 'nope'})), {
        name: 'NotFoundException',
        status: 404,
        message: 'Invalid Deployment identifier specified',
      })
    })

    it('creates a stage from CreateDeployment with its stage members', async () => {
      const api = await importSpec(PETS_OAS(['/pets']))
      await t.v1.send(
        new CreateDeploymentCommand({
          restApiId: api.id!,
          stageName: 'beta',
          stageDescription: 'beta stage',
          cacheClusterEnabled: true,
          cacheClusterSize: '1.6',
          tracingEnabled: true,
          variables: {v: '1'},
        }),
      )
      const stage = await t.v1.send(new GetStageCommand({restApiId: api.id!, stageName: 'beta'}))
      assert.deepEqual(
        {d: stage.description, c: stage.cacheClusterEnabled, s: stage.cacheClusterSize, t: stage.tracingEnabled, v: stage.variables},
        {d: 'beta stage', c: true, s: '1.6', t: true, v: {v: '1'}},
      )
      assert.ok(
        stage.createdDate instanceof Date && Math.abs(stage.createdDate.getTime() - Date.now()) < 60_000,
        'epoch seconds parse to now',
      )
    })

    it('refuses a deployment of an API without methods', async () => {
      const api = await t.v1.send(new CreateRestApiCommand({name: 'empty'}))
      await rejectsWith(t.v1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'dev'})), {
        name: 'BadRequestException',
        status: 400,
        message: "The REST API doesn't contain any methods",
      })
    })

    it('creates, patches and deletes stages, with ~1-escaped method settings paths', async () => {
      const api = await importSpec(PETS_OAS(['/pets/{petId}']))
      const d1 = await t.v1.send(new CreateDeploymentCommand({restApiId: api.id!}))
      const d2 = await t.v1.send(new CreateDeploymentCommand({restApiId: api.id!}))
      await t.v1.send(new CreateStageCommand({restApiId: api.id!, stageName: 'dev', deploymentId: d1.id!, variables: {a: '1', b: '2'}}))
      await rejectsWith(t.v1.send(new CreateStageCommand({restApiId: api.id!, stageName: 'dev', deploymentId: d1.id!})), {
        name: 'ConflictException',
        status: 409,
        message: 'Stage already exists',
      })
      const stage = await t.v1.send(
        new UpdateStageCommand({
          restApiId: api.id!,
          stageName: 'dev',
          patchOperations: [
            {op: 'replace', path: '/~1pets~1{petId}/GET/logging/loglevel', value: 'INFO'},
            {op: 'replace', path: '/~1pets~1{petId}/GET/throttling/rateLimit', value: '12.5'},
            {op: 'replace', path: '/~1pets~1{petId}/GET/metrics/enabled', value: 'true'},
            {op: 'remove', path: '/variables/a'},
            {op: 'replace', path: '/deploymentId', value: d2.id!},
            {op: 'replace', path: '/cacheClusterEnabled', value: 'true'},
          ],
        }),
      )
      assert.deepEqual(
        {
          level: stage.methodSettings?.['pets/{petId}/GET']?.loggingLevel,
          rate: stage.methodSettings?.['pets/{petId}/GET']?.throttlingRateLimit,
          metrics: stage.methodSettings?.['pets/{petId}/GET']?.metricsEnabled,
        },
        {level: 'INFO', rate: 12.5, metrics: true},
      )
      assert.deepEqual(stage.variables, {b: '2'})
      assert.equal(stage.deploymentId, d2.id)
      assert.deepEqual(
        {enabled: stage.cacheClusterEnabled, size: stage.cacheClusterSize, status: stage.cacheClusterStatus},
        {enabled: true, size: '0.5', status: 'AVAILABLE'},
      )
      const removed = await t.v1.send(
        new UpdateStageCommand({restApiId: api.id!, stageName: 'dev', patchOperations: [{op: 'remove', path: '/~1pets~1{petId}/GET'}]}),
      )
      assert.deepEqual(removed.methodSettings, {})
      await t.v1.send(new DeleteStageCommand({restApiId: api.id!, stageName: 'dev'}))
      await rejectsWith(t.v1.send(new GetStageCommand({restApiId: api.id!, stageName: 'dev'})), {
        name: 'NotFoundException',
        status: 404,
        message: 'Invalid Stage identifier specified',
      })
    })
  })

  describe('export and SDKs', () => {
    let restApiId: string
    before(async () => {
      const spec = readFileSync(`${GROUND_TRUTH}02-import-swagger-petstore-authorizers-models.json`, 'utf8')
      const content = (JSON.parse(spec) as {inputs: {spec: {content: unknown}}}).inputs.spec.content
      restApiId = (
        await importSpec((typeof content === 'string' ? content : JSON.stringify(content)).replaceAll('${uri}', 'http://example.com/pets'))
      ).id!
      await t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'prod'}))
    })

    const cases = [
      {extensions: undefined, integration: false, authorizer: false},
      {extensions: 'integrations', integration: true, authorizer: false},
      {extensions: 'authorizers', integration: false, authorizer: true},
      {extensions: 'apigateway', integration: true, authorizer: true},
    ]
    for (const c of cases) {
      it(`exports YAML with extensions=${c.extensions ?? '(none)'}`, async () => {
        const out = await t.v1.send(
          new GetExportCommand({
            restApiId,
            stageName: 'prod',
            exportType: 'oas30',
            accepts: 'application/yaml',
            ...(c.extensions ? {parameters: {extensions: c.extensions}} : {}),
          }),
        )
        assert.equal(out.contentDisposition, 'attachment; filename="oas30_1.0.yaml"')
        const doc = parseYaml(Buffer.from(out.body!).toString('utf8')) as {
          paths: Record<string, Record<string, Record<string, unknown>>>
          components: {securitySchemes?: Record<string, Record<string, unknown>>}
        }
        assert.equal('x-amazon-apigateway-integration' in doc.paths['/pets']!.get!, c.integration)
        assert.deepEqual(doc.paths['/pets']!.get!.security, [{'test-authorizer': []}])
        assert.equal('x-amazon-apigateway-authorizer' in (doc.components.securitySchemes?.['test-authorizer'] ?? {}), c.authorizer)
      })
    }

    it('refuses an unknown stage and an unknown export type', async () => {
      await rejectsWith(t.v1.send(new GetExportCommand({restApiId, stageName: 'nope', exportType: 'oas30'})), {
        name: 'NotFoundException',
        status: 404,
        message: 'Invalid Stage identifier specified',
      })
      await rejectsWith(t.v1.send(new GetExportCommand({restApiId, stageName: 'prod', exportType: 'raml'})), {
        name: 'BadRequestException',
        status: 400,
        message: /export type/,
      })
    })

    it('lists AWS SDK types with their configuration properties', async () => {
      const types = await t.v1.send(new GetSdkTypesCommand({}))
      assert.deepEqual(types.items?.map((x) => x.id).sort(), ['android', 'java', 'javascript', 'objectivec', 'ruby', 'swift'])
      const java = await t.v1.send(new GetSdkTypeCommand({id: 'java'}))
      assert.ok(java.configurationProperties?.some((p) => p.name === 'java.package-name' && p.required))
    })

    it('answers a known-but-unimplemented SDK type with a 501 naming it', async () => {
      await rejectsWith(t.v1.send(new GetSdkCommand({restApiId, stageName: 'prod', sdkType: 'java'})), {
        name: 'NotImplementedException',
        status: 501,
        message: /GetSdk for sdkType java is not supported by the apigw local emulator/,
      })
    })
  })
})

describe('v1 REST API state across a restart', () => {
  it('keeps APIs, deployments and stages, and exports the same document after a restart', async () => {
    // Given an API imported, deployed and exported on one server
    const first = await startTestEmulator()
    const dataDir = first.dataDir
    let before: string
    let restApiId: string
    try {
      restApiId = (
        await first.v1.send(new ImportRestApiCommand({body: readFileSync(`${SPECS}aws-rest-simplecalc-mock-lambda-swagger2.json`)}))
      ).id!
      await first.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'dev'}))
      before = Buffer.from(
        (await first.v1.send(new GetExportCommand({restApiId, stageName: 'dev', exportType: 'swagger'}))).body!,
      ).toString('utf8')
    } finally {
      await first.emulator.close()
      first.v1.destroy()
    }
    // When a new server opens the same state directory
    const second = await startTestEmulator({dataDir})
    try {
      // Then the stage exports the same document
      const after = Buffer.from(
        (await second.v1.send(new GetExportCommand({restApiId, stageName: 'dev', exportType: 'swagger'}))).body!,
      ).toString('utf8')
      assert.equal(after, before)
      assert.equal((await second.v1.send(new GetStageCommand({restApiId, stageName: 'dev'}))).stageName, 'dev')
    } finally {
      await second.close()
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})
