/**
 * The REST lifecycle against the emulator, through the services with real SDK clients: deploy (create,
 * idempotent, settings only, new spec), plan, status, history, promote (whole and canary), canary
 * percent/promote/abort, rollback by default, by id and by git sha. Every effect is read back with the
 * emulator's own SDK client.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {canary} from '../../src/services/lifecycle/canary.ts'
import {deploy} from '../../src/services/lifecycle/deploy.ts'
import {history} from '../../src/services/lifecycle/history.ts'
import {plan} from '../../src/services/lifecycle/plan.ts'
import {promote} from '../../src/services/lifecycle/promote.ts'
import {pickTarget, rollback} from '../../src/services/lifecycle/rollback.ts'
import {status} from '../../src/services/lifecycle/status.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {emulatorDeps, mockIntegration, restSpec, writeProject} from './lifecycle-project.ts'

const config = {
  apis: {
    pets: {
      type: 'rest',
      spec: 'pets.json',
      stages: {
        dev: {
          variables: {backendUrl: 'http://localhost:3000'},
          throttling: {rateLimit: 50, burstLimit: 100},
          accessLogs: {format: 'json'},
          tracing: true,
          executionLogs: {level: 'INFO'},
        },
        prod: {variables: {backendUrl: 'https://pets.example.com'}, metrics: true},
      },
      usagePlans: {basic: {stages: ['prod'], throttle: {rateLimit: 10, burstLimit: 20}, quota: {limit: 10000, period: 'MONTH'}}},
    },
  },
}

describe('REST lifecycle against the emulator', () => {
  let emu: TestEmulator
  let dir: string
  let deps: ReturnType<typeof emulatorDeps>
  let apiId: string
  let firstDeployment: string
  let secondDeployment: string

  before(async () => {
    emu = await startTestEmulator()
    dir = writeProject({config, specs: {'pets.json': restSpec('pets')}})
    deps = emulatorDeps(emu, dir)
  })
  after(async () => {
    deps.aws.destroy()
    await emu.close()
  })

  test('plan before anything exists lists the creating calls', async () => {
    // Given an empty emulator / When planning dev / Then the API, deployment, log group and stage are created, in that order
    const p = await plan({cwd: dir, stage: 'dev'}, deps)
    assert.equal(p.reason, 'api-missing')
    assert.deepEqual(
      p.steps.map((s) => s.operation),
      ['ImportRestApi', 'TagResource', 'CreateDeployment', 'CreateLogGroup', 'CreateStage', 'UpdateStage'],
    )
    assert.deepEqual(p.operations.added, ['GET /health', 'GET /items'])
    assert.equal((p.steps[0]?.input as Record<string, unknown> | undefined)?.failOnWarnings, true)
  })

  test('deploy creates the tagged API, a recorded deployment, the log group and the stage with its settings', async () => {
    // Given nothing deployed / When deploying dev
    const r = await deploy({cwd: dir, stage: 'dev'}, deps)
    // Then the API exists, is tagged, and the stage runs the new deployment with the apigw.yaml settings
    assert.equal(r.createdApi, true)
    apiId = r.apiId
    firstDeployment = r.deploymentId ?? ''
    const api = await emu.v1.send(new (await import('@aws-sdk/client-api-gateway')).GetRestApiCommand({restApiId: apiId}))
    assert.equal(api.tags?.['apigw:api'], 'pets')
    const {GetStageCommand, GetDeploymentCommand} = await import('@aws-sdk/client-api-gateway')
    const stage = await emu.v1.send(new GetStageCommand({restApiId: apiId, stageName: 'dev'}))
    assert.equal(stage.deploymentId, firstDeployment)
    assert.deepEqual(stage.variables, {backendUrl: 'http://localhost:3000'})
    assert.equal(stage.tracingEnabled, true)
    assert.equal(stage.methodSettings?.['*/*']?.throttlingRateLimit, 50)
    assert.equal(stage.methodSettings?.['*/*']?.throttlingBurstLimit, 100)
    assert.equal(stage.methodSettings?.['*/*']?.loggingLevel, 'INFO')
    assert.match(stage.accessLogSettings?.destinationArn ?? '', /:log-group:\/apigw\/pets\/dev\/access$/)
    assert.match(stage.accessLogSettings?.format ?? '', /"requestId":"\$context\.requestId"/)
    const d = await emu.v1.send(new GetDeploymentCommand({restApiId: apiId, deploymentId: firstDeployment}))
    assert.match(d.description ?? '', /^apigw:v1 spec=[0-9a-f]{12} git=\S+ by=\S+ tool=\S+$/)
    const groups = await emu.logs.send(
      new (await import('@aws-sdk/client-cloudwatch-logs')).DescribeLogGroupsCommand({logGroupNamePrefix: '/apigw/pets/dev'}),
    )
    assert.deepEqual(
      groups.logGroups?.map((g) => g.logGroupName),
      ['/apigw/pets/dev/access'],
    )
  })

  test('a second deploy with the same spec and settings makes no deployment and says so', async () => {
    // Given dev deployed / When deploying again / Then nothing is called beyond reads
    const r = await deploy({cwd: dir, stage: 'dev'}, deps)
    assert.equal(r.upToDate, true)
    assert.equal(r.deploymentId, firstDeployment)
    assert.ok(deps.progress.log.infos.some((m) => /no new deployment/.test(m)))
    const {GetDeploymentsCommand} = await import('@aws-sdk/client-api-gateway')
    assert.equal((await emu.v1.send(new GetDeploymentsCommand({restApiId: apiId}))).items?.length, 1)
  })

  test('--force deploys anyway', async () => {
    const r = await deploy({cwd: dir, stage: 'dev', force: true}, deps)
    assert.equal(r.upToDate, false)
    assert.notEqual(r.deploymentId, firstDeployment)
    secondDeployment = r.deploymentId ?? ''
  })

  test('a settings-only change updates the stage without a new deployment', async () => {
    // Given a changed variable in apigw.yaml
    const changed = structuredClone(config)
    changed.apis.pets.stages.dev.variables.backendUrl = 'http://localhost:4000'
    writeFileSync(join(dir, 'apigw.yaml'), JSON.stringify(changed))
    // When planning and deploying
    const p = await plan({cwd: dir, stage: 'dev'}, deps)
    assert.equal(p.newDeployment, false)
    assert.deepEqual(p.settings, [{setting: 'variables.backendUrl', from: 'http://localhost:3000', to: 'http://localhost:4000'}])
    assert.deepEqual(
      p.steps.map((s) => s.operation),
      ['UpdateStage'],
    )
    const r = await deploy({cwd: dir, stage: 'dev'}, deps)
    // Then the stage keeps its deployment and has the new variable
    assert.equal(r.deploymentId, secondDeployment)
    const {GetStageCommand} = await import('@aws-sdk/client-api-gateway')
    const stage = await emu.v1.send(new GetStageCommand({restApiId: apiId, stageName: 'dev'}))
    assert.equal(stage.variables?.backendUrl, 'http://localhost:4000')
    assert.equal(stage.deploymentId, secondDeployment)
  })

  test('a setting changed by hand shows as drifted, and deploy puts it back without a new deployment', async () => {
    // Given someone turned tracing off and changed throttling outside apigw
    const {UpdateStageCommand, GetStageCommand} = await import('@aws-sdk/client-api-gateway')
    await emu.v1.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'dev',
        patchOperations: [
          {op: 'replace', path: '/tracingEnabled', value: 'false'},
          {op: 'replace', path: '/*/*/throttling/rateLimit', value: '7'},
        ],
      }),
    )
    // When asking for the status / Then dev is drifted, with both settings named
    const s = await status({cwd: dir}, deps)
    const dev = s.stages.find((x) => x.name === 'dev')
    assert.equal(dev?.sync, 'drifted')
    assert.deepEqual(dev?.settingsDrift, [
      {setting: 'throttling.rateLimit', from: 7, to: 50},
      {setting: 'tracing', from: false, to: true},
    ])
    // And deploy restores them in one UpdateStage, keeping the deployment
    const r = await deploy({cwd: dir, stage: 'dev'}, deps)
    assert.deepEqual(
      r.plan.steps.map((x) => x.operation),
      ['UpdateStage'],
    )
    const stage = await emu.v1.send(new GetStageCommand({restApiId: apiId, stageName: 'dev'}))
    assert.equal(stage.tracingEnabled, true)
    assert.equal(stage.methodSettings?.['*/*']?.throttlingRateLimit, 50)
    assert.equal(stage.deploymentId, secondDeployment)
    assert.equal((await status({cwd: dir}, deps)).stages.find((x) => x.name === 'dev')?.sync, 'in-sync')
  })

  test('a changed spec shows as repo-ahead, plans the operation changes, and deploys a new deployment', async () => {
    // Given a spec with one more operation
    writeFileSync(
      join(dir, 'pets.json'),
      JSON.stringify(
        restSpec('pets', {
          '/orders': {
            get: {
              operationId: 'listOrders',
              responses: {'200': {description: 'ok'}},
              'x-amazon-apigateway-integration': mockIntegration('[]'),
            },
          },
        }),
      ),
    )
    const s = await status({cwd: dir}, deps)
    assert.equal(s.stages.find((x) => x.name === 'dev')?.sync, 'repo-ahead')
    assert.equal(s.stages.find((x) => x.name === 'prod')?.sync, 'not-deployed')
    const p = await plan({cwd: dir, stage: 'dev'}, deps)
    assert.equal(p.reason, 'spec-changed')
    assert.deepEqual(p.operations.added, ['GET /orders'])
    assert.deepEqual(
      p.steps.map((s) => s.operation),
      ['PutRestApi', 'CreateDeployment', 'UpdateStage'],
    )
    assert.equal((p.steps[0]?.input as Record<string, unknown> | undefined)?.mode, 'overwrite')
    const r = await deploy({cwd: dir, stage: 'dev'}, deps)
    assert.equal(r.previousDeploymentId, secondDeployment)
    const after = await status({cwd: dir}, deps)
    assert.equal(after.stages.find((x) => x.name === 'dev')?.sync, 'in-sync')
  })

  test("promote makes prod run dev's deployment with its own settings, and links the usage plan", async () => {
    const devNow = (await status({cwd: dir}, deps)).stages.find((s) => s.name === 'dev')?.deploymentId
    const r = await promote({yes: true, cwd: dir, from: 'dev', to: 'prod'}, deps)
    assert.equal(r.to, devNow)
    const {GetStageCommand, GetUsagePlansCommand} = await import('@aws-sdk/client-api-gateway')
    const prod = await emu.v1.send(new GetStageCommand({restApiId: apiId, stageName: 'prod'}))
    assert.equal(prod.deploymentId, devNow)
    assert.deepEqual(prod.variables, {backendUrl: 'https://pets.example.com'})
    assert.equal(prod.methodSettings?.['*/*']?.metricsEnabled, true)
    const plans = await emu.v1.send(new GetUsagePlansCommand({}))
    const basic = plans.items?.find((p) => p.name === 'pets-basic')
    assert.deepEqual(
      basic?.apiStages?.map((s) => `${s.apiId}:${s.stage}`),
      [`${apiId}:prod`],
    )
    assert.equal(basic?.throttle?.rateLimit, 10)
    assert.equal(basic?.quota?.limit, 10000)
  })

  test('a canary: promote --canary, canary --percent, --abort, then again and --promote', async () => {
    // Given dev ahead of prod by one deployment
    const before = (await deploy({cwd: dir, stage: 'dev', force: true}, deps)).deploymentId
    const prodBefore = (await status({cwd: dir}, deps)).stages.find((s) => s.name === 'prod')?.deploymentId
    // When starting a canary on prod at 10%
    const started = await promote({yes: true, cwd: dir, from: 'dev', to: 'prod', canary: 10}, deps)
    assert.deepEqual(started.canary, {deploymentId: before, percentTraffic: 10})
    const {GetStageCommand} = await import('@aws-sdk/client-api-gateway')
    let prod = await emu.v1.send(new GetStageCommand({restApiId: apiId, stageName: 'prod'}))
    assert.equal(prod.canarySettings?.deploymentId, before)
    assert.equal(prod.deploymentId, prodBefore)
    // Then --percent moves it, --abort removes it
    await canary({cwd: dir, stage: 'prod', percent: 40}, deps)
    prod = await emu.v1.send(new GetStageCommand({restApiId: apiId, stageName: 'prod'}))
    assert.equal(prod.canarySettings?.percentTraffic, 40)
    await canary({yes: true, cwd: dir, stage: 'prod', abort: true}, deps)
    prod = await emu.v1.send(new GetStageCommand({restApiId: apiId, stageName: 'prod'}))
    assert.equal(prod.canarySettings, undefined)
    assert.equal(prod.deploymentId, prodBefore)
    // And --promote moves the stage to the canary's deployment and removes the canary
    await promote({yes: true, cwd: dir, from: 'dev', to: 'prod', canary: 25}, deps)
    const s = await status({cwd: dir}, deps)
    assert.equal(s.stages.find((x) => x.name === 'prod')?.canary?.percentTraffic, 25)
    const promoted = await canary({yes: true, cwd: dir, stage: 'prod', promote: true}, deps)
    assert.equal(promoted.to, before)
    prod = await emu.v1.send(new GetStageCommand({restApiId: apiId, stageName: 'prod'}))
    assert.equal(prod.deploymentId, before)
    assert.equal(prod.canarySettings, undefined)
    assert.equal(prod.variables?.backendUrl, 'https://pets.example.com')
  })

  test('canary without one, and an out-of-range percent, are clear errors', async () => {
    await assert.rejects(canary({cwd: dir, stage: 'prod', abort: true}, deps), {code: 'NO_CANARY'})
    await assert.rejects(canary({cwd: dir, stage: 'prod', percent: 140}, deps), {code: 'USAGE'})
    await assert.rejects(canary({cwd: dir, stage: 'prod'}, deps), {code: 'USAGE'})
  })

  test('history lists every deployment newest first, with records and the stages that run them', async () => {
    const h = await history({cwd: dir, stage: 'prod'}, deps)
    assert.equal(h.deployments.length, 4)
    const times = h.deployments.map((d) => d.createdDate ?? '')
    assert.deepEqual([...times].sort().reverse(), times)
    assert.ok(h.deployments.every((d) => d.record && /^[0-9a-f]{12}$/.test(d.record.spec)))
    const current = h.deployments.find((d) => d.id === h.current)
    assert.ok(current?.stages.includes('prod'))
  })

  test('rollback goes to the deployment dev ran before, to an id, and refuses an unknown sha', async () => {
    const h = await history({cwd: dir, stage: 'dev'}, deps)
    const current = h.current ?? ''
    // Only dev made deployments here, so what it ran before is the API's second newest.
    assert.equal(h.deployments[0]?.id, current)
    const expected = h.deployments[1]?.id
    const r = await rollback({yes: true, cwd: dir, stage: 'dev'}, deps)
    assert.equal(r.from, current)
    assert.equal(r.to, expected)
    assert.equal(r.target.by, 'history')
    const {GetStageCommand} = await import('@aws-sdk/client-api-gateway')
    assert.equal((await emu.v1.send(new GetStageCommand({restApiId: apiId, stageName: 'dev'}))).deploymentId, expected)
    const back = await rollback({yes: true, cwd: dir, stage: 'dev', to: firstDeployment}, deps)
    assert.equal(back.to, firstDeployment)
    await assert.rejects(rollback({yes: true, cwd: dir, stage: 'dev', to: 'deadbeef'}, deps), {code: 'AWS_NOT_FOUND'})
  })

  test('a confirmation answered no cancels and changes nothing', async () => {
    const before = (await status({cwd: dir}, deps)).stages.find((s) => s.name === 'dev')?.deploymentId
    const newest = (await history({cwd: dir}, deps)).deployments[0]?.id
    assert.notEqual(newest, before)
    await assert.rejects(rollback({cwd: dir, stage: 'dev', to: newest, confirm: async () => false}, deps), {code: 'CANCELLED'})
    assert.equal((await status({cwd: dir}, deps)).stages.find((s) => s.name === 'dev')?.deploymentId, before)
  })
})

describe('REST deploy from a git repository', () => {
  test('the record carries the commit and dirty flag; plan diffs against the deployed commit; rollback by sha', async () => {
    // Given a project in a git repository, committed, and deployed
    const emu = await startTestEmulator()
    const dir = writeProject({
      config: {apis: {pets: {type: 'rest', spec: 'pets.json', stages: {dev: {}}}}},
      specs: {'pets.json': restSpec('pets')},
    })
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {cwd: dir, encoding: 'utf8'}).trim()
    const deps = emulatorDeps(emu, dir)
    try {
      git('init', '-q')
      git('add', '.')
      git('commit', '-q', '-m', 'one')
      const first = git('rev-parse', '--short=12', 'HEAD')
      const d1 = await deploy({cwd: dir, stage: 'dev'}, deps)
      // When an operation changes and the tree is dirty
      const changed = restSpec('pets')
      ;(changed.paths as Record<string, {get: {responses: Record<string, unknown>}}>)['/items']!.get.responses['404'] = {
        description: 'none',
      }
      writeFileSync(join(dir, 'pets.json'), JSON.stringify(changed))
      const p = await plan({cwd: dir, stage: 'dev'}, deps)
      // Then the plan compares with the deployed commit's file and lists the changed operation
      assert.deepEqual(p.operations, {added: [], removed: [], changed: ['GET /items'], basis: 'git'})
      const d2 = await deploy({cwd: dir, stage: 'dev'}, deps)
      const h = await history({cwd: dir, stage: 'dev'}, deps)
      assert.deepEqual(
        h.deployments.map((d) => [d.id, d.record?.git, d.record?.dirty]),
        [
          [d2.deploymentId, first, true],
          [d1.deploymentId, first, false],
        ],
      )
      // And rollback --to <sha> finds the newest deployment made from that commit
      git('commit', '-q', '-am', 'two')
      const d3 = await deploy({cwd: dir, stage: 'dev', force: true}, deps)
      assert.notEqual(d3.deploymentId, d2.deploymentId)
      const r = await rollback({yes: true, cwd: dir, stage: 'dev', to: first.slice(0, 8)}, deps)
      assert.equal(r.to, d2.deploymentId)
    } finally {
      deps.aws.destroy()
      await emu.close()
    }
  })
})

describe('pickTarget (rollback --to)', () => {
  const d = (id: string, t: number, git?: string) => ({
    id,
    createdDate: new Date(t * 1000),
    record: git ? {spec: 'aaaaaaaaaaaa', git, dirty: false} : undefined,
  })
  const list = [d('c', 3, 'cccccccccccc'), d('b', 2, 'bbbbbbbbbbbb'), d('a', 1, 'aaaaaaaaaaaa')]
  for (const [name, to, expected] of [
    ['by id', 'a', 'a'],
    ['by git prefix', 'bbbbbbb', 'b'],
    ['by a longer sha', 'aaaaaaaaaaaa1234', 'a'],
  ] as const) {
    test(name, () => {
      // Given three deployments / When picking / Then the expected one
      assert.equal(pickTarget(list, to).id, expected)
    })
  }
  test('an unknown id or sha is AWS_NOT_FOUND', () => assert.throws(() => pickTarget(list, 'deadbeef'), {code: 'AWS_NOT_FOUND'}))
})
