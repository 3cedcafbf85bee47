// Issue 19.2: a server that accepts connections and never answers must not hang the CLI. Every AWS call
// has a read timeout (--read-timeout / APIGW_READ_TIMEOUT), and `logs --follow` stops on the first
// SIGINT or SIGTERM even while a call is in flight. The built binary, as a user runs it.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {rmSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createTcpServer, type Server as TcpServer, type Socket} from 'node:net'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {binPath, cliBuilt, runCli} from '../helpers/cli.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {deployRest, petsRestSpec, setAccessLogs, writeProject} from '../wire/export-logs-support.ts'

const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  APIGW_CONTROL_PLANE_RATES: 'off',
}
const GROUP = '/apigw/pets/dev/access'
const skip = cliBuilt() ? false : 'needs a build (npm run build)'

/** A TCP server that accepts every connection and never writes a byte. */
async function silentServer(): Promise<{url: string; accepted: () => number; close(): Promise<void>}> {
  const sockets: Socket[] = []
  const server: TcpServer = createTcpServer((s) => {
    sockets.push(s)
    s.on('error', () => {})
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted: () => sockets.length,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy()
        server.close(() => r())
      }),
  }
}

/** Forwards to the emulator, except that FilterLogEvents calls after the first `answered` never get an answer. */
async function stallingProxy(target: string, answered: number): Promise<{url: string; stalled: () => number; close(): Promise<void>}> {
  let filterCalls = 0
  const held: ServerResponse[] = []
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    if (String(req.headers['x-amz-target'] ?? '').endsWith('.FilterLogEvents') && ++filterCalls > answered) {
      held.push(res)
      return
    }
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      ...(chunks.length ? {body: Buffer.concat(chunks)} : {}),
    })
    const body = Buffer.from(await answer.arrayBuffer())
    const out: Record<string, string> = {}
    answer.headers.forEach((v, k) => {
      if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(k)) out[k] = v
    })
    res.writeHead(answer.status, {...out, 'content-length': String(body.length)}).end(body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stalled: () => held.length,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('a silent endpoint (issue 19.2)', {skip}, () => {
  let silent: Awaited<ReturnType<typeof silentServer>>
  let emu: TestEmulator
  let cwd: string
  before(async () => {
    silent = await silentServer()
    emu = await startTestEmulator()
    const id = await deployRest(emu, petsRestSpec('pets'), 'dev')
    await setAccessLogs(emu, id, 'dev', GROUP)
    await emu.logs.send(new CreateLogGroupCommand({logGroupName: GROUP}))
    await emu.logs.send(new CreateLogStreamCommand({logGroupName: GROUP, logStreamName: 's'}))
    await emu.logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: 's',
        logEvents: [{timestamp: Date.now() - 5000, message: '{"requestId":"r1","status":"200"}'}],
      }),
    )
    cwd = writeProject({pets: {type: 'rest', stages: ['dev']}})
  })
  after(async () => {
    await silent.close()
    await emu.close()
    rmSync(cwd, {recursive: true, force: true})
  })

  for (const how of [
    {name: '--read-timeout 1', args: ['--read-timeout', '1'], env: {}},
    {name: 'APIGW_READ_TIMEOUT=1', args: [], env: {APIGW_READ_TIMEOUT: '1'}},
  ]) {
    it(`status fails promptly with AWS_TIMEOUT (exit 4) with ${how.name}`, async () => {
      // Given an endpoint that accepts the connection and never answers
      // When status runs against it with a one-second read timeout
      const run = await runCli(['status', '--endpoint-url', silent.url, '--json', ...how.args], {
        cwd,
        env: {...AWS_ENV, ...how.env},
        timeoutMs: 30_000,
      })
      // Then it ends on its own with exit 4 and a clear error naming the flag, after one attempt
      assert.equal(run.timedOut, false, 'status hung')
      assert.equal(run.code, 4, run.stdout + run.stderr)
      const doc = JSON.parse(run.stdout) as {error: {code: string; message: string; hint: string}}
      assert.equal(doc.error.code, 'AWS_TIMEOUT')
      assert.match(doc.error.message, /GetRestApis/)
      assert.match(doc.error.hint, /--read-timeout SECONDS/)
      assert.doesNotMatch(run.stderr, /\n\s+at /)
    })
  }

  it('human output says what timed out and how to wait longer, without a stack', async () => {
    const run = await runCli(['status', '--endpoint-url', silent.url, '--read-timeout', '1'], {cwd, env: AWS_ENV, timeoutMs: 30_000})
    assert.equal(run.code, 4, run.stderr)
    assert.match(run.stderr, /no answer within the read timeout\. \[AWS_TIMEOUT\]/)
    assert.doesNotMatch(run.stderr, /\n\s+at /)
  })

  it('--read-timeout 0 is a usage error', async () => {
    const run = await runCli(['status', '--endpoint-url', silent.url, '--read-timeout', '0'], {cwd, env: AWS_ENV})
    assert.equal(run.code, 2, run.stderr)
  })

  it('logs --follow on an endpoint that never answers: Ctrl-C cancels at once with exit 130', async () => {
    // Given a follow stuck in its first call (finding the API) on a silent endpoint
    const child = spawn(process.execPath, [binPath, 'logs', 'pets', '--stage', 'dev', '--follow', '--endpoint-url', silent.url], {
      cwd,
      env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...AWS_ENV},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)))
    const killer = setTimeout(() => child.kill('SIGKILL'), 40_000)
    const before = silent.accepted()
    await waitFor(() => silent.accepted() > before, 30_000, 'the first call')
    // When the user presses Ctrl-C
    const sent = Date.now()
    child.kill('SIGINT')
    const code = await exited
    clearTimeout(killer)
    // Then it ends within a few seconds: cancelled (130), no stack
    assert.equal(code, 130, stderr)
    assert.ok(Date.now() - sent < 8000)
    assert.match(stderr, /\[CANCELLED\]/)
    assert.doesNotMatch(stderr, /\n\s+at /)
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`logs --follow ends at once on the first ${signal} while a call hangs, exit 0, no stack`, async () => {
      // Given a follow whose polls hang after the first read (a proxy to the emulator holds them)
      const proxy = await stallingProxy(emu.url, 1)
      try {
        const child = spawn(
          process.execPath,
          [binPath, 'logs', 'pets', '--stage', 'dev', '--follow', '--since', '5m', '--endpoint-url', proxy.url],
          {
            cwd,
            env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...AWS_ENV},
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        )
        let stdout = ''
        let stderr = ''
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
        const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)))
        const killer = setTimeout(() => child.kill('SIGKILL'), 40_000)
        await waitFor(() => proxy.stalled() > 0, 30_000, 'a poll to hang')
        // When the user presses Ctrl-C (or the job is terminated) once
        const sent = Date.now()
        child.kill(signal)
        const code = await exited
        clearTimeout(killer)
        const ms = Date.now() - sent
        // Then it ends within a few seconds with exit 0, the events read so far and no stack
        assert.equal(code, 0, stderr)
        assert.ok(ms < 8000, `took ${ms} ms after ${signal}`)
        assert.match(stdout, /r1/)
        assert.match(stderr, /1 event from/)
        assert.doesNotMatch(stderr, /\n\s+at /)
      } finally {
        await proxy.close()
      }
    })
  }
})
