/**
 * The life of a WebSocket API after its first deploy, through the BUILT CLI in a temp git project: diff against a
 * git revision and a deployed stage, history, promote, rollback (the emulator then serves each stage's own
 * deployment to a real `ws` client), export spec refused (AWS has none for WebSocket APIs), and export config
 * written back as an apigw.yaml that diff finds equal to the project's.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import WebSocket from 'ws'
import {stringify} from 'yaml'
import {type Emulator, startEmulator} from '../../src/local/server.ts'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const built = cliBuilt()

type Envelope = {status: number; result?: Record<string, unknown>; error?: {code: string; message: string}}

async function apigw(dir: string, args: string[]): Promise<{code: number | null; json: Envelope; stderr: string}> {
  const run = await runCli([...args, '--json'], {cwd: dir, timeoutMs: 120_000})
  assert.equal(run.timedOut, false)
  return {code: run.code, json: JSON.parse(run.stdout) as Envelope, stderr: run.stderr}
}

const mock = (answer: string) => ({
  type: 'MOCK',
  requestTemplates: {$default: '{"statusCode": 200}'},
  responses: {$default: {templates: {$default: JSON.stringify({pong: answer})}}},
})

function config(version: string, extra: Record<string, unknown> = {}, pingKey = 'ping') {
  return stringify({
    apis: {
      chat: {
        type: 'websocket',
        routeSelectionExpression: '$request.body.action',
        routes: {
          $connect: {integration: {type: 'MOCK', requestTemplates: {$default: '{"statusCode": 200}'}}},
          [pingKey]: {integration: mock(version), routeResponseSelectionExpression: '$default'},
          ...extra,
        },
        stages: {dev: {}, prod: {variables: {tier: 'prod'}}},
      },
    },
  })
}

const ids = (r: Envelope) => ((r.result?.findings ?? []) as Array<{id: string; operation?: string}>).map((f) => `${f.id} ${f.operation}`)

describe('WebSocket API lifecycle through the built CLI', {skip: built ? false : 'the CLI is not built (run `npm run build`)'}, () => {
  let emulator: Emulator | undefined
  after(async () => {
    await emulator?.close()
  })

  test('diff (git and stage), history, promote, rollback, export config', async () => {
    // Given a project in git, v1 deployed to dev and prod
    const dir = tempDir()
    const file = join(dir, 'apigw.yaml')
    writeFileSync(file, config('v1'))
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {cwd: dir, stdio: 'pipe'})
    git('init', '-q')
    git('add', 'apigw.yaml')
    git('commit', '-qm', 'v1')
    const dev1 = await apigw(dir, ['deploy', '--stage', 'dev', '--local'])
    assert.equal(dev1.code, 0, JSON.stringify(dev1.json))
    assert.equal((await apigw(dir, ['deploy', '--stage', 'prod', '--local'])).code, 0)

    // When the ping route answers v2 and a route is added: diff against git says so, nothing breaking
    writeFileSync(file, config('v2', {extra: {integration: {type: 'MOCK'}}}))
    const fromGit = await apigw(dir, ['diff', '--base', 'git:HEAD'])
    assert.equal(fromGit.code, 0, JSON.stringify(fromGit.json))
    assert.deepEqual(ids(fromGit.json).sort(), ['websocket-integration-templates-changed ping', 'websocket-route-added extra'])
    const dev2 = await apigw(dir, ['deploy', '--stage', 'dev', '--local'])
    assert.equal(dev2.code, 0, JSON.stringify(dev2.json))
    const v2 = String(dev2.json.result?.deploymentId)

    // A renamed route against the deployed stage is breaking (exit 1), with where it is in apigw.yaml
    writeFileSync(file, config('v2', {extra: {integration: {type: 'MOCK'}}}, 'pong'))
    const fromStage = await apigw(dir, ['diff', '--base', 'stage:dev', '--local'])
    assert.equal(fromStage.code, 1, JSON.stringify(fromStage.json))
    assert.equal(fromStage.json.error?.code, 'BREAKING_CHANGES')
    const human = await runCli(['diff', '--base', 'stage:dev', '--local'], {cwd: dir, timeoutMs: 120_000})
    assert.match(human.stdout, /The route ping is now pong \(same integration\)/)
    assert.match(human.stdout, /\[websocket-route-renamed\]\n\s+apigw\.yaml:\d+:\d+/)
    writeFileSync(file, config('v2', {extra: {integration: {type: 'MOCK'}}}))
    const same = await apigw(dir, ['diff', '--base', 'stage:dev', '--local'])
    assert.deepEqual(ids(same.json), [])

    // history: three deployments, dev's marked
    const history = await apigw(dir, ['history', '--stage', 'dev', '--local'])
    assert.equal(history.json.result?.type, 'websocket')
    assert.equal((history.json.result!.deployments as unknown[]).length, 3)
    assert.equal(history.json.result?.current, v2)

    // promote dev → prod, then roll dev back to what it ran before (v1), from its own history
    const promoted = await apigw(dir, ['promote', '--from', 'dev', '--to', 'prod', '--local', '--yes'])
    assert.equal(promoted.code, 0, JSON.stringify(promoted.json))
    assert.equal(promoted.json.result?.to, v2)
    const rolled = await apigw(dir, ['rollback', '--stage', 'dev', '--local', '--yes'])
    assert.equal(rolled.code, 0, JSON.stringify(rolled.json))
    assert.equal(rolled.json.result?.to, dev1.json.result?.deploymentId)
    assert.equal((rolled.json.result!.target as {by: string}).by, 'history')

    // Then the emulator serves each stage's own deployment: dev answers v1, prod v2
    emulator = await startEmulator({port: 0, dataDir: join(dir, '.apigw', 'local')})
    const ping = (stage: string) =>
      new Promise<string>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${emulator!.port}/_aws/execute-api/${dev1.json.result?.apiId}/${stage}`)
        ws.on('open', () => ws.send(JSON.stringify({action: 'ping'})))
        ws.on('message', (m) => {
          resolve(String(m))
          ws.close()
        })
        ws.on('error', reject)
      })
    assert.deepEqual(JSON.parse(await ping('dev')), {pong: 'v1'})
    assert.deepEqual(JSON.parse(await ping('prod')), {pong: 'v2'})

    // export spec: AWS has no export for WebSocket APIs; export config writes the live API as apigw.yaml
    const spec = await apigw(dir, ['export', 'spec', '--stage', 'prod', '--local'])
    assert.equal(spec.code, 2)
    assert.equal(spec.json.error?.code, 'NOT_SUPPORTED')
    assert.match(spec.json.error!.message, /AWS has no export for WebSocket APIs/)
    const exported = await apigw(dir, ['export', 'config', '--stage', 'prod', '--local', '--output', 'live.yaml'])
    assert.equal(exported.code, 0, JSON.stringify(exported.json))
    assert.equal(exported.json.result?.routes, 3)
    const roundTrip = await apigw(dir, ['diff', '--base', 'live.yaml'])
    assert.equal(roundTrip.code, 0, JSON.stringify(roundTrip.json))
    assert.deepEqual(ids(roundTrip.json), [])
  })
})
