/**
 * kill -9 of the emulator under a connected WebSocket client: `apigw local start` (the BUILT binary, port 0, its
 * port read from the ready line) serves a deployed WebSocket stage; SIGKILL; the client sees its connection close;
 * a new `local start` on the same state directory serves a new connection on the same API and stage.
 */
import assert from 'node:assert/strict'
import {type ChildProcess, spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import WebSocket from 'ws'
import {stringify} from 'yaml'
import {binPath, cliBuilt, runCli} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const built = cliBuilt()
const servers: ChildProcess[] = []

/** `apigw local start --port 0 --json` in `cwd`, resolved with its ready event (a bound of 90 s on a loaded machine). */
function startServer(cwd: string): {child: ChildProcess; ready: Promise<{port: number; pid: number}>} {
  const child = spawn(process.execPath, [binPath, 'local', 'start', '--port', '0', '--json'], {
    cwd,
    env: {...process.env, NO_COLOR: '1'},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  servers.push(child)
  let out = ''
  const ready = new Promise<{port: number; pid: number}>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 90 s: ${out}`)), 90_000)
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d
      for (const line of out.split('\n').slice(0, -1)) {
        const event = JSON.parse(line) as {event?: string; port?: number; pid?: number}
        if (event.event === 'ready') {
          clearTimeout(timer)
          resolve({port: event.port!, pid: event.pid!})
        }
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`local start exited (${code ?? signal}) before it was ready: ${out}`))
    })
  })
  return {child, ready}
}

/** Open a client and ask the two-way MOCK route `ping`: resolves with the socket, its answer and its close. */
function ping(url: string) {
  return new Promise<{ws: WebSocket; answer: string; closed: Promise<number>}>((resolve, reject) => {
    const ws = new WebSocket(url)
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)))
    ws.once('open', () => ws.send(JSON.stringify({action: 'ping'})))
    ws.once('message', (m) => resolve({ws, answer: String(m), closed}))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

after(() => {
  for (const child of servers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

describe('kill -9 of the emulator with WebSocket clients', {skip: built ? false : 'the CLI is not built (run `npm run build`)'}, () => {
  test('the client sees a close; a restart on the same state serves a new connection', async () => {
    // Given a WebSocket API deployed to the project's state directory, and `local start` serving it
    const dir = tempDir()
    const mock = {type: 'MOCK', requestTemplates: {$default: '{"statusCode": 200}'}}
    writeFileSync(
      join(dir, 'apigw.yaml'),
      stringify({
        apis: {
          chat: {
            type: 'websocket',
            routeSelectionExpression: '$request.body.action',
            routes: {
              $connect: {integration: mock},
              ping: {
                integration: {...mock, responses: {$default: {templates: {$default: '{"pong": true}'}}}},
                routeResponseSelectionExpression: '$default',
              },
            },
            stages: {dev: {}},
          },
        },
      }),
    )
    const deploy = await runCli(['deploy', '--stage', 'dev', '--local', '--json'], {cwd: dir, timeoutMs: 120_000})
    assert.equal(deploy.code, 0, deploy.stdout + deploy.stderr)
    const apiId = (JSON.parse(deploy.stdout) as {result: {apiId: string}}).result.apiId
    const first = startServer(dir)
    const {port} = await first.ready
    const client = await ping(`ws://127.0.0.1:${port}/_aws/execute-api/${apiId}/dev`)
    assert.deepEqual(JSON.parse(client.answer), {pong: true})

    // When the emulator is killed with SIGKILL
    const exited = new Promise<NodeJS.Signals | null>((r) => first.child.once('exit', (_code, signal) => r(signal)))
    first.child.kill('SIGKILL')
    assert.equal(await exited, 'SIGKILL')
    // Then the client sees its connection close (abnormally: no close frame was sent)
    assert.equal(await client.closed, 1006)

    // And a new `local start` on the same state directory serves a new connection to the same stage
    const second = startServer(dir)
    const again = await second.ready
    const next = await ping(`ws://127.0.0.1:${again.port}/_aws/execute-api/${apiId}/dev`)
    assert.deepEqual(JSON.parse(next.answer), {pong: true})
    next.ws.close()
    await next.closed
    const stopped = new Promise<number | null>((r) => second.child.once('exit', (code) => r(code)))
    second.child.kill('SIGTERM')
    assert.equal(await stopped, 0)
  })
})
