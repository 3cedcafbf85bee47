/**
 * The lifecycle through the BUILT CLI (`node bin/run.js … --local --json`) in a temp project: with no
 * server running (each command starts the emulator in-process on the project's state directory), and
 * attached to a running emulator whose state is read back with the AWS CLI v2. A broken spec is refused
 * with exit 1 and leaves the stage as it was.
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {promisify} from 'node:util'
import {type Emulator, startEmulator} from '../../src/local/server.ts'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {httpSpec, mockIntegration, restSpec, writeProject} from './lifecycle-project.ts'

const built = cliBuilt()
const AWS_CLI = process.env.APIGW_AWS_CLI ?? '/usr/bin/aws'

type Envelope = {status: number; result?: Record<string, unknown>; error?: {code: string; message: string; hint?: string}}

async function apigw(dir: string, args: string[]): Promise<{code: number | null; json: Envelope; stderr: string}> {
  const run = await runCli([...args, '--local', '--json'], {cwd: dir, timeoutMs: 60_000})
  assert.equal(run.timedOut, false, `apigw ${args.join(' ')} timed out`)
  let json: Envelope
  try {
    json = JSON.parse(run.stdout) as Envelope
  } catch {
    assert.fail(`apigw ${args.join(' ')}: stdout is not one JSON document:\n${run.stdout}\n${run.stderr}`)
  }
  return {code: run.code, json, stderr: run.stderr}
}

const config = {
  apis: {
    pets: {type: 'rest', spec: 'pets.json', stages: {dev: {variables: {v: 'dev'}}, prod: {variables: {v: 'prod'}}}},
    web: {type: 'http', spec: 'web.json', stages: {dev: {}}},
  },
}

describe('lifecycle through the built CLI, no server running', {skip: built ? false : 'the CLI is not built (run `npm run build`)'}, () => {
  let dir: string
  before(() => {
    dir = writeProject({config, specs: {'pets.json': restSpec('pets'), 'web.json': httpSpec('web')}})
  })

  test('deploy, deploy again, status, history, for REST and HTTP', async () => {
    // Given no emulator running / When deploying REST dev
    const first = await apigw(dir, ['deploy', 'pets', '--stage', 'dev'])
    assert.equal(first.code, 0, first.stderr)
    assert.equal(first.json.result?.createdApi, true)
    assert.equal(first.stderr, '', 'nothing but the envelope with --json')
    // Then the state persisted in the project's state directory
    assert.ok(existsSync(join(dir, '.apigw', 'local')))
    const again = await apigw(dir, ['deploy', 'pets', '--stage', 'dev'])
    assert.equal(again.json.result?.upToDate, true)
    const http = await apigw(dir, ['deploy', 'web', '--stage', 'dev'])
    assert.equal(http.code, 0, JSON.stringify(http.json))
    const status = await apigw(dir, ['status', 'pets'])
    const stages = status.json.result?.stages as Array<{name: string; sync: string}>
    assert.deepEqual(
      stages.map((s) => [s.name, s.sync]),
      [
        ['dev', 'in-sync'],
        ['prod', 'not-deployed'],
      ],
    )
    const history = await apigw(dir, ['history', 'web', '--stage', 'dev'])
    assert.equal(((history.json.result?.deployments ?? []) as unknown[]).length, 1)
  })

  test('plan, and deploy --dry-run, change nothing', async () => {
    writeFileSync(
      join(dir, 'pets.json'),
      JSON.stringify(
        restSpec('pets', {
          '/extra': {get: {responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': mockIntegration('{}')}},
        }),
      ),
    )
    const plan = await apigw(dir, ['plan', 'pets', '--stage', 'dev'])
    assert.deepEqual(
      ((plan.json.result?.steps ?? []) as Array<{operation: string}>).map((s) => s.operation),
      ['PutRestApi', 'CreateDeployment', 'UpdateStage'],
    )
    const dry = await apigw(dir, ['deploy', 'pets', '--stage', 'dev', '--dry-run'])
    assert.equal(dry.json.result?.dryRun, true)
    const status = await apigw(dir, ['status', 'pets'])
    assert.equal(((status.json.result?.stages ?? []) as Array<{sync: string}>)[0]?.sync, 'repo-ahead')
  })

  test('canary on an HTTP API exits 2 with the reason', async () => {
    const r = await apigw(dir, ['canary', 'web', '--stage', 'dev', '--percent', '10'])
    assert.equal(r.code, 2)
    assert.equal(r.json.error?.code, 'NOT_SUPPORTED')
    assert.match(r.json.error?.message ?? '', /only for REST APIs/)
  })
})

describe('lifecycle through the built CLI attached to `apigw local start`, read back with the AWS CLI', {
  skip: built ? false : 'the CLI is not built (run `npm run build`)',
}, () => {
  let dir: string
  let emulator: Emulator
  let apiId: string
  const haveAwsCli = existsSync(AWS_CLI)

  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const {stdout} = await promisify(execFile)(
      AWS_CLI,
      [...args, '--endpoint-url', emulator.url, '--region', 'us-east-1', '--no-cli-pager', '--output', 'json'],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: 'AKIDTEST',
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      },
    )
    return JSON.parse(stdout) as Record<string, unknown>
  }

  before(async () => {
    dir = writeProject({config, specs: {'pets.json': restSpec('pets'), 'web.json': httpSpec('web')}})
    emulator = await startEmulator({port: 0, dataDir: join(dir, '.apigw', 'local'), advertise: true})
  })
  after(async () => {
    await emulator?.close()
  })

  test('deploy, promote, broken spec refused, rollback: every effect read back', async (t) => {
    if (!haveAwsCli) {
      if (process.env.CI) assert.fail(`the AWS CLI v2 is missing at ${AWS_CLI}`)
      t.skip(`the AWS CLI v2 is not installed at ${AWS_CLI} (set APIGW_AWS_CLI)`)
      return
    }
    // Given dev deployed and promoted to prod
    const d = await apigw(dir, ['deploy', 'pets', '--stage', 'dev'])
    assert.equal(d.code, 0, JSON.stringify(d.json))
    apiId = String(d.json.result?.apiId)
    const dev1 = String(d.json.result?.deploymentId)
    const p = await apigw(dir, ['promote', 'pets', '--from', 'dev', '--to', 'prod', '--yes'])
    assert.equal(p.code, 0, JSON.stringify(p.json))
    let prod = await aws('apigateway', 'get-stage', '--rest-api-id', apiId, '--stage-name', 'prod')
    assert.equal(prod.deploymentId, dev1)
    assert.deepEqual(prod.variables, {v: 'prod'})
    // When a broken spec is deployed / Then exit 1, VALIDATION_FAILED, and dev still runs dev1
    const broken = restSpec('pets')
    ;(broken.paths as Record<string, {get: Record<string, unknown>}>)['/health']!.get['x-amazon-apigateway-integration'] = {
      ...mockIntegration('{}'),
      type: 'nonsense',
    }
    writeFileSync(join(dir, 'pets.json'), JSON.stringify(broken))
    const refused = await apigw(dir, ['deploy', 'pets', '--stage', 'dev'])
    assert.equal(refused.code, 1)
    assert.equal(refused.json.error?.code, 'VALIDATION_FAILED')
    assert.ok(refused.json.result, 'the findings travel in result')
    assert.equal((await aws('apigateway', 'get-stage', '--rest-api-id', apiId, '--stage-name', 'dev')).deploymentId, dev1)
    // When a good new spec is deployed and then rolled back
    writeFileSync(
      join(dir, 'pets.json'),
      JSON.stringify(
        restSpec('pets', {
          '/v2': {get: {responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': mockIntegration('{}')}},
        }),
      ),
    )
    const d2 = await apigw(dir, ['deploy', 'pets', '--stage', 'dev'])
    const dev2 = String(d2.json.result?.deploymentId)
    assert.notEqual(dev2, dev1)
    const deployments = await aws('apigateway', 'get-deployments', '--rest-api-id', apiId)
    assert.equal((deployments.items as unknown[]).length, 2)
    const rb = await apigw(dir, ['rollback', 'pets', '--stage', 'dev', '--yes'])
    assert.equal(rb.code, 0, JSON.stringify(rb.json))
    assert.equal((await aws('apigateway', 'get-stage', '--rest-api-id', apiId, '--stage-name', 'dev')).deploymentId, dev1)
    // And a canary on prod with dev2, promoted
    await apigw(dir, ['rollback', 'pets', '--stage', 'dev', '--to', dev2, '--yes'])
    const c = await apigw(dir, ['promote', 'pets', '--from', 'dev', '--to', 'prod', '--canary', '20', '--yes'])
    assert.equal(c.code, 0, JSON.stringify(c.json))
    prod = await aws('apigateway', 'get-stage', '--rest-api-id', apiId, '--stage-name', 'prod')
    assert.deepEqual(prod.canarySettings, {deploymentId: dev2, percentTraffic: 20, useStageCache: false})
    const cp = await apigw(dir, ['canary', 'pets', '--stage', 'prod', '--promote', '--yes'])
    assert.equal(cp.code, 0, JSON.stringify(cp.json))
    prod = await aws('apigateway', 'get-stage', '--rest-api-id', apiId, '--stage-name', 'prod')
    assert.equal(prod.deploymentId, dev2)
    assert.equal(prod.canarySettings, undefined)
  })
})
