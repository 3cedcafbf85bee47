/**
 * Calling deployed stages as a user does: the README quick start as written (in a fresh temp dir), and
 * `apigw local start` + `deploy --local` + curl at both addresses + `apigw invoke` through the built CLI.
 */
import assert from 'node:assert/strict'
import {execFile, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {after, describe, it} from 'node:test'
import {binPath, repoRoot, runCli} from '../helpers/cli.ts'

const exec = promisify(execFile)
const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'apigw-invoke-'))
  dirs.push(d)
  return d
}
after(() => {
  for (const d of dirs) rmSync(d, {recursive: true, force: true})
})

describe('calling deployed stages (built CLI)', () => {
  it("the README quick start's first command ends with a real call answered by the deployed local stage", async () => {
    // Given the README's first command, with the install and build steps already done by the test run
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
    const first = /## Quick start[\s\S]*?```sh\n(.+)\n```/.exec(readme)?.[1]
    assert.ok(first, 'the quick start has a first command')
    assert.match(first, /invoke --stage dev GET \/health --local$/)
    const command = first
      .replace(/^npm ci && npm run build && /, '')
      .replaceAll('node bin/run.js', `node ${binPath}`)
      .replaceAll('node ../bin/run.js', `node ${binPath}`)
    // When it runs in a fresh directory
    const cwd = tempDir()
    const {stdout} = await exec('sh', ['-c', command], {cwd, env: {...process.env, NO_COLOR: '1', CI: ''}, timeout: 90_000})
    // Then the last step printed the stage's answer
    assert.match(stdout, /^HTTP 200$/m)
    assert.match(stdout, /^x-amzn-requestid: [0-9a-f-]{36}$/m)
    assert.match(stdout, /\{"status": "ok"\}\s*$/)
  })

  it('local start lists the stage URLs; curl answers at both addresses; invoke --json gives one document', async () => {
    // Given a project deployed to a running emulator
    const cwd = tempDir()
    const init = await runCli(['init', '.', '--name', 'pets', '--template', 'rest-mock', '--stages', 'dev', '--yes'], {cwd})
    assert.equal(init.code, 0, init.stderr)
    const first = spawn(process.execPath, [binPath, 'local', 'start', '--port', '0', '--json'], {cwd, env: {...process.env, NO_COLOR: '1'}})
    await readyEndpoint(first)
    const deploy = await runCli(['deploy', '--stage', 'dev', '--local', '--json'], {cwd, timeoutMs: 60_000})
    assert.equal(deploy.code, 0, deploy.stderr)
    first.kill('SIGTERM')
    await new Promise((r) => first.on('exit', r))
    // When the emulator starts again, Then it lists the deployed stage's URLs
    const server = spawn(process.execPath, [binPath, 'local', 'start', '--port', '0', '--json'], {
      cwd,
      env: {...process.env, NO_COLOR: '1'},
    })
    try {
      const lines: string[] = []
      const again = await readyEndpoint(server, lines)
      await waitFor(() => lines.some((l) => l.includes('"event":"stage"')))
      const stage = JSON.parse(lines.find((l) => l.includes('"event":"stage"'))!) as {
        api: string
        stage: string
        url: string
        hostStyleUrl: string
        apiId: string
      }
      assert.equal(stage.api, 'pets')
      assert.equal(stage.url, `${again}/_aws/execute-api/${stage.apiId}/dev`)
      // And curl gets the MOCK answer at the path-style and the host-style address
      const path = await exec('curl', ['-s', '-i', `${stage.url}/health`])
      assert.match(path.stdout, /^HTTP\/1\.1 200 OK\r$/m)
      assert.match(path.stdout, /\{"status": "ok"\}$/)
      const host = await exec('curl', ['-s', '-i', `${stage.hostStyleUrl}/items`])
      assert.match(host.stdout, /^HTTP\/1\.1 200 OK\r$/m)
      assert.match(host.stdout, /"name": "first"/)
      const missing = await exec('curl', ['-s', '-i', `${stage.url}/nope`])
      assert.match(missing.stdout, /^HTTP\/1\.1 403 Forbidden\r$/m)
      assert.match(missing.stdout, /^x-amzn-ErrorType: MissingAuthenticationTokenException\r$/m)
      // And apigw invoke --json prints one document with the status, headers and body
      const run = await runCli(['invoke', '--stage', 'dev', 'GET', '/health', '--local', '--json', '--query', 'a=1', '-H', 'X-Test: yes'], {
        cwd,
      })
      assert.equal(run.code, 0, run.stderr)
      const doc = JSON.parse(run.stdout) as {
        status: number
        result: {status: number; body: string; bodyEncoding: string; url: string; headers: Record<string, string[]>}
      }
      assert.equal(doc.status, 0)
      assert.equal(doc.result.status, 200)
      assert.equal(doc.result.body, '{"status": "ok"}')
      assert.equal(doc.result.bodyEncoding, 'text')
      assert.equal(doc.result.url, `${stage.url}/health?a=1`)
      assert.ok(doc.result.headers['x-amz-apigw-id'])
      // And status shows the invoke URL
      const status = await runCli(['status', '--local'], {cwd})
      assert.equal(status.code, 0, status.stderr)
      assert.ok(status.stdout.includes(`dev: ${stage.url}`), status.stdout)
      // And a bad method is a usage error with a hint, no stack trace
      const bad = await runCli(['invoke', '--stage', 'dev', 'FETCH', '/health', '--local'], {cwd})
      assert.equal(bad.code, 2)
      assert.match(bad.stderr, /Unknown HTTP method FETCH/)
      assert.doesNotMatch(bad.stderr, /\n\s+at /)
    } finally {
      server.kill('SIGTERM')
      await new Promise((r) => server.on('exit', r))
    }
  })
})

function readyEndpoint(child: ReturnType<typeof spawn>, lines: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => reject(new Error('no ready line')), 30_000)
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buffered += d
      const parts = buffered.split('\n')
      buffered = parts.pop()!
      for (const line of parts.filter(Boolean)) {
        lines.push(line)
        const event = JSON.parse(line) as {event?: string; endpoint?: string}
        if (event.event === 'ready') {
          clearTimeout(timer)
          resolve(event.endpoint!)
        }
      }
    })
    child.on('exit', () => reject(new Error('exited before ready')))
  })
}

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}
