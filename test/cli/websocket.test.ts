/**
 * A WebSocket API as a user drives it, through the BUILT CLI in a temp project: init --type websocket,
 * validate, deploy --local (idempotent, then a changed config reconciled route by route), status, then the
 * emulator serving the project's state with the scaffolded handler: two real `ws` clients chat through
 * @connections.
 */
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import WebSocket from 'ws'
import {parse, stringify} from 'yaml'
import {type Emulator, startEmulator} from '../../src/local/server.ts'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const built = cliBuilt()

async function apigw(dir: string, args: string[]) {
  const run = await runCli([...args, '--json'], {cwd: dir, timeoutMs: 60_000})
  assert.equal(run.timedOut, false)
  return {
    code: run.code,
    json: JSON.parse(run.stdout) as {status: number; result?: Record<string, unknown>; error?: {code: string}},
    stderr: run.stderr,
  }
}

describe('WebSocket APIs through the built CLI', {skip: built ? false : 'the CLI is not built (run `npm run build`)'}, () => {
  let emulator: Emulator | undefined
  after(async () => {
    await emulator?.close()
  })

  test('init, validate, deploy --local twice, a changed route, status, then a chat between two clients', async () => {
    const dir = tempDir()
    const init = await apigw(dir, ['init', '--name', 'chat', '--type', 'websocket', '--stages', 'dev', '--yes'])
    assert.equal(init.code, 0, init.stderr)
    const validate = await apigw(dir, ['validate'])
    assert.equal(validate.code, 0, JSON.stringify(validate.json))
    assert.equal(validate.json.result?.type, 'websocket')

    const first = await apigw(dir, ['deploy', '--stage', 'dev', '--local'])
    assert.equal(first.code, 0, JSON.stringify(first.json))
    assert.equal(first.json.result?.createdApi, true)
    const steps = (first.json.result!.steps as Array<{action: string; resource: string; key: string}>).map(
      (s) => `${s.action} ${s.resource} ${s.key}`,
    )
    assert.ok(steps.includes('create route sendmessage'))
    assert.ok(steps.includes('create route response $default $default'))
    const again = await apigw(dir, ['deploy', '--stage', 'dev', '--local'])
    assert.equal(again.json.result?.upToDate, true)
    assert.deepEqual(again.json.result?.steps, [])

    // A route removed and a MOCK route added: only those change.
    const configPath = join(dir, 'apigw.yaml')
    const config = parse(readFileSync(configPath, 'utf8'))
    delete config.apis.chat.routes.$default
    config.apis.chat.routes.ping = {integration: {type: 'MOCK', requestTemplates: {$default: '{"statusCode": 200}'}}}
    writeFileSync(configPath, stringify(config))
    const plan = await apigw(dir, ['plan', '--stage', 'dev', '--local'])
    const planned = (plan.json.result!.steps as Array<{action: string; resource: string; key: string}>).map(
      (s) => `${s.action} ${s.resource} ${s.key}`,
    )
    assert.deepEqual(planned, [
      'create integration ping',
      'create route ping',
      'delete route $default',
      'delete integration $default',
      'create deployment dev',
      'update stage dev',
    ])
    const changed = await apigw(dir, ['deploy', '--stage', 'dev', '--local'])
    assert.equal(changed.code, 0, JSON.stringify(changed.json))
    const status = await apigw(dir, ['status', '--local'])
    assert.deepEqual(
      (status.json.result!.stages as Array<{name: string; sync: string}>).map((s) => [s.name, s.sync]),
      [['dev', 'in-sync']],
    )

    // apigw ws: a line in, the MOCK route's answer (none: one-way) and the handler's reply out, as NDJSON.
    const session = await runCli(['ws', '--stage', 'dev', '--local', '--json'], {
      cwd: dir,
      input: `${JSON.stringify({action: 'sendmessage', message: 'from the terminal'})}\n`,
      timeoutMs: 60_000,
    })
    assert.equal(session.code, 0, `${session.stdout}\n${session.stderr}`)
    const events = session.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{"type"'))
      .map((l) => JSON.parse(l) as {type: string; data?: string})
    assert.deepEqual(
      events.map((e) => e.type),
      ['open', 'sent', 'message', 'close'],
    )
    assert.equal(JSON.parse(events[2]!.data!).message, 'from the terminal')
    const post = await apigw(dir, ['ws', 'post', 'bm9uZQ==', 'x', '--stage', 'dev', '--local'])
    assert.equal(post.json.error?.code, 'AWS_NOT_FOUND')

    // The emulator on the project's state, running the scaffolded handler: two clients chat.
    emulator = await startEmulator({
      port: 0,
      dataDir: join(dir, '.apigw', 'local'),
      functions: {chat: {handler: 'src/chat.handler'}},
      functionsDir: dir,
      // Found by `apigw … --local` in the project, as `apigw local start` is.
      advertise: true,
    })
    const url = `ws://127.0.0.1:${emulator.port}/_aws/execute-api/${changed.json.result?.apiId}/dev`
    const open = () =>
      new Promise<{ws: WebSocket; next: () => Promise<string>}>((resolve, reject) => {
        const ws = new WebSocket(url)
        const queue: string[] = []
        const waiters: Array<(m: string) => void> = []
        ws.on('message', (m) => {
          const w = waiters.shift()
          if (w) w(String(m))
          else queue.push(String(m))
        })
        ws.on('open', () =>
          resolve({ws, next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((r) => waiters.push(r)))}),
        )
        ws.on('error', reject)
      })
    const a = await open()
    const b = await open()
    a.ws.send(JSON.stringify({action: 'sendmessage', message: 'hello'}))
    assert.equal(JSON.parse(await a.next()).message, 'hello')
    const heard = JSON.parse(await b.next()) as {from: string; message: string}
    assert.equal(heard.message, 'hello')

    // apigw ws post --local: the management API's SDK client, signed with the emulator's test/test pair.
    const newest = heard.from
    const sent = await apigw(dir, ['ws', 'post', newest, 'from ws post', '--stage', 'dev', '--local'])
    assert.equal(sent.code, 0, JSON.stringify(sent.json) + sent.stderr)
    assert.deepEqual(sent.json.result, {connectionId: newest, bytes: 12})
    assert.equal(await a.next(), 'from ws post')
    // Keys the emulator does not know: refused (403 UnrecognizedClientException), with the way out.
    const stranger = await runCli(['ws', 'post', newest, 'x', '--stage', 'dev', '--local', '--json'], {
      cwd: dir,
      env: {AWS_ACCESS_KEY_ID: 'AKIDUNKNOWN', AWS_SECRET_ACCESS_KEY: 'x'},
      timeoutMs: 60_000,
    })
    const refused = JSON.parse(stranger.stdout) as {error: {code: string; message: string; hint: string}}
    assert.equal(refused.error.code, 'AWS_CREDENTIALS')
    assert.match(refused.error.message, /UnrecognizedClientException/)
    assert.match(refused.error.hint, /--credentials FILE/)
    a.ws.close()
    b.ws.close()
  })
})
