import assert from 'node:assert/strict'
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {binPath, runCli} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

/** Start `apigw local start --json` and wait for its ready line. */
function startServer(cwd: string, args: string[] = []) {
  const child = spawn(process.execPath, [binPath, 'local', 'start', '--port', '0', '--json', ...args], {
    cwd,
    env: {...process.env, NO_COLOR: '1'},
  })
  let out = ''
  const lines: string[] = []
  const ready = new Promise<{endpoint: string; dataDir: string; pid: number}>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 60_000)
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d
      for (const line of d.split('\n').filter(Boolean)) {
        lines.push(line)
        const event = JSON.parse(line)
        if (event.event === 'ready') {
          clearTimeout(timer)
          resolve(event)
        }
      }
    })
    child.on('exit', () => reject(new Error(`exited before ready: ${out}`)))
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  servers.push(child)
  return {child, ready, exited, lines}
}

// A failed assertion must not leave a server running (it would hold this test file open until the runner's timeout).
const servers: ChildProcess[] = []
after(() => {
  for (const child of servers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

describe('apigw local (built CLI)', () => {
  it('starts, prints NDJSON (ready first), is seen by status, refuses a second server, and stops cleanly on SIGTERM', async (t) => {
    // Given a project directory
    const dir = tempDir('apigw-local-')
    writeFileSync(join(dir, 'apigw.yaml'), 'apis:\n  pets: {spec: openapi.yaml}\n')
    // When the server starts
    const server = startServer(dir)
    // A failed assertion must not leave the server running (the test file would never end)
    t.after(() => {
      if (server.child.exitCode === null) server.child.kill('SIGKILL')
    })
    const ready = await server.ready
    assert.match(ready.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.equal(ready.dataDir, join(dir, '.apigw', 'local'))
    // Then status sees it from the same project
    const status = await runCli(['local', 'status', '--json'], {cwd: dir})
    assert.equal(status.code, 0, status.stderr)
    const s = JSON.parse(status.stdout).result
    assert.equal(s.running, true)
    assert.equal(s.endpoint, ready.endpoint)
    // And a second server on the same state directory is refused
    const second = await runCli(['local', 'start', '--port', '0'], {cwd: dir})
    assert.equal(second.code, 5)
    assert.match(second.stderr, /already serves/)
    // And reset refuses while it runs
    const reset = await runCli(['local', 'reset', '--yes'], {cwd: dir})
    assert.equal(reset.code, 5)
    // When it is sent SIGTERM, Then it exits 0, its last line is the envelope, and its marker is gone
    server.child.kill('SIGTERM')
    assert.equal(await server.exited, 0)
    const last = JSON.parse(server.lines.at(-1)!)
    assert.equal(last.status, 0)
    assert.equal(existsSync(join(dir, '.apigw', 'local', 'server.json')), false)
    const stopped = JSON.parse((await runCli(['local', 'status', '--json'], {cwd: dir})).stdout).result
    assert.equal(stopped.running, false)
    assert.equal(stopped.stateExists, true)
    const reset2 = await runCli(['local', 'reset', '--yes'], {cwd: dir})
    assert.equal(reset2.code, 0, reset2.stderr)
    assert.equal(existsSync(join(dir, '.apigw', 'local', 'state.sqlite')), false)
  })

  it('exits 5 with a hint when the port is in use', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as {port: number}).port
    try {
      const dir = tempDir('apigw-local-')
      const r = await runCli(['local', 'start', '--port', String(port)], {cwd: dir})
      assert.equal(r.code, 5)
      assert.match(r.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`))
      assert.match(r.stderr, /Hint: Pass --port/)
    } finally {
      blocker.close()
    }
  })

  it('refuses a reset without --yes when it cannot prompt (exit 2)', async () => {
    const dir = tempDir('apigw-local-')
    const r = await runCli(['local', 'reset'], {cwd: dir})
    assert.equal(r.code, 2)
    assert.match(r.stderr, /--yes/)
  })
})
