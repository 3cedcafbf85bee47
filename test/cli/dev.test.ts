/**
 * `apigw dev` through the built binary, as a user runs it: the emulator starts, the API is deployed and its URL
 * printed, a save of the spec deploys again and the new route answers, a broken save prints the validation errors
 * while the last good deployment keeps answering, every request prints a line, and Ctrl-C stops it with exit 0.
 * The test waits on printed lines, never on time.
 */
import assert from 'node:assert/strict'
import {type ChildProcess, spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {binPath} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const running: ChildProcess[] = []
after(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

function mockRoute(path: string, body: string): string {
  return [
    `  ${path}:`,
    '    get:',
    '      responses:',
    "        '200': {description: ok}",
    '      x-amazon-apigateway-integration:',
    '        type: mock',
    '        requestTemplates: {application/json: \'{"statusCode": 200}\'}',
    '        responses:',
    `          default: {statusCode: '200', responseTemplates: {application/json: '${body}'}}`,
  ].join('\n')
}

const spec = (...routes: string[]) => `openapi: 3.0.1\ninfo: {title: pets, version: '1'}\npaths:\n${routes.join('\n')}\n`

/** The output of a running `apigw dev`, and a way to wait until a line matching a pattern has been printed. */
function startDev(cwd: string, args: string[]) {
  const child = spawn(process.execPath, [binPath, 'dev', '--port', '0', ...args], {cwd, env: {...process.env, NO_COLOR: '1'}})
  running.push(child)
  const out = {stdout: '', stderr: ''}
  const waiters: Array<() => void> = []
  const wake = () => {
    for (const w of waiters.splice(0)) w()
  }
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out.stdout += d
    wake()
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    out.stderr += d
    wake()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.on('exit', wake)
  /** Resolves with the match once `count` lines of stdout+stderr match `pattern` (60 s bound: the machine may be loaded). */
  const waitFor = async (pattern: RegExp, count = 1): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + 60_000
    for (;;) {
      const matches = [...`${out.stdout}\n${out.stderr}`.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))]
      if (matches.length >= count) return matches[count - 1]!
      if (child.exitCode !== null)
        throw new Error(`apigw dev exited (${child.exitCode}) before printing ${pattern}:\n${out.stdout}\n${out.stderr}`)
      if (Date.now() > deadline) throw new Error(`no ${pattern} after 60 s:\n${out.stdout}\n${out.stderr}`)
      await new Promise<void>((resolve) => {
        // Woken by output or exit; the timer only enforces the 60 s bound.
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))
        waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }
  return {child, out, exited, waitFor}
}

describe('apigw dev (built CLI)', () => {
  it('deploys, serves, redeploys on save, keeps the last good deployment on a broken save, and stops on Ctrl-C', async () => {
    // Given a project whose spec has one MOCK route
    const dir = tempDir('apigw-dev-')
    writeFileSync(join(dir, 'apigw.yaml'), 'apis:\n  pets:\n    spec: openapi.yaml\n    stages:\n      dev: {}\n')
    writeFileSync(join(dir, 'openapi.yaml'), spec(mockRoute('/hello', '{"hello": "world"}')))
    // When apigw dev starts
    const dev = startDev(dir, [])
    const [, url] = await dev.waitFor(/^pets dev: (http:\/\/127\.0\.0\.1:\d+\/_aws\/execute-api\/\w+\/dev) /m)
    await dev.waitFor(/^apigw dev: serving pets \(stage dev\) on /m)
    // Then the stage answers, and the request is printed
    const hello = await fetch(`${url}/hello`)
    assert.equal(hello.status, 200)
    assert.deepEqual(await hello.json(), {hello: 'world'})
    await dev.waitFor(/^GET \/dev\/hello 200 \d+ ms \(pets\)$/m)

    // When the spec is saved with a new route
    writeFileSync(join(dir, 'openapi.yaml'), spec(mockRoute('/hello', '{"hello": "world"}'), mockRoute('/bye', '{"bye": true}')))
    await dev.waitFor(/^Changed: openapi\.yaml: deploying again$/m)
    await dev.waitFor(/^Deployed pets to dev \(deployment (\w+)\)$/m, 2)
    // Then the new route answers without a restart
    const bye = await fetch(`${url}/bye`)
    assert.equal(bye.status, 200)
    assert.deepEqual(await bye.json(), {bye: true})

    // When a broken spec is saved
    writeFileSync(join(dir, 'openapi.yaml'), 'openapi: 3.0.1\ninfo: {title: pets, version: 1}\npathz: {}\n')
    await dev.waitFor(/^Deploy failed: pets dev: openapi\.yaml has \d+ errors?; nothing was deployed\. \[VALIDATION_FAILED\]$/m)
    // Then the errors are printed with file:line, and the last good deployment still answers both routes
    assert.match(dev.out.stderr, /^openapi\.yaml:\d+:\d+ error .*\[openapi-schema\]$/m)
    assert.match(dev.out.stderr, /^Still serving deployment \w+; fix the errors and save again\.$/m)
    assert.equal((await fetch(`${url}/bye`)).status, 200)
    assert.equal((await fetch(`${url}/hello`)).status, 200)
    await dev.waitFor(/^GET \/dev\/hello 200 /m, 2)

    // When Ctrl-C is pressed, Then it stops cleanly: exit 0, no stack trace
    dev.child.kill('SIGINT')
    assert.equal(await dev.exited, 0)
    assert.match(dev.out.stderr, /^Stopped: 2 deploys, 1 failed, 4 requests\.$/m)
    assert.doesNotMatch(dev.out.stderr, /\n\s+at /)
  })

  it('--json prints NDJSON events (deployed, ready, request) and the final envelope', async () => {
    const dir = tempDir('apigw-dev-')
    writeFileSync(join(dir, 'apigw.yaml'), 'apis:\n  pets:\n    spec: openapi.yaml\n    stages:\n      dev: {}\n')
    writeFileSync(join(dir, 'openapi.yaml'), spec(mockRoute('/hello', '{"hello": "json"}')))
    const dev = startDev(dir, ['pets', '--stage', 'dev', '--json'])
    await dev.waitFor(/"event":"ready"/)
    const deployed = JSON.parse(dev.out.stdout.split('\n').find((l) => l.includes('"event":"deployed"'))!)
    assert.equal(deployed.changed, true)
    assert.equal((await fetch(`${deployed.url}/hello`)).status, 200)
    await dev.waitFor(/"event":"request"/)
    dev.child.kill('SIGTERM')
    assert.equal(await dev.exited, 0)
    const lines = dev.out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const request = lines.find((l) => l.event === 'request')
    assert.deepEqual(
      {...request, ms: 0},
      {event: 'request', api: 'pets', stage: 'dev', method: 'GET', path: '/dev/hello', status: 200, ms: 0},
    )
    assert.equal(lines.at(-1).status, 0)
    assert.equal(lines.at(-1).result.requests, 1)
  })

  it('refuses a stage apigw.yaml does not declare, with a hint (exit 2, a usage error)', async () => {
    const dir = tempDir('apigw-dev-')
    writeFileSync(join(dir, 'apigw.yaml'), 'apis:\n  pets:\n    spec: openapi.yaml\n    stages:\n      dev: {}\n')
    writeFileSync(join(dir, 'openapi.yaml'), spec(mockRoute('/hello', '{}')))
    const dev = startDev(dir, ['--stage', 'prod'])
    assert.equal(await dev.exited, 2)
    assert.match(dev.out.stderr, /has a stage "prod"/)
    assert.match(dev.out.stderr, /Hint: /)
  })
})
