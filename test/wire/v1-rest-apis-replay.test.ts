/**
 * Replays the AWS recordings of REST APIs, import, deployments, stages and export
 * (test/fixtures/ground-truth/01–12, 16, 18; see SOURCE.md there) through the SDK v3 client against the
 * emulator, and compares each recorded response after normalising ids and dates (test/helpers/replay.ts).
 * Each recorded test runs against a fresh emulator, re-enacting the calls the LocalStack test made.
 */
import assert from 'node:assert/strict'
import {after, afterEach, beforeEach, describe, it} from 'node:test'
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  GetAuthorizersCommand,
  GetDeploymentCommand,
  GetDeploymentsCommand,
  GetExportCommand,
  GetIntegrationCommand,
  GetIntegrationResponseCommand,
  GetMethodCommand,
  GetMethodResponseCommand,
  GetModelsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  ImportRestApiCommand,
  type PatchOperation,
  PutRestApiCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {
  assertMatchesRecording,
  Bindings,
  callAsBoto,
  type CompareOptions,
  loadRecording,
  type Recording,
  recordedCall,
} from '../helpers/replay.ts'

const FIXTURES = new URL('../fixtures/ground-truth/', import.meta.url).pathname
const rec = (file: string): Recording => loadRecording(`${FIXTURES}${file}`)

const REGION = 'us-east-1'
const PETSTORE_URI = `http://petstore.execute-api.${REGION}.amazonaws.com/petstore/pets`
const LAMBDA_ARN = `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:000000000000:function:authorizer/invocations`
const LOG_GROUP_ARN = `arn:aws:logs:${REGION}:000000000000:log-group:apigw-access`

/** The input spec of a recording as raw text, with the test's substitutions applied. */
function inputSpec(recording: Recording, label: string): string {
  const content = recording.inputs?.[label]?.content
  assert.ok(content !== undefined, `no input ${label}`)
  const text = typeof content === 'string' ? content : JSON.stringify(content)
  return text.replaceAll('${uri}', PETSTORE_URI).replaceAll('${authorizer_lambda_invocation_arn}', LAMBDA_ARN)
}

const MOCK_ROOT_SPEC = JSON.stringify({
  swagger: '2.0',
  info: {title: 'mock-root', version: '1'},
  paths: {
    '/': {
      get: {
        responses: {200: {description: 'ok'}},
        'x-amazon-apigateway-integration': {type: 'mock', requestTemplates: {'application/json': '{"statusCode": 200}'}},
      },
    },
  },
})

let t: TestEmulator
let b: Bindings

beforeEach(async () => {
  t = await startTestEmulator({region: REGION})
  b = new Bindings({'<region>': REGION})
})
afterEach(async () => {
  await t.close()
})
after(() => undefined)

/** Send a command, and compare the outcome with the recorded call `key` (of test `testId` when keys repeat). */
async function check(
  recording: Recording,
  key: string,
  send: Promise<unknown>,
  options: CompareOptions & {testId?: string; transform?: (r: Record<string, unknown>) => void} = {},
): Promise<Record<string, unknown>> {
  const actual = await callAsBoto(send)
  options.transform?.(actual)
  const recorded = recordedCall(recording, key, options.testId)
  assertMatchesRecording(actual, recorded.response, b, options, `${recording.title.slice(0, 30)}… ${key}`)
  return actual
}

const sortBy =
  (member: string, field: string) =>
  (r: Record<string, unknown>): void => {
    const list = r[member] as Array<Record<string, unknown>> | undefined
    list?.sort((x, y) => (String(x[field]) < String(y[field]) ? -1 : String(x[field]) > String(y[field]) ? 1 : 0))
  }

async function importSpec(body: string, failOnWarnings = true): Promise<string> {
  const api = await t.v1.send(new ImportRestApiCommand({body: Buffer.from(body), failOnWarnings}))
  return api.id!
}

describe('ground truth 01, 02, 18: ImportRestApi', () => {
  it('01 imports a Swagger 2.0 spec with mock and aws_proxy integrations (failOnWarnings)', async () => {
    // Given the recorded spec, When it is imported with failOnWarnings, Then the RestApi matches AWS's
    const r = rec('01-import-rest-api-swagger.json')
    await check(r, 'import_rest_api', t.v1.send(new ImportRestApiCommand({body: Buffer.from(inputSpec(r, 'spec')), failOnWarnings: true})))
  })

  it('02 imports the petstore with authorizers, models, methods and integrations as AWS does', async () => {
    const r = rec('02-import-swagger-petstore-authorizers-models.json')
    const api = await check(
      r,
      'import-swagger',
      t.v1.send(new ImportRestApiCommand({body: Buffer.from(inputSpec(r, 'spec')), failOnWarnings: true})),
    )
    const restApiId = api.id as string
    await check(r, 'get-authorizers', t.v1.send(new GetAuthorizersCommand({restApiId})), {transform: sortBy('items', 'name')})
    await check(r, 'get-models', t.v1.send(new GetModelsCommand({restApiId})), {transform: sortBy('items', 'name')})
    const resources = await check(r, 'resources', t.v1.send(new GetResourcesCommand({restApiId})), {transform: sortBy('items', 'path')})
    const idOf = (path: string): string => (resources.items as Array<{path: string; id: string}>).find((x) => x.path === path)!.id
    const cases: Array<[string, string, string]> = [
      ['root-get', '/', 'GET'],
      ['pets-get', '/pets', 'GET'],
      ['pets-post', '/pets', 'POST'],
      ['pets/{petId}-get', '/pets/{petId}', 'GET'],
      ['pets-options', '/pets', 'OPTIONS'],
    ]
    for (const [name, path, httpMethod] of cases) {
      const input = {restApiId, resourceId: idOf(path), httpMethod}
      await check(r, `method-${name}`, t.v1.send(new GetMethodCommand(input)))
      await check(r, `integration-${name}`, t.v1.send(new GetIntegrationCommand(input)))
      if (r.calls.some((c) => c.key === `method-response-${name}`)) {
        await check(r, `method-response-${name}`, t.v1.send(new GetMethodResponseCommand({...input, statusCode: '200'})))
      }
      if (r.calls.some((c) => c.key === `integration-response-${name}`)) {
        await check(r, `integration-response-${name}`, t.v1.send(new GetIntegrationResponseCommand({...input, statusCode: '200'})))
      }
    }
  })

  it('18 applies a global security requirement with a REQUEST authorizer and apiKeySource AUTHORIZER', async () => {
    const r = rec('18-import-oas30-global-request-authorizer.json')
    const api = await check(
      r,
      'import-swagger',
      t.v1.send(new ImportRestApiCommand({body: Buffer.from(inputSpec(r, 'spec')), failOnWarnings: true})),
    )
    const restApiId = api.id as string
    await check(r, 'get-authorizers', t.v1.send(new GetAuthorizersCommand({restApiId})))
    const resources = await check(r, 'resources', t.v1.send(new GetResourcesCommand({restApiId})), {transform: sortBy('items', 'path')})
    const idOf = (path: string): string => (resources.items as Array<{path: string; id: string}>).find((x) => x.path === path)!.id
    for (const [name, path, httpMethod] of [
      ['echo/{data}-any', '/echo/{data}', 'ANY'],
      ['pets-get', '/pets', 'GET'],
    ] as const) {
      const input = {restApiId, resourceId: idOf(path), httpMethod}
      await check(r, `method-${name}`, t.v1.send(new GetMethodCommand(input)))
      await check(r, `integration-${name}`, t.v1.send(new GetIntegrationCommand(input)))
    }
  })
})

describe('ground truth 03, 04, 05: PutRestApi modes, basepath, warnings, invalid input', () => {
  for (const mode of ['ignore', 'prepend', 'split'] as const) {
    it(`03 basepath=${mode}: resource trees and the warning for a non-string requestParameters value`, async () => {
      const r = rec('03-put-rest-api-oas30-basepath-modes-and-warnings.json')
      const testId = `[${mode}]`
      const {id} = await t.v1.send(new CreateRestApiCommand({name: 'test-import-oas'}))
      const restApiId = id!
      const put = (label: string) =>
        t.v1.send(
          new PutRestApiCommand({restApiId, mode: 'overwrite', parameters: {basepath: mode}, body: Buffer.from(inputSpec(r, label))}),
        )
      await check(r, 'put-rest-api-oas30-srv-var', put('spec_server_variable'), {testId})
      await check(r, 'get-resources-oas30-srv-var', t.v1.send(new GetResourcesCommand({restApiId})), {
        testId,
        transform: sortBy('items', 'path'),
      })
      await t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'dev'}))
      await check(r, 'put-rest-api-oas30-srv-url', put('spec_server_url'), {testId})
      const resources = await check(r, 'get-resources-oas30-srv-url', t.v1.send(new GetResourcesCommand({restApiId})), {
        testId,
        transform: sortBy('items', 'path'),
      })
      const test = (resources.items as Array<{path: string; id: string}>).find((x) => x.path.endsWith('/test'))!
      const key = r.calls.find((c) => c.test_id.includes(testId) && c.operation === 'GetIntegration')!.key
      await check(r, key, t.v1.send(new GetIntegrationCommand({restApiId, resourceId: test.id, httpMethod: 'GET'})), {testId})
    })
  }

  for (const mode of ['merge', 'overwrite'] as const) {
    it(`04 mode=${mode}: binaryMediaTypes are ${mode === 'merge' ? 'unioned' : 'replaced'}, name and version come from the spec`, async () => {
      const r = rec('04-put-rest-api-merge-vs-overwrite.json')
      const testId = `[${mode}]`
      const api = await check(
        r,
        'create-rest-api',
        t.v1.send(new CreateRestApiCommand({name: 'merge-test', binaryMediaTypes: ['image/heif']})),
        {testId},
      )
      const restApiId = api.id as string
      await check(r, 'get-rest-api', t.v1.send(new GetRestApiCommand({restApiId})), {testId})
      await check(r, 'put-api', t.v1.send(new PutRestApiCommand({restApiId, mode, body: Buffer.from(inputSpec(r, 'spec'))})), {testId})
    })
  }

  it('05 refuses unparseable YAML and JSON with "Invalid OpenAPI input.", before looking at the API id', async () => {
    const r = rec('05-import-and-put-invalid-spec-errors.json')
    const badYaml = recordedCall(r, 'import-api-bad-yaml-file').request.body as string
    const badJson = recordedCall(r, 'import-api-bad-json-file').request.body as string
    await check(r, 'import-api-bad-yaml-file', t.v1.send(new ImportRestApiCommand({body: Buffer.from(badYaml)})))
    await check(r, 'import-api-bad-json-file', t.v1.send(new ImportRestApiCommand({body: Buffer.from(badJson)})))
    await check(r, 'put-rest-api-bad-yaml-file', t.v1.send(new PutRestApiCommand({restApiId: 'nosuchapi1', body: Buffer.from(badYaml)})))
    await check(r, 'put-rest-api-bad-json-file', t.v1.send(new PutRestApiCommand({restApiId: 'nosuchapi1', body: Buffer.from(badJson)})))
  })
})

describe('ground truth 06, 07: GetExport from the deployment snapshot', () => {
  for (const [file, exportType] of [
    ['06-get-export-oas30.json', 'oas30'],
    ['07-get-export-swagger.json', 'swagger'],
  ] as const) {
    for (const label of ['TEST_IMPORT_PETS', 'TEST_IMPORT_PETSTORE_SWAGGER']) {
      it(`${file.slice(0, 2)} exports ${label} as ${exportType}, without and with extensions=apigateway`, async () => {
        const r = rec(file)
        const testId = `[${label}]`
        // The recorder masked a date-valued info.version as "date".
        const options = {testId, wildcards: ['date']}
        const api = await check(
          r,
          'import-api',
          t.v1.send(new ImportRestApiCommand({body: Buffer.from(inputSpec(r, label)), failOnWarnings: true})),
          {testId},
        )
        const restApiId = api.id as string
        await t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'local'}))
        await check(r, 'get-export', t.v1.send(new GetExportCommand({restApiId, stageName: 'local', exportType})), options)
        await check(
          r,
          'get-export-with-extensions',
          t.v1.send(new GetExportCommand({restApiId, stageName: 'local', exportType, parameters: {extensions: 'apigateway'}})),
          options,
        )
      })
    }
  }
})

/** An API with one MOCK GET on '/', and a deployment (no stage). */
async function mockApiWithDeployment(): Promise<{restApiId: string; deploymentId: string}> {
  const restApiId = await importSpec(MOCK_ROOT_SPEC)
  const {id} = await t.v1.send(new CreateDeploymentCommand({restApiId}))
  return {restApiId, deploymentId: id!}
}

const patch = (restApiId: string, stageName: string, patchOperations: PatchOperation[]) =>
  t.v1.send(new UpdateStageCommand({restApiId, stageName, patchOperations}))

describe('ground truth 08, 09: UpdateStage settings, variables, method settings, access logs', () => {
  it('08 materialises method settings, keeps explicit ones, and answers bad paths verbatim', async () => {
    const r = rec('08-update-stage-method-settings-and-variables.json')
    const testId = 'test_create_update_stages'
    const {restApiId, deploymentId} = await mockApiWithDeployment()
    b.bind('<deployment-id:1>', deploymentId, 'setup')
    await check(
      r,
      'create-stage',
      t.v1.send(new CreateStageCommand({restApiId, stageName: 's1', deploymentId, description: 'my stage', documentationVersion: 'v123'})),
      {testId},
    )
    await check(r, 'error-update-doc-version', patch(restApiId, 's1', [{op: 'replace', path: '/documentation_version', value: '123'}]), {
      testId,
    })
    await check(r, 'error-update-tags', patch(restApiId, 's1', [{op: 'replace', path: '/tags/tag1', value: 'value1'}]), {testId})
    const ops = recordedCall(r, 'update-stage', testId).request.patchOperations as PatchOperation[]
    await check(r, 'update-stage', patch(restApiId, 's1', ops), {testId})
    await check(r, 'get-stage', t.v1.send(new GetStageCommand({restApiId, stageName: 's1'})), {testId})
    await check(r, 'update-stage-override', patch(restApiId, 's1', [{op: 'replace', path: '/*/*/throttling/burstLimit', value: '100'}]), {
      testId,
    })
  })

  it('08 removes the */* method setting, and refuses to remove it when absent', async () => {
    const r = rec('08-update-stage-method-settings-and-variables.json')
    const testId = 'test_update_stage_remove_wildcard'
    const {restApiId, deploymentId} = await mockApiWithDeployment()
    await t.v1.send(
      new CreateStageCommand({restApiId, stageName: 's1', deploymentId, description: 'my stage', documentationVersion: 'v123'}),
    )
    await check(r, 'get-stage', t.v1.send(new GetStageCommand({restApiId, stageName: 's1'})), {testId})
    await check(r, 'delete-error', patch(restApiId, 's1', [{op: 'remove', path: '/*/*'}]), {testId})
    await check(r, 'update-stage', patch(restApiId, 's1', [{op: 'replace', path: '/*/*/caching/enabled', value: 'true'}]), {testId})
    await check(r, 'update-stage-reset', patch(restApiId, 's1', [{op: 'remove', path: '/*/*'}]), {testId})
    await check(r, 'get-stage-after-reset', t.v1.send(new GetStageCommand({restApiId, stageName: 's1'})), {testId})
  })

  it('09 adds, replaces and removes access log settings, with AWS validation messages', async () => {
    const r = rec('09-update-stage-access-log-settings.json')
    b.bind('<log-group-arn>', LOG_GROUP_ARN, 'setup')
    const restApiId = await importSpec(MOCK_ROOT_SPEC)
    for (const testId of ['test_stage_access_log_settings', 'test_stage_access_log_settings_validation']) {
      const stageName = 'dev'
      if (testId.endsWith('validation')) await t.v1.send(new DeleteStageCommand({restApiId, stageName}))
      const created = await callAsBoto(t.v1.send(new CreateDeploymentCommand({restApiId})))
      if (!testId.endsWith('validation')) {
        assertMatchesRecording(created, recordedCall(r, 'create-deployment', testId).response, b)
        await check(
          r,
          'create-stage',
          t.v1.send(new CreateStageCommand({restApiId, stageName, deploymentId: created.id as string, description: 'dev stage'})),
          {testId},
        )
      } else {
        b.values.set('<id:1>', created.id as string)
        await t.v1.send(new CreateStageCommand({restApiId, stageName, deploymentId: created.id as string, description: 'dev stage'}))
      }
      for (const call of r.calls.filter((c) => c.test_id.endsWith(testId) && c.operation === 'UpdateStage')) {
        const ops = (call.request.patchOperations as PatchOperation[]).map((o) => ({
          ...o,
          ...(typeof o.value === 'string' ? {value: o.value.replace('<log-group-arn>', LOG_GROUP_ARN)} : {}),
        }))
        await check(r, call.key, patch(restApiId, stageName, ops), {testId})
      }
    }
  })
})

describe('ground truth 10, 11: canary settings and promotion', () => {
  it('10 creates a stage with a canary, updates overrides and removes the canary', async () => {
    const r = rec('10-stage-canary-settings.json')
    const testId = 'test_create_update_stages'
    const restApiId = await importSpec(MOCK_ROOT_SPEC)
    const first = await check(r, 'create-deployment-1', t.v1.send(new CreateDeploymentCommand({restApiId})), {testId})
    const second = await check(r, 'create-deployment-2', t.v1.send(new CreateDeploymentCommand({restApiId})), {testId})
    const canarySettings = {deploymentId: second.id as string, percentTraffic: 50, stageVariableOverrides: {testVar: 'canary'}}
    await check(
      r,
      'create-stage',
      t.v1.send(
        new CreateStageCommand({
          restApiId,
          stageName: 'dev',
          deploymentId: first.id as string,
          description: 'dev stage',
          variables: {testVar: 'default'},
          canarySettings,
        }),
      ),
      {testId},
    )
    await check(r, 'get-stage', t.v1.send(new GetStageCommand({restApiId, stageName: 'dev'})), {testId})
    await check(
      r,
      'update-stage-canary-settings-overrides',
      patch(restApiId, 'dev', [{op: 'replace', path: '/canarySettings/stageVariableOverrides/testVar', value: 'updated'}]),
      {testId},
    )
    await check(r, 'update-stage-remove-canary-settings', patch(restApiId, 'dev', [{op: 'remove', path: '/canarySettings'}]), {testId})
    await check(r, 'get-stage-after-remove', t.v1.send(new GetStageCommand({restApiId, stageName: 'dev'})), {testId})
  })

  it('10 CreateDeployment with canarySettings on an existing stage keeps its deployment and points the canary at the new one', async () => {
    const r = rec('10-stage-canary-settings.json')
    const testId = 'test_create_canary_deployment_with_stage'
    const restApiId = await importSpec(MOCK_ROOT_SPEC)
    const d = await check(r, 'create-deployment', t.v1.send(new CreateDeploymentCommand({restApiId})), {testId})
    await check(
      r,
      'create-stage',
      t.v1.send(
        new CreateStageCommand({
          restApiId,
          stageName: 'dev',
          deploymentId: d.id as string,
          description: 'dev stage',
          variables: {testVar: 'default'},
        }),
      ),
      {testId},
    )
    await check(
      r,
      'create-canary-deployment',
      t.v1.send(
        new CreateDeploymentCommand({
          restApiId,
          stageName: 'dev',
          canarySettings: {percentTraffic: 50, stageVariableOverrides: {testVar: 'canary'}},
        }),
      ),
      {testId},
    )
    await check(r, 'get-stage', t.v1.send(new GetStageCommand({restApiId, stageName: 'dev'})), {testId})
  })

  it('10 creates a canary by UpdateStage on /canarySettings/deploymentId and /canarySettings/percentTraffic', async () => {
    const r = rec('10-stage-canary-settings.json')
    const testId = 'test_create_canary_deployment_by_stage_update'
    const restApiId = await importSpec(MOCK_ROOT_SPEC)
    const d1 = await check(r, 'create-deployment', t.v1.send(new CreateDeploymentCommand({restApiId})), {testId})
    const d2 = await check(r, 'create-deployment-2', t.v1.send(new CreateDeploymentCommand({restApiId})), {testId})
    await check(
      r,
      'create-stage',
      t.v1.send(
        new CreateStageCommand({
          restApiId,
          stageName: 'dev',
          deploymentId: d1.id as string,
          description: 'dev stage',
          variables: {testVar: 'default'},
        }),
      ),
      {testId},
    )
    await check(
      r,
      'update-stage-with-deployment',
      patch(restApiId, 'dev', [{op: 'replace', path: '/canarySettings/deploymentId', value: d2.id as string}]),
      {testId},
    )
    await check(r, 'remove-stage-canary', patch(restApiId, 'dev', [{op: 'remove', path: '/canarySettings'}]), {testId})
    await check(
      r,
      'update-stage-with-percent',
      patch(restApiId, 'dev', [{op: 'replace', path: '/canarySettings/percentTraffic', value: '50'}]),
      {testId},
    )
    await check(r, 'get-stage', t.v1.send(new GetStageCommand({restApiId, stageName: 'dev'})), {testId})
  })

  it('10 refuses canary deployments without an existing named stage, and bad canary patches', async () => {
    const r = rec('10-stage-canary-settings.json')
    const restApiId = await importSpec(MOCK_ROOT_SPEC)
    const canarySettings = {percentTraffic: 50, stageVariableOverrides: {testVar: 'canary'}}
    let testId = 'test_create_canary_deployment_validation'
    await check(r, 'create-canary-deployment-no-stage', t.v1.send(new CreateDeploymentCommand({restApiId, canarySettings})), {testId})
    await check(
      r,
      'create-canary-deployment-empty-stage',
      t.v1.send(new CreateDeploymentCommand({restApiId, stageName: '', canarySettings})),
      {testId},
    )
    await check(
      r,
      'create-canary-deployment-non-existing-stage',
      t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'non-existing', canarySettings})),
      {testId},
    )

    testId = 'test_update_stage_canary_deployment_validation'
    await t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'dev'}))
    await check(r, 'get-stage', t.v1.send(new GetStageCommand({restApiId, stageName: 'dev'})), {testId})
    for (const key of [
      'update-stage-canary-settings-remove-overrides',
      'update-stage-canary-settings-bad-path',
      'update-stage-canary-settings-bad-path-2',
      'update-stage-canary-settings-replace-bad-path',
    ]) {
      await check(r, key, patch(restApiId, 'dev', recordedCall(r, key, testId).request.patchOperations as PatchOperation[]), {testId})
    }
    const dev2 = await t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'dev2'}))
    await check(
      r,
      'update-stage-add-deployment',
      patch(restApiId, 'dev2', [{op: 'add', path: '/canarySettings/deploymentId', value: dev2.id!}]),
      {testId},
    )
    await check(
      r,
      'update-stage-no-deployment',
      patch(restApiId, 'dev2', [{op: 'replace', path: '/canarySettings/deploymentId', value: 'deploy'}]),
      {testId},
    )
  })

  it('11 promotes a canary with copy operations, and refuses invalid copies', async () => {
    const r = rec('11-stage-canary-promotion-copy-ops.json')
    const restApiId = await importSpec(MOCK_ROOT_SPEC)
    await check(
      r,
      'deployment-1',
      t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'dev', variables: {testVar: 'test', testVar2: 'test2'}})),
    )
    for (const key of ['copy-with-bad-statement', 'copy-with-no-replace', 'update-stage-with-copy']) {
      await check(r, key, patch(restApiId, 'dev', recordedCall(r, key).request.patchOperations as PatchOperation[]))
    }
    await check(
      r,
      'deployment-canary',
      t.v1.send(
        new CreateDeploymentCommand({
          restApiId,
          stageName: 'dev',
          canarySettings: {percentTraffic: 50, stageVariableOverrides: {testVar: 'override'}},
        }),
      ),
    )
    await check(r, 'get-stage', t.v1.send(new GetStageCommand({restApiId, stageName: 'dev'})))
    await check(
      r,
      'update-stage-with-copy-2',
      patch(restApiId, 'dev', recordedCall(r, 'update-stage-with-copy-2').request.patchOperations as PatchOperation[]),
    )
  })
})

describe('ground truth 12: deployments and stages lifecycle', () => {
  it('12 refuses to delete a deployment a stage uses, and deletes it once free', async () => {
    const r = rec('12-deployments-and-stages-lifecycle.json')
    let testId = 'test_create_delete_deployments'
    const restApiId = await importSpec(MOCK_ROOT_SPEC)
    const d = await t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 's1'}))
    await check(r, 'get-deployment', t.v1.send(new GetDeploymentCommand({restApiId, deploymentId: d.id!})), {testId})
    await check(r, 'get-stages', t.v1.send(new GetStagesCommand({restApiId})), {testId})
    await check(r, 'delete-deployment-error-0', t.v1.send(new DeleteDeploymentCommand({restApiId, deploymentId: d.id!})), {testId})
    await t.v1.send(new DeleteStageCommand({restApiId, stageName: 's1'}))
    await t.v1.send(new DeleteDeploymentCommand({restApiId, deploymentId: d.id!}))
    await t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 's1'}))
    await check(r, 'get-deployments-0', t.v1.send(new GetDeploymentsCommand({restApiId})), {testId})
    await check(r, 'get-stages-0', t.v1.send(new GetStagesCommand({restApiId})), {testId})

    testId = 'test_create_update_deployments'
    b = new Bindings({'<region>': REGION})
    const api2 = await importSpec(MOCK_ROOT_SPEC)
    const d1 = await t.v1.send(new CreateDeploymentCommand({restApiId: api2}))
    await t.v1.send(new CreateStageCommand({restApiId: api2, stageName: 's1', deploymentId: d1.id!}))
    await check(r, 'get-deployment-1', t.v1.send(new GetDeploymentCommand({restApiId: api2, deploymentId: d1.id!})), {testId})
    await check(r, 'get-stages', t.v1.send(new GetStagesCommand({restApiId: api2})), {testId})
    await check(r, 'delete-deployment-error', t.v1.send(new DeleteDeploymentCommand({restApiId: api2, deploymentId: d1.id!})), {testId})
    const d2 = await t.v1.send(new CreateDeploymentCommand({restApiId: api2, stageName: 's1'}))
    await check(r, 'get-deployment-1-after-update', t.v1.send(new GetDeploymentCommand({restApiId: api2, deploymentId: d1.id!})), {testId})
    await check(r, 'get-deployment-2', t.v1.send(new GetDeploymentCommand({restApiId: api2, deploymentId: d2.id!})), {testId})
    await check(r, 'get-stages-after-update', t.v1.send(new GetStagesCommand({restApiId: api2})), {testId})
    await check(r, 'delete-deployment-1', t.v1.send(new DeleteDeploymentCommand({restApiId: api2, deploymentId: d1.id!})), {testId})
    await check(r, 'delete-deployment-2-error', t.v1.send(new DeleteDeploymentCommand({restApiId: api2, deploymentId: d2.id!})), {testId})
  })

  it('12 filters GetStages by deploymentId', async () => {
    const r = rec('12-deployments-and-stages-lifecycle.json')
    const testId = 'test_get_stages_filters_by_deployment_id'
    const restApiId = await importSpec(MOCK_ROOT_SPEC)
    const d1 = await t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'stage1'}))
    const d2 = await t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'stage2'}))
    await check(r, 'all-stages', t.v1.send(new GetStagesCommand({restApiId})), {testId, transform: sortBy('item', 'stageName')})
    await check(r, 'stages-deploy1', t.v1.send(new GetStagesCommand({restApiId, deploymentId: d1.id!})), {testId})
    await check(r, 'stages-deploy2', t.v1.send(new GetStagesCommand({restApiId, deploymentId: d2.id!})), {testId})
  })
})

describe('ground truth 16: REST API CRUD and errors', () => {
  const r = rec('16-rest-api-crud-and-errors.json')
  it('16 lists and deletes REST APIs', async () => {
    const testId = 'test_list_and_delete_apis'
    const a1 = await check(r, 'create-rest-api-1', t.v1.send(new CreateRestApiCommand({name: 'api-one', description: 'this is my api'})), {
      testId,
    })
    await check(r, 'create-rest-api-2', t.v1.send(new CreateRestApiCommand({name: 'api-two', description: 'this is my api2'})), {testId})
    await check(r, 'get-rest-api-before-delete', t.v1.send(new GetRestApisCommand({})), {testId})
    await check(r, 'delete-rest-api', t.v1.send(new DeleteRestApiCommand({restApiId: a1.id as string})), {testId})
    await check(r, 'get-rest-api-after-delete', t.v1.send(new GetRestApisCommand({})), {testId})
  })

  it('16 validates optional CreateRestApi members with AWS messages', async () => {
    const testId = 'test_create_rest_api_with_optional_params'
    await check(r, 'create-only-name', t.v1.send(new CreateRestApiCommand({name: 'n1'})), {testId})
    await check(r, 'create-empty-desc', t.v1.send(new CreateRestApiCommand({name: 'n', description: ''})), {testId})
    await check(r, 'create-with-version', t.v1.send(new CreateRestApiCommand({name: 'n2', version: 'v1'})), {testId})
    await check(r, 'create-with-empty-binary-media', t.v1.send(new CreateRestApiCommand({name: 'n3', binaryMediaTypes: []})), {testId})
    await check(r, 'string-compression-size', t.v1.send(new CreateRestApiCommand({name: 'n', minimumCompressionSize: -1})), {testId})
  })

  it('16 keeps tags and shows them on Get and list', async () => {
    const testId = 'test_create_rest_api_with_tags'
    const api = await check(
      r,
      'create-rest-api-w-tags',
      t.v1.send(new CreateRestApiCommand({name: 't', description: 'this is my api', tags: {MY_TAG1: 'MY_VALUE1'}})),
      {testId},
    )
    await check(r, 'get-rest-api-w-tags', t.v1.send(new GetRestApiCommand({restApiId: api.id as string})), {testId})
    await check(r, 'get-rest-apis-w-tags', t.v1.send(new GetRestApisCommand({})), {testId})
  })

  it('16 fills endpoint configuration defaults and validates enum members (Coral ValidationException)', async () => {
    const testId = 'test_create_rest_api_verify_defaults'
    await check(r, 'create-with-edge-default', t.v1.send(new CreateRestApiCommand({name: 'e', endpointConfiguration: {types: ['EDGE']}})), {
      testId,
    })
    await check(
      r,
      'create-with-regional-default',
      t.v1.send(new CreateRestApiCommand({name: 'r', endpointConfiguration: {types: ['REGIONAL']}})),
      {testId},
    )
    await check(
      r,
      'create-with-private-default',
      t.v1.send(new CreateRestApiCommand({name: 'p', endpointConfiguration: {types: ['PRIVATE']}})),
      {testId},
    )
    await check(r, 'create-with-empty-default', t.v1.send(new CreateRestApiCommand({name: 'd'})), {testId})
    await check(
      r,
      'create-with-empty-ip-address-type-and-wrong-type',
      t.v1.send(new CreateRestApiCommand({name: 'w', description: '', endpointConfiguration: {types: ['wrong' as 'EDGE']}})),
      {testId},
    )
  })

  it('16 patches binaryMediaTypes with ~1 escapes and removes the description', async () => {
    const testId = 'test_update_rest_api_operation_add_remove'
    const {id} = await t.v1.send(new CreateRestApiCommand({name: 'u', description: 'this is my api'}))
    for (const key of ['update-rest-api-add', 'update-rest-api-replace', 'update-rest-api-remove']) {
      const patchOperations = recordedCall(r, key, testId).request.patchOperations as PatchOperation[]
      await check(r, key, t.v1.send(new UpdateRestApiCommand({restApiId: id!, patchOperations})), {testId})
    }
    await check(
      r,
      'not-found-update-rest-api',
      t.v1.send(
        new UpdateRestApiCommand({restApiId: 'api_id', patchOperations: [{op: 'replace', path: '/apiKeySource', value: 'AUTHORIZER'}]}),
      ),
    )
  })

  it('16 treats REST API ids as case-sensitive', async () => {
    const {id} = await t.v1.send(new CreateRestApiCommand({name: 'lower', description: 'lower case api'}))
    await check(r, 'get-api-upper-case', t.v1.send(new GetRestApiCommand({restApiId: id!.toUpperCase()})))
  })
})
