/**
 * Export round trip on AWS's own example specs (test/fixtures/specs/aws-rest-*.json, MIT-0, see
 * aws-rest.SOURCES.md): import → deploy → GetExport (oas30 and swagger, extensions=apigateway) → import the
 * export as a new API → the two APIs have the same configuration (ids and model URLs normalised).
 */
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {
  type APIGatewayClient,
  CreateDeploymentCommand,
  GetAuthorizersCommand,
  GetExportCommand,
  GetGatewayResponsesCommand,
  GetModelsCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  ImportRestApiCommand,
  type Method,
} from '@aws-sdk/client-api-gateway'
import {parse as parseYaml} from 'yaml'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

const SPECS = new URL('../fixtures/specs/', import.meta.url).pathname
const FILES = readdirSync(SPECS)
  .filter((f) => f.startsWith('aws-rest-') && f.endsWith('.json'))
  .sort()

type Config = Record<string, unknown>

/** The API's configuration with ids replaced by names, so two APIs built from the same document compare equal. */
async function configOf(client: APIGatewayClient, restApiId: string): Promise<Config> {
  const api = await client.send(new GetRestApiCommand({restApiId}))
  const authorizers = (await client.send(new GetAuthorizersCommand({restApiId}))).items ?? []
  const validators = (await client.send(new GetRequestValidatorsCommand({restApiId}))).items ?? []
  const models = (await client.send(new GetModelsCommand({restApiId, limit: 500}))).items ?? []
  const resources = (await client.send(new GetResourcesCommand({restApiId, embed: ['methods'], limit: 500}))).items ?? []
  const gatewayResponses = (await client.send(new GetGatewayResponsesCommand({restApiId}))).items ?? []
  const authorizerName = new Map(authorizers.map((a) => [a.id, a.name]))
  const validatorName = new Map(validators.map((v) => [v.id, v.name]))
  const normaliseSchema = (schema: string | undefined): unknown => {
    const parsed = JSON.parse(schema ?? '{}') as Record<string, unknown>
    delete parsed.$schema
    return JSON.parse(JSON.stringify(parsed).replaceAll(`/restapis/${restApiId}/models/`, '/restapis/API/models/'))
  }
  const methods: Record<string, unknown> = {}
  for (const r of resources) {
    for (const [verb, m] of Object.entries(r.resourceMethods ?? {}) as Array<[string, Method]>) {
      const {authorizerId, requestValidatorId, methodIntegration, ...rest} = m
      const integration = methodIntegration ? {...methodIntegration, cacheNamespace: undefined} : undefined
      methods[`${verb} ${r.path}`] = {
        ...rest,
        authorizer: authorizerId ? authorizerName.get(authorizerId) : undefined,
        validator: requestValidatorId ? validatorName.get(requestValidatorId) : undefined,
        integration,
      }
    }
  }
  return JSON.parse(
    JSON.stringify({
      settings: {binaryMediaTypes: api.binaryMediaTypes, apiKeySource: api.apiKeySource, policy: api.policy},
      paths: resources.map((r) => r.path).sort(),
      methods,
      models: Object.fromEntries(models.map((m) => [m.name, {contentType: m.contentType, schema: normaliseSchema(m.schema)}])),
      authorizers: authorizers.map(({id: _id, ...a}) => a).sort((a, b) => String(a.name).localeCompare(String(b.name))),
      validators: validators.map(({id: _id, ...v}) => v).sort((a, b) => String(a.name).localeCompare(String(b.name))),
      gatewayResponses,
    }),
  ) as Config
}

describe('export round trip on the AWS example specs', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  it('has the example specs to test', () => {
    assert.ok(FILES.length >= 5, `expected the aws-rest-*.json fixtures, found ${FILES.length}`)
  })

  for (const file of FILES) {
    for (const exportType of ['oas30', 'swagger'] as const) {
      it(`${file} survives import → deploy → export ${exportType} → import`, async () => {
        // Given the example spec imported and deployed
        const original = await t.v1.send(new ImportRestApiCommand({body: readFileSync(`${SPECS}${file}`)}))
        await t.v1.send(new CreateDeploymentCommand({restApiId: original.id!, stageName: 'rt'}))
        // When the stage is exported with AWS's extensions and the export is imported as a new API
        const exported = await t.v1.send(
          new GetExportCommand({
            restApiId: original.id!,
            stageName: 'rt',
            exportType,
            parameters: {extensions: 'apigateway'},
            accepts: 'application/yaml',
          }),
        )
        const text = Buffer.from(exported.body!).toString('utf8')
        const doc = parseYaml(text) as Record<string, unknown>
        assert.ok(exportType === 'oas30' ? doc.openapi === '3.0.1' : doc.swagger === '2.0', 'the export has the requested format')
        const copy = await t.v1.send(new ImportRestApiCommand({body: Buffer.from(text)}))
        // Then both APIs have the same configuration
        assert.deepEqual(await configOf(t.v1, copy.id!), await configOf(t.v1, original.id!))
        assert.equal(copy.name, original.name)
      })
    }
  }
})
