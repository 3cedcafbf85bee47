/**
 * The HTTP API lifecycle against the emulator: deploy (ImportApi, CreateDeployment, CreateStage),
 * idempotence, settings-only update, ReimportApi for a new spec, status, history, promote, rollback, and
 * the clear refusal of canary verbs for HTTP APIs.
 */
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {GetApiCommand, GetDeploymentsCommand, GetStageCommand} from '@aws-sdk/client-apigatewayv2'
import {canary} from '../../src/services/lifecycle/canary.ts'
import {deploy} from '../../src/services/lifecycle/deploy.ts'
import {history} from '../../src/services/lifecycle/history.ts'
import {plan} from '../../src/services/lifecycle/plan.ts'
import {promote} from '../../src/services/lifecycle/promote.ts'
import {rollback} from '../../src/services/lifecycle/rollback.ts'
import {status} from '../../src/services/lifecycle/status.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {emulatorDeps, httpSpec, writeProject} from './lifecycle-project.ts'

const config = {
  apis: {
    web: {
      type: 'http',
      spec: 'web.json',
      stages: {
        dev: {variables: {backend: 'dev.example.com'}, throttling: {rateLimit: 20, burstLimit: 40}, accessLogs: {}},
        prod: {variables: {backend: 'prod.example.com'}},
      },
    },
  },
}

describe('HTTP API lifecycle against the emulator', () => {
  let emu: TestEmulator
  let dir: string
  let deps: ReturnType<typeof emulatorDeps>
  let apiId: string
  let first: string

  before(async () => {
    emu = await startTestEmulator()
    dir = writeProject({config, specs: {'web.json': httpSpec('web')}})
    deps = emulatorDeps(emu, dir)
  })
  after(async () => {
    deps.aws.destroy()
    await emu.close()
  })

  test('deploy imports the API, tags it, creates a recorded deployment and the stage with its settings', async () => {
    // Given nothing deployed / When deploying dev
    const r = await deploy({cwd: dir, stage: 'dev'}, deps)
    // Then the calls are the HTTP ones, and the stage reads back as configured
    assert.deepEqual(
      r.plan.steps.map((s) => s.operation),
      ['ImportApi', 'TagResource', 'CreateDeployment', 'CreateLogGroup', 'CreateStage'],
    )
    apiId = r.apiId
    first = r.deploymentId ?? ''
    const api = await emu.v2.send(new GetApiCommand({ApiId: apiId}))
    assert.equal(api.Tags?.['apigw:api'], 'web')
    const stage = await emu.v2.send(new GetStageCommand({ApiId: apiId, StageName: 'dev'}))
    assert.equal(stage.DeploymentId, first)
    assert.deepEqual(stage.StageVariables, {backend: 'dev.example.com'})
    assert.equal(stage.DefaultRouteSettings?.ThrottlingRateLimit, 20)
    assert.match(stage.AccessLogSettings?.DestinationArn ?? '', /:log-group:\/apigw\/web\/dev\/access$/)
    assert.match(stage.AccessLogSettings?.Format ?? '', /\$context\.routeKey/)
    const deployments = await emu.v2.send(new GetDeploymentsCommand({ApiId: apiId}))
    assert.match(deployments.Items?.[0]?.Description ?? '', /^apigw:v1 spec=[0-9a-f]{12} /)
  })

  test('the same spec and settings deploy nothing; a settings change only updates the stage', async () => {
    assert.equal((await deploy({cwd: dir, stage: 'dev'}, deps)).upToDate, true)
    const changed = structuredClone(config)
    changed.apis.web.stages.dev.throttling.rateLimit = 30
    writeFileSync(join(dir, 'apigw.yaml'), JSON.stringify(changed))
    const r = await deploy({cwd: dir, stage: 'dev'}, deps)
    assert.deepEqual(
      r.plan.steps.map((s) => s.operation),
      ['UpdateStage'],
    )
    assert.equal(r.deploymentId, first)
    const stage = await emu.v2.send(new GetStageCommand({ApiId: apiId, StageName: 'dev'}))
    assert.equal(stage.DefaultRouteSettings?.ThrottlingRateLimit, 30)
  })

  test('a new spec reimports and moves the stage', async () => {
    writeFileSync(
      join(dir, 'web.json'),
      JSON.stringify(
        httpSpec('web', {
          '/owners': {
            get: {
              operationId: 'listOwners',
              responses: {'200': {description: 'ok'}},
              'x-amazon-apigateway-integration': {
                type: 'HTTP_PROXY',
                httpMethod: 'GET',
                uri: 'https://example.com/owners',
                payloadFormatVersion: '1.0',
              },
            },
          },
        }),
      ),
    )
    const p = await plan({cwd: dir, stage: 'dev'}, deps)
    assert.deepEqual(
      p.steps.map((s) => s.operation),
      ['ReimportApi', 'CreateDeployment', 'UpdateStage'],
    )
    assert.ok(p.operations.added.includes('GET /owners'), JSON.stringify(p.operations))
    const r = await deploy({cwd: dir, stage: 'dev'}, deps)
    assert.notEqual(r.deploymentId, first)
    const s = await status({cwd: dir}, deps)
    assert.deepEqual(
      s.stages.map((x) => [x.name, x.sync]),
      [
        ['dev', 'in-sync'],
        ['prod', 'not-deployed'],
      ],
    )
  })

  test("promote creates prod on dev's deployment with prod's variables; rollback and history follow", async () => {
    const dev = (await status({cwd: dir}, deps)).stages[0]?.deploymentId
    const r = await promote({yes: true, cwd: dir, from: 'dev', to: 'prod'}, deps)
    assert.equal(r.to, dev)
    const prod = await emu.v2.send(new GetStageCommand({ApiId: apiId, StageName: 'prod'}))
    assert.equal(prod.DeploymentId, dev)
    assert.deepEqual(prod.StageVariables, {backend: 'prod.example.com'})
    const back = await rollback({yes: true, cwd: dir, stage: 'dev'}, deps)
    assert.equal(back.to, first)
    assert.equal((await emu.v2.send(new GetStageCommand({ApiId: apiId, StageName: 'dev'}))).DeploymentId, first)
    const h = await history({cwd: dir}, deps)
    assert.equal(h.deployments.length, 2)
    assert.deepEqual(h.deployments.find((d) => d.id === first)?.stages, ['dev'])
    assert.deepEqual(h.deployments.find((d) => d.id === dev)?.stages, ['prod'])
  })

  test('access logs dropped from apigw.yaml are deleted from the stage', async () => {
    // Given dev writing access logs / When apigw.yaml drops them and dev is deployed
    const changed = structuredClone(config) as {apis: {web: {stages: {dev: Record<string, unknown>}}}}
    delete changed.apis.web.stages.dev.accessLogs
    writeFileSync(join(dir, 'apigw.yaml'), JSON.stringify(changed))
    const r = await deploy({cwd: dir, stage: 'dev'}, deps)
    // Then DeleteAccessLogSettings ran and the stage has none
    assert.ok(
      r.plan.steps.some((s) => s.operation === 'DeleteAccessLogSettings'),
      JSON.stringify(r.plan.steps.map((s) => s.operation)),
    )
    const stage = await emu.v2.send(new GetStageCommand({ApiId: apiId, StageName: 'dev'}))
    assert.equal(stage.AccessLogSettings?.DestinationArn, undefined)
    assert.equal((await deploy({cwd: dir, stage: 'dev'}, deps)).upToDate, true)
  })

  test('throttling dropped from apigw.yaml is reset on the stage: plan shows it, deploy does it, status is in sync', async () => {
    // Given dev throttled (20/40, as the last deploy left it) / When apigw.yaml drops throttling
    const changed = structuredClone(config) as {apis: {web: {stages: {dev: Record<string, unknown>}}}}
    delete changed.apis.web.stages.dev.accessLogs
    delete changed.apis.web.stages.dev.throttling
    writeFileSync(join(dir, 'apigw.yaml'), JSON.stringify(changed))
    // Then the plan shows both limits going away, in one UpdateStage
    const p = await plan({cwd: dir, stage: 'dev'}, deps)
    assert.deepEqual(
      p.settings.filter((c) => c.setting.startsWith('throttling.')),
      [
        {setting: 'throttling.burstLimit', from: 40, to: null},
        {setting: 'throttling.rateLimit', from: 20, to: null},
      ],
    )
    assert.deepEqual(
      p.steps.map((s) => s.operation),
      ['UpdateStage'],
    )
    await deploy({cwd: dir, stage: 'dev'}, deps)
    const stage = await emu.v2.send(new GetStageCommand({ApiId: apiId, StageName: 'dev'}))
    assert.equal(stage.DefaultRouteSettings?.ThrottlingRateLimit, undefined)
    assert.equal(stage.DefaultRouteSettings?.ThrottlingBurstLimit, undefined)
    assert.equal((await deploy({cwd: dir, stage: 'dev'}, deps)).upToDate, true)
    assert.equal((await status({cwd: dir}, deps)).stages.find((x) => x.name === 'dev')?.sync, 'in-sync')
  })

  test('canary verbs on an HTTP API say why they cannot work', async () => {
    for (const run of [
      () => canary({cwd: dir, stage: 'dev', percent: 10}, deps),
      () => promote({cwd: dir, from: 'dev', to: 'prod', canary: 10}, deps),
    ]) {
      await assert.rejects(run(), (e: Error & {code?: string}) => {
        assert.equal(e.code, 'NOT_SUPPORTED')
        assert.match(e.message, /HTTP API.*only for REST APIs/)
        return true
      })
    }
  })
})
