/**
 * `apigw logs --local --follow` shows data-plane traffic live, through the built binary as a user runs it: `apigw
 * local start` serves the project (port 0), `apigw deploy --local` deploys a stage with access logging to it, `apigw
 * logs --stage dev --local --follow` follows the stage's access log, and requests to the stage appear in it as
 * they are answered. The test waits on printed lines, never on time.
 */
import assert from 'node:assert/strict'
import {type ChildProcess, spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {binPath, runCli} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const running: ChildProcess[] = []
after(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

/** A running apigw command, and a way to wait until its stdout has a line matching a pattern. */
function start(cwd: string, args: string[]) {
  const child = spawn(process.execPath, [binPath, ...args], {cwd, env: {...process.env, NO_COLOR: '1'}})
  running.push(child)
  const out = {stdout: '', stderr: ''}
  let wake: (() => void) | undefined
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out.stdout += d
    wake?.()
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    out.stderr += d
    wake?.()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.on('exit', () => wake?.())
  const waitFor = async (check: (stdout: string) => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 60_000
    while (!check(out.stdout)) {
      if (child.exitCode !== null)
        throw new Error(`${args.join(' ')} exited (${child.exitCode}) before ${what}:\n${out.stdout}\n${out.stderr}`)
      if (Date.now() > deadline) throw new Error(`no ${what} after 60 s:\n${out.stdout}\n${out.stderr}`)
      await new Promise<void>((resolve) => {
        // Woken by output or exit; the timer only enforces the 60 s bound.
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  }
  return {child, out, exited, waitFor}
}

const SPEC = `openapi: 3.0.1
info: {title: pets, version: '1'}
paths:
  /pets/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default: {statusCode: '200', responseTemplates: {application/json: '{"id": "$input.params(''id'')"}'}}
`

describe('apigw logs --local --follow (built CLI, apigw local start)', () => {
  it("prints a stage's access-log lines as requests reach the stage", async () => {
    // Given a project whose dev stage writes JSON access logs, served by `apigw local start` and deployed to it
    const dir = tempDir('apigw-follow-')
    writeFileSync(
      join(dir, 'apigw.yaml'),
      'apis:\n  pets:\n    spec: openapi.yaml\n    stages:\n      dev:\n        accessLogs: {format: json}\n',
    )
    writeFileSync(join(dir, 'openapi.yaml'), SPEC)
    const server = start(dir, ['local', 'start', '--port', '0', '--json'])
    await server.waitFor((s) => s.includes('"event":"ready"'), 'the ready line')
    const deployed = await runCli(['deploy', '--stage', 'dev', '--local', '--json'], {cwd: dir})
    assert.equal(deployed.code, 0, deployed.stderr)
    const apiId = JSON.parse(deployed.stdout).result.apiId as string
    const endpoint = JSON.parse(server.out.stdout.split('\n')[0]!).endpoint as string
    // When the stage's access log is followed
    // (stdout is not a terminal: NDJSON events on stdout, progress on stderr)
    const follow = start(dir, ['logs', 'pets', '--stage', 'dev', '--type', 'access', '--local', '--follow'])
    await follow.waitFor(() => /^Following .* for new events/m.test(follow.out.stderr), 'the follow to start')
    // And requests reach the stage
    const ids: string[] = []
    for (const pet of ['7', '8', 'nope/x']) {
      const res = await fetch(`${endpoint}/_aws/execute-api/${apiId}/dev/pets/${pet}`)
      await res.arrayBuffer()
      ids.push(res.headers.get('x-amzn-requestid')!)
    }
    // Then each request appears in the follow's output, with its status
    await follow.waitFor((s) => ids.every((id) => s.includes(id)), 'the three requests')
    const events = follow.out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as {message?: string})
      .filter((e) => e.message?.includes('"requestId"'))
      .map((e) => JSON.parse(e.message!) as {requestId: string; status: string})
    assert.deepEqual(
      ids.map((id) => events.find((e) => e.requestId === id)?.status),
      ['200', '200', '403'],
    )
    // When both are stopped, Then they end cleanly
    follow.child.kill('SIGINT')
    assert.equal(await follow.exited, 0)
    server.child.kill('SIGINT')
    assert.equal(await server.exited, 0)
  })
})
