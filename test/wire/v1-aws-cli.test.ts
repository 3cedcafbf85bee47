/**
 * The AWS CLI v2 (a client nobody here wrote) drives a REST API lifecycle against the emulator: import,
 * deploy, stage patches with `~1` escapes, export to a YAML file, the DeleteDeployment refusal, delete; then an API
 * built and edited call by call (the Update* patch operations, GetModelTemplate), client certificates and VPC links.
 * The binary comes from APIGW_AWS_CLI (default /usr/bin/aws); the test skips visibly only when it is
 * missing and CI is not set.
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {X509Certificate} from 'node:crypto'
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'
import {parse as parseYaml} from 'yaml'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {tempDir} from '../helpers/temp.ts'

const run = promisify(execFile)
const SPEC = new URL('../fixtures/specs/aws-rest-petstore-simple-swagger2.json', import.meta.url).pathname

describe('v1 REST API lifecycle with the AWS CLI v2', () => {
  let t: TestEmulator
  let dir: string
  before(async () => {
    t = await startTestEmulator()
    dir = tempDir('apigw-cli-')
  })
  after(async () => {
    await t.close()
    rmSync(dir, {recursive: true, force: true})
  })

  const aws = async (...args: string[]): Promise<{code: number; stdout: string; stderr: string}> => {
    const env = awsCliEnv(dir)
    try {
      const out = await run(AWS_CLI, ['apigateway', ...args, '--endpoint-url', t.url, '--no-cli-pager', '--output', 'json'], {env})
      return {code: 0, ...out}
    } catch (error) {
      const e = error as {code?: number; stdout?: string; stderr?: string}
      return {code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? ''}
    }
  }
  const json = async (...args: string[]): Promise<Record<string, unknown>> => {
    const out = await aws(...args)
    assert.equal(out.code, 0, `aws ${args.join(' ')} failed: ${out.stderr}`)
    return out.stdout.trim() ? (JSON.parse(out.stdout) as Record<string, unknown>) : {}
  }

  it('imports, deploys, patches, exports and deletes', async (ctx) => {
    const reason = awsCliSkipReason()
    if (reason) return ctx.skip(reason)
    // Given the AWS petstore example imported with fail-on-warnings
    const api = await json('import-rest-api', '--fail-on-warnings', '--body', `fileb://${SPEC}`)
    const id = api.id as string
    assert.equal(api.name, 'Simple PetStore (OpenAPI)')
    // When it is deployed to a stage and the stage is patched
    const dep = await json('create-deployment', '--rest-api-id', id, '--stage-name', 'dev', '--variables', 'backend=local')
    const stage = await json(
      'update-stage',
      '--rest-api-id',
      id,
      '--stage-name',
      'dev',
      '--patch-operations',
      JSON.stringify([
        {op: 'replace', path: '/~1pets~1{petId}/GET/throttling/burstLimit', value: '7'},
        {op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR'},
      ]),
    )
    // Then the stage shows the settings under AWS's keys
    const settings = stage.methodSettings as Record<string, {throttlingBurstLimit: number; loggingLevel?: string}>
    assert.equal(settings['pets/{petId}/GET']?.throttlingBurstLimit, 7)
    assert.equal(settings['*/*']?.loggingLevel, 'ERROR')
    const stages = await json('get-stages', '--rest-api-id', id, '--deployment-id', dep.id as string)
    assert.deepEqual(
      (stages.item as Array<{stageName: string}>).map((s) => s.stageName),
      ['dev'],
    )
    // And the export is written as YAML
    const file = join(dir, 'export.yaml')
    const exported = await json(
      'get-export',
      '--rest-api-id',
      id,
      '--stage-name',
      'dev',
      '--export-type',
      'oas30',
      '--accepts',
      'application/yaml',
      file,
    )
    // (the spec has no info.version, so AWS names the file after the deployment date)
    assert.match(exported.contentDisposition as string, /filename="oas30_\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.yaml"/)
    const doc = parseYaml(readFileSync(file, 'utf8')) as {paths: Record<string, unknown>}
    assert.deepEqual(Object.keys(doc.paths).sort(), ['/pets', '/pets/{petId}'])
    // And the deployment in use cannot be deleted: AWS's error, exit code 254
    const refused = await aws('delete-deployment', '--rest-api-id', id, '--deployment-id', dep.id as string)
    assert.equal(refused.code, 254)
    assert.match(refused.stderr, /BadRequestException.*Active stages pointing to this deployment must be moved or deleted/)
    // And the API is deleted
    assert.equal((await aws('delete-rest-api', '--rest-api-id', id)).code, 0)
    const gone = await aws('get-rest-api', '--rest-api-id', id)
    assert.match(gone.stderr, /NotFoundException/)
  })

  it('edits an API with the Update* patch operations, and manages client certificates and VPC links', async (ctx) => {
    const reason = awsCliSkipReason()
    if (reason) return ctx.skip(reason)
    const patch = (ops: Array<Record<string, string>>) => ['--patch-operations', JSON.stringify(ops)]
    // Given an API built by hand: /pets with a GET whose integration is missing
    const api = await json('create-rest-api', '--name', 'by-cli')
    const id = api.id as string
    // (this CLI's model may predate RestApi.rootResourceId: the root is read from GetResources)
    const resources = await json('get-resources', '--rest-api-id', id)
    const root = (resources.items as Array<{id: string; path: string}>).find((r) => r.path === '/')!.id
    const pets = await json('create-resource', '--rest-api-id', id, '--parent-id', root, '--path-part', 'pets')
    const on = ['--rest-api-id', id, '--resource-id', pets.id as string, '--http-method', 'GET']
    await json('put-method', ...on, '--authorization-type', 'NONE')
    await json(
      'create-model',
      '--rest-api-id',
      id,
      '--name',
      'Pet',
      '--content-type',
      'application/json',
      '--schema',
      '{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}}}',
    )
    // When it is deployed: AWS's refusal, exit code 254
    const refused = await aws('create-deployment', '--rest-api-id', id, '--stage-name', 'dev')
    assert.equal(refused.code, 254)
    assert.match(refused.stderr, /BadRequestException.*No integration defined for method/)
    // When the method, resource, integration and model are patched
    const method = await json(
      'update-method',
      ...on,
      ...patch([
        {op: 'add', path: '/requestModels/application~1json', value: 'Pet'},
        {op: 'add', path: '/requestParameters/method.request.querystring.q', value: 'true'},
        {op: 'replace', path: '/operationName', value: 'ListPets'},
      ]),
    )
    assert.deepEqual(
      {models: method.requestModels, params: method.requestParameters, name: method.operationName},
      {models: {'application/json': 'Pet'}, params: {'method.request.querystring.q': true}, name: 'ListPets'},
    )
    const bad = await aws('update-method', ...on, ...patch([{op: 'add', path: '/httpMethod', value: 'PUT'}]))
    assert.equal(bad.code, 254)
    assert.match(bad.stderr, /BadRequestException.*Invalid patch path \/httpMethod/)
    const renamed = await json(
      'update-resource',
      '--rest-api-id',
      id,
      '--resource-id',
      pets.id as string,
      ...patch([{op: 'replace', path: '/pathPart', value: 'animals'}]),
    )
    assert.equal(renamed.path, '/animals')
    await json('put-integration', ...on, '--type', 'MOCK', '--request-templates', '{"application/json":"{\\"statusCode\\": 200}"}')
    const integration = await json('update-integration', ...on, ...patch([{op: 'replace', path: '/timeoutInMillis', value: '2000'}]))
    assert.equal(integration.timeoutInMillis, 2000)
    await json('put-method-response', ...on, '--status-code', '200')
    const methodResponse = await json(
      'update-method-response',
      ...on,
      '--status-code',
      '200',
      ...patch([{op: 'add', path: '/responseModels/application~1json', value: 'Pet'}]),
    )
    assert.deepEqual(methodResponse.responseModels, {'application/json': 'Pet'})
    await json('put-integration-response', ...on, '--status-code', '200', '--selection-pattern', '')
    const integrationResponse = await json(
      'update-integration-response',
      ...on,
      '--status-code',
      '200',
      ...patch([{op: 'add', path: '/responseTemplates/application~1json', value: '{"ok": true}'}]),
    )
    assert.deepEqual(integrationResponse.responseTemplates, {'application/json': '{"ok": true}'})
    const model = await json(
      'update-model',
      '--rest-api-id',
      id,
      '--model-name',
      'Pet',
      ...patch([{op: 'replace', path: '/description', value: 'a pet'}]),
    )
    assert.equal(model.description, 'a pet')
    const template = await json('get-model-template', '--rest-api-id', id, '--model-name', 'Pet')
    assert.equal(template.value, `#set($inputRoot = $input.path('$'))\n{\n  "name" : "$inputRoot.name",\n  "age" : $inputRoot.age\n}`)
    const validator = await json('create-request-validator', '--rest-api-id', id, '--name', 'v')
    const validatorOut = await json(
      'update-request-validator',
      '--rest-api-id',
      id,
      '--request-validator-id',
      validator.id as string,
      ...patch([{op: 'replace', path: '/validateRequestBody', value: 'true'}]),
    )
    assert.equal(validatorOut.validateRequestBody, true)
    const gateway = await json(
      'update-gateway-response',
      '--rest-api-id',
      id,
      '--response-type',
      'MISSING_AUTHENTICATION_TOKEN',
      ...patch([{op: 'replace', path: '/statusCode', value: '404'}]),
    )
    assert.deepEqual({status: gateway.statusCode, isDefault: gateway.defaultResponse}, {status: '404', isDefault: false})
    // Then it deploys, and the export carries the edits
    await json('create-deployment', '--rest-api-id', id, '--stage-name', 'dev')
    const file = join(dir, 'edited.json')
    await json('get-export', '--rest-api-id', id, '--stage-name', 'dev', '--export-type', 'oas30', file)
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {paths: Record<string, {get?: {operationId?: string}}>}
    assert.equal(doc.paths['/animals']?.get?.operationId, 'ListPets')
    // And a client certificate is generated (a real PEM), attached to the stage, and deleted
    const cert = await json('generate-client-certificate', '--description', 'cli')
    const x509 = new X509Certificate(cert.pemEncodedCertificate as string)
    assert.ok(x509.verify(x509.publicKey))
    const stage = await json(
      'update-stage',
      '--rest-api-id',
      id,
      '--stage-name',
      'dev',
      ...patch([{op: 'replace', path: '/clientCertificateId', value: cert.clientCertificateId as string}]),
    )
    assert.equal(stage.clientCertificateId, cert.clientCertificateId)
    const certs = await json('get-client-certificates')
    assert.deepEqual(
      (certs.items as Array<{clientCertificateId: string}>).map((c) => c.clientCertificateId),
      [cert.clientCertificateId],
    )
    // And a VPC link is created (PENDING), read (AVAILABLE), renamed and deleted
    const nlb = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/nlb/0123456789abcdef'
    const link = await json('create-vpc-link', '--name', 'link', '--target-arns', nlb)
    assert.equal(link.status, 'PENDING')
    const got = await json('get-vpc-link', '--vpc-link-id', link.id as string)
    assert.deepEqual(
      {status: got.status, message: got.statusMessage, targets: got.targetArns},
      {status: 'AVAILABLE', message: 'Your vpc link is ready for use', targets: [nlb]},
    )
    const linkOut = await json(
      'update-vpc-link',
      '--vpc-link-id',
      link.id as string,
      ...patch([{op: 'replace', path: '/name', value: 'link2'}]),
    )
    assert.equal(linkOut.name, 'link2')
    assert.equal((await aws('delete-vpc-link', '--vpc-link-id', link.id as string)).code, 0)
    const gone = await aws('get-vpc-link', '--vpc-link-id', link.id as string)
    assert.match(gone.stderr, /NotFoundException.*Invalid Vpc Link identifier specified/)
    // And PutRestApi with a mode that is not merge|overwrite is refused
    const put = await aws('put-rest-api', '--rest-api-id', id, '--mode', 'replace', '--body', `fileb://${SPEC}`)
    assert.equal(put.code, 254)
    assert.match(put.stderr, /ValidationException.*Member must satisfy enum value set: \[merge, overwrite\]/)
  })
})
