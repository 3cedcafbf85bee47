// The emulator's state directory (issue 19 points 4 and 7, issue 14 point 8), through the built CLI: private file
// modes whatever the umask, clear exit-5 errors with hints that fit the problem, nothing left by a failed command.
import assert from 'node:assert/strict'
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {APIGatewayClient, CreateRestApiCommand} from '@aws-sdk/client-api-gateway'
import {binPath, runCli} from '../helpers/cli.ts'
import {TEST_CREDENTIALS} from '../helpers/emulator.ts'

const made: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'apigw-state-'))
  made.push(dir)
  return dir
}
const children: ChildProcess[] = []
after(() => {
  // A failed assertion must not leave a server running (the test file would never end)
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  for (const dir of made) {
    chmodSync(dir, 0o700)
    rmSync(dir, {recursive: true, force: true})
  }
})

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8)

/** `apigw local start --json`; resolves with its ready event, or with its exit code and output when it fails. */
function startServer(cwd: string, args: string[] = []) {
  const child = spawn(process.execPath, [binPath, 'local', 'start', '--port', '0', '--json', ...args], {
    cwd,
    env: {...process.env, NO_COLOR: '1'},
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const ready = new Promise<{endpoint: string} | {code: number | null; stdout: string; stderr: string}>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
      const event = stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as {event?: string; endpoint?: string})
        .find((e) => e.event === 'ready')
      if (event) resolve({endpoint: event.endpoint!})
    })
    exited.then((code) => resolve({code, stdout, stderr}))
  })
  return {child, ready, exited}
}

/** The error of a --json failure: one pretty document, or the last line of NDJSON (local start). */
function errorOf(stdout: string): {code: string; message: string; hint: string} {
  let doc: unknown
  try {
    doc = JSON.parse(stdout)
  } catch {
    doc = JSON.parse(stdout.trim().split('\n').at(-1)!)
  }
  return (doc as {error: {code: string; message: string; hint: string}}).error
}

describe('emulator state directory (built CLI)', () => {
  it('creates .apigw/local 0700 and every file in it 0600 under umask 022, and tightens an older 0755 directory', async () => {
    // Given a project and the usual umask
    const previous = process.umask(0o022)
    try {
      const dir = tempDir()
      writeFileSync(join(dir, 'apigw.yaml'), 'apis:\n  pets: {spec: openapi.yaml}\n')
      // When the server starts and is written to (so the WAL and shared-memory files exist)
      const server = startServer(dir)
      const ready = await server.ready
      assert.ok('endpoint' in ready, JSON.stringify(ready))
      const client = new APIGatewayClient({endpoint: ready.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
      await client.send(new CreateRestApiCommand({name: 'private'}))
      client.destroy()
      // Then the directory is 0700 and each of its files 0600
      const state = join(dir, '.apigw', 'local')
      assert.equal(mode(state), '700')
      const files = readdirSync(state).sort()
      for (const f of ['server.json', 'state.sqlite', 'state.sqlite-shm', 'state.sqlite-wal'])
        assert.ok(files.includes(f), `${f} in ${files}`)
      for (const f of files) assert.equal(mode(join(state, f)), '600', f)
      server.child.kill('SIGTERM')
      assert.equal(await server.exited, 0)

      // Given a state directory an older apigw left readable by others
      chmodSync(state, 0o755)
      chmodSync(join(state, 'state.sqlite'), 0o644)
      // When a --local command uses it, Then it is private again
      const status = await runCli(['local', 'status', '--json'], {cwd: dir})
      assert.equal(status.code, 0, status.stderr)
      assert.equal(mode(state), '700')
      assert.equal(mode(join(state, 'state.sqlite')), '600')
    } finally {
      process.umask(previous)
    }
  })

  it('leaves no .apigw behind when a --local command fails on a missing or invalid apigw.yaml (exit 3)', async () => {
    const empty = tempDir()
    const missing = await runCli(['status', '--local'], {cwd: empty})
    assert.equal(missing.code, 3, missing.stderr)
    assert.deepEqual(readdirSync(empty), [])

    const invalid = tempDir()
    writeFileSync(join(invalid, 'apigw.yaml'), 'apis: [\n')
    const bad = await runCli(['status', '--local'], {cwd: invalid})
    assert.equal(bad.code, 3, bad.stderr)
    assert.deepEqual(readdirSync(invalid), ['apigw.yaml'])
  })

  it('answers a state path that is a regular file with exit 5 and a hint to move it, never to reset', async () => {
    // Given a regular file where the state directory should be
    const dir = tempDir()
    writeFileSync(join(dir, 'apigw.yaml'), 'apis:\n  pets: {spec: openapi.yaml}\n')
    mkdirSync(join(dir, '.apigw'))
    writeFileSync(join(dir, '.apigw', 'local'), 'not a directory')
    for (const args of [
      ['local', 'start', '--port', '0'],
      ['local', 'status'],
      ['status', '--local'],
    ]) {
      // When the command runs, Then exit 5 naming the path, a hint that moves it away, no stack trace
      const r = await runCli([...args, '--json'], {cwd: dir})
      assert.equal(r.code, 5, `${args.join(' ')}: ${r.stdout}${r.stderr}`)
      const error = errorOf(r.stdout)
      assert.equal(error.code, 'LOCAL_STORE')
      assert.match(error.message, /\.apigw\/local is not a directory apigw can use/)
      assert.match(error.hint, /mv .*\.apigw\/local .*\.bak/)
      assert.doesNotMatch(error.hint, /reset/)
      assert.doesNotMatch(r.stderr, /\n\s+at /)
    }
  })

  it('answers a corrupt state database with exit 5 and the exact reset command, and does not keep serving', async () => {
    const dir = tempDir()
    const state = join(dir, 'state')
    mkdirSync(state)
    writeFileSync(join(state, 'state.sqlite'), 'this is not an SQLite database, just some text that is long enough'.repeat(100))
    const status = await runCli(['local', 'status', '--data-dir', state, '--json'], {cwd: dir})
    assert.equal(status.code, 5, status.stderr)
    const error = errorOf(status.stdout)
    assert.match(error.message, /not a valid apigw state database/)
    assert.match(error.hint, new RegExp(`apigw local reset --yes --data-dir ${state}`))
    const server = startServer(dir, ['--data-dir', state])
    const outcome = await server.ready
    assert.ok('code' in outcome, 'the server must not start')
    assert.equal(outcome.code, 5)
    assert.equal(existsSync(join(state, 'server.json')), false)
  })

  it('answers an unreadable state directory with exit 5 and a permissions hint, not a reset', {
    skip:
      process.getuid?.() === 0
        ? 'runs as root, where chmod does not deny reads (CI); the regular-file and corrupt cases cover exit 5 there'
        : false,
  }, async () => {
    const dir = tempDir()
    const state = join(dir, 'state')
    mkdirSync(state)
    writeFileSync(join(state, 'state.sqlite'), '')
    chmodSync(state, 0o000)
    try {
      const r = await runCli(['local', 'status', '--data-dir', state, '--json'], {cwd: dir})
      assert.equal(r.code, 5, r.stderr)
      const error = errorOf(r.stdout)
      assert.match(error.message, /not readable and writable/)
      assert.match(error.hint, /chmod -R u\+rwX/)
      assert.doesNotMatch(error.hint, /reset/)
    } finally {
      chmodSync(state, 0o700)
    }
  })

  it('fails the start clearly when server.json cannot be written: exit 5, no server.json.tmp, nothing left serving', async () => {
    // Given a state directory where the marker cannot be renamed into place
    const dir = tempDir()
    const state = join(dir, 'state')
    mkdirSync(join(state, 'server.json', 'in-the-way'), {recursive: true})
    // When local start runs
    const server = startServer(dir, ['--data-dir', state])
    const outcome = await server.ready
    // Then it exits 5 (so nothing keeps serving unseen by `local status`) and leaves no temporary file
    assert.ok('code' in outcome, 'the server must not report ready')
    assert.equal(outcome.code, 5, outcome.stderr)
    assert.equal(errorOf(outcome.stdout).code, 'LOCAL_STORE')
    assert.equal(existsSync(join(state, 'server.json.tmp')), false)
  })

  const canMount = process.getuid?.() === 0 && process.platform === 'linux'
  it('on a full disk, local start exits 5 saying so, leaves no server.json.tmp and serves nothing', {
    skip: canMount ? false : 'needs root on Linux to mount a small tmpfs',
  }, async (t) => {
    // Given a state directory on a 256 KiB filesystem that an earlier run filled up
    const dir = tempDir()
    const state = join(dir, 'state')
    mkdirSync(state)
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', state])
    if (mounted.status !== 0) {
      t.skip(`cannot mount a tmpfs here: ${mounted.stderr}`)
      return
    }
    try {
      const first = startServer(dir, ['--data-dir', state])
      assert.ok('endpoint' in (await first.ready))
      first.child.kill('SIGTERM')
      await first.exited
      spawnSync('dd', ['if=/dev/zero', `of=${join(state, 'filler')}`, 'bs=4k'])
      // When local start runs on it
      const server = startServer(dir, ['--data-dir', state])
      const outcome = await server.ready
      // Then it fails clearly and completely
      assert.ok('code' in outcome, 'the server must not report ready on a full disk')
      const left = readdirSync(state).filter((f) => !['filler', 'state.sqlite', 'state.sqlite-wal', 'state.sqlite-shm'].includes(f))
      assert.deepEqual(left, [], JSON.stringify(outcome))
      assert.equal(outcome.code, 5, outcome.stderr)
      assert.match(errorOf(outcome.stdout).message, /disk is full/)
      assert.doesNotMatch(outcome.stdout + outcome.stderr, /\n\s+at /)
      assert.equal(existsSync(join(state, 'server.json.tmp')), false)
      assert.equal(existsSync(join(state, 'server.json')), false)
    } finally {
      spawnSync('umount', [state])
    }
  })
})
