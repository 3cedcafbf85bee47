/**
 * `apigw metrics` and alarms through the built CLI, as a user runs them: a project whose apigw.yaml declares an
 * alarm on 5XXError, `apigw local start`, deploy (the alarm created and tagged), a known mix of 2xx/4xx/5xx
 * requests to the stage, then `metrics --local --json` (exact counts, per method with detailed metrics),
 * `status` (the alarm in ALARM, the stage's health line), a config typo refused with a guess, and
 * `deploy --prune` deleting an alarm dropped from apigw.yaml.
 */
import assert from 'node:assert/strict'
import {type ChildProcess, spawn} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {binPath, cliBuilt, runCli} from '../helpers/cli.ts'
import {writeProject} from '../wire/lifecycle-project.ts'

const mock = (status: number) => ({
  responses: {[String(status)]: {description: 'answer'}},
  'x-amazon-apigateway-integration': {
    type: 'mock',
    requestTemplates: {'application/json': `{"statusCode": ${status}}`},
    responses: {default: {statusCode: String(status), responseTemplates: {'application/json': '{}'}}},
  },
})

const config = (alarms: Record<string, unknown>) => ({
  apis: {
    shop: {
      type: 'rest',
      spec: 'shop.json',
      stages: {dev: {metrics: true}},
      alarms,
    },
  },
})

const ERRORS_ALARM = {
  stage: 'dev',
  metric: '5XXError',
  statistic: 'Sum',
  threshold: 3,
  comparison: '>=',
  actions: ['arn:aws:sns:us-east-1:123456789012:oncall'],
}

describe('apigw metrics and alarms (built CLI, --local)', {skip: cliBuilt() ? false : 'the CLI is not built (run `npm run build`)'}, () => {
  let dir: string
  let server: ChildProcess | undefined
  let endpoint = ''

  before(async () => {
    const spec = {openapi: '3.0.1', info: {title: 'shop', version: '1'}, paths: {'/ok': {get: mock(200)}, '/fail': {get: mock(503)}}}
    dir = writeProject({config: config({errors: ERRORS_ALARM}), specs: {'shop.json': spec}})
    server = spawn(process.execPath, [binPath, 'local', 'start', '--port', '0', '--json'], {
      cwd: dir,
      env: {...process.env, NO_COLOR: '1'},
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const child = server
    let out = ''
    await new Promise<void>((resolve, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d
        const ready = out.split('\n').find((l) => l.includes('"event":"ready"'))
        if (ready) {
          endpoint = (JSON.parse(ready) as {endpoint: string}).endpoint
          resolve()
        }
      })
      child.once('exit', () => reject(new Error(`local start exited before it was ready: ${out}`)))
    })
  })
  after(async () => {
    const child = server
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  })

  async function apigw(...args: string[]): Promise<Record<string, unknown>> {
    const run = await runCli([...args, '--local', '--json'], {cwd: dir, timeoutMs: 120_000})
    assert.equal(run.timedOut, false)
    const doc = JSON.parse(run.stdout) as {status: number; result: Record<string, unknown>}
    assert.equal(run.code, 0, `apigw ${args.join(' ')}: ${run.stdout}${run.stderr}`)
    return doc.result
  }

  it('deploy creates the alarm of apigw.yaml; a burst of 5xx puts it in ALARM; metrics counts the mix exactly', {
    timeout: 600_000,
  }, async () => {
    // Given the stage deployed: the plan shows the alarm, deploy creates it
    const plan = (await apigw('plan', 'shop', '--stage', 'dev')) as {alarms: {changes: Array<{name: string; action: string}>}}
    assert.deepEqual(plan.alarms.changes, [{key: 'errors', name: 'shop-dev-errors', action: 'create'}])
    const deployed = (await apigw('deploy', 'shop', '--stage', 'dev')) as {apiId: string}
    const before = (await apigw('status', 'shop')) as {alarms: Array<{name: string; state: string}>}
    assert.deepEqual(
      before.alarms.map((a) => [a.name, a.state]),
      [['shop-dev-errors', 'INSUFFICIENT_DATA']],
    )
    // When 4 answers of 200, 3 of 503 (a burst of 5xx) and 2 of 403 go through the stage
    const statuses: number[] = []
    for (const path of ['/ok', '/ok', '/ok', '/ok', '/fail', '/fail', '/fail', '/missing', '/missing']) {
      const res = await fetch(`${endpoint}/_aws/execute-api/${deployed.apiId}/dev${path}`)
      await res.arrayBuffer()
      statuses.push(res.status)
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 503, 503, 503, 403, 403])
    // Then status shows the alarm in ALARM and the stage's last minutes
    const after = (await apigw('status', 'shop')) as {
      alarms: Array<{name: string; state: string; reason: string}>
      stages: Array<{name: string; health: {requests: number; rate5xx: number} | null}>
    }
    assert.equal(after.alarms[0]!.state, 'ALARM', after.alarms[0]!.reason)
    assert.equal(after.stages[0]!.health!.requests, 9)
    assert.ok(Math.abs(after.stages[0]!.health!.rate5xx - 3 / 9) < 1e-9)
    // And metrics reads the exact counts, per method too (detailed metrics are on)
    const m = (await apigw('metrics', 'shop', '--stage', 'dev', '--since', '10m', '--by', 'method')) as {
      rows: Array<{key: string; requests: number; errors4xx: number; errors5xx: number; latencyP50: number | null}>
    }
    const rows = Object.fromEntries(m.rows.map((r) => [r.key, [r.requests, r.errors4xx, r.errors5xx]]))
    assert.deepEqual(rows, {stage: [9, 2, 3], 'GET /ok': [4, 0, 0], 'GET /fail': [3, 0, 3]})
    assert.ok(m.rows[0]!.latencyP50! > 0)
    // The human table at no TTY: no sparkline column, no escape codes
    const human = await runCli(['metrics', 'shop', '--stage', 'dev', '--local'], {cwd: dir, timeoutMs: 120_000})
    assert.equal(human.code, 0, human.stderr)
    assert.match(human.stdout, /^dev +9 +22% +33% /m)
    assert.doesNotMatch(human.stdout, /REQUESTS PER PERIOD/)
    assert.ok(!human.stdout.includes('\u001b['), 'no escape codes')
  })

  it('refuses a metric of the wrong API type with the file, the key and a guess; --prune deletes a dropped alarm', {
    timeout: 600_000,
  }, async () => {
    // Given a typo in the alarm's metric (an HTTP API's name on a REST API)
    writeFileSync(join(dir, 'apigw.yaml'), JSON.stringify(config({errors: {...ERRORS_ALARM, metric: '5xx'}})))
    const bad = await runCli(['validate', 'shop', '--local', '--json'], {cwd: dir, timeoutMs: 120_000})
    assert.equal(bad.code, 3)
    const error = (JSON.parse(bad.stdout) as {error: {code: string; message: string}}).error
    assert.equal(error.code, 'CONFIG_INVALID')
    assert.match(
      error.message,
      /apigw\.yaml:\d+:\d+: "apis\.shop\.alarms\.errors\.metric" is "5xx", not a metric of REST APIs \(did you mean "5XXError"\?\)/,
    )
    // When the alarm is dropped from apigw.yaml: deploy reports it, deploy --prune deletes it
    writeFileSync(join(dir, 'apigw.yaml'), JSON.stringify(config({})))
    const kept = (await apigw('deploy', 'shop', '--stage', 'dev')) as {plan: {alarms: {changes: Array<{action: string}>}}}
    assert.equal(kept.plan.alarms.changes[0]!.action, 'unchanged')
    const pruned = (await apigw('deploy', 'shop', '--stage', 'dev', '--prune')) as {plan: {alarms: {changes: Array<{action: string}>}}}
    assert.equal(pruned.plan.alarms.changes[0]!.action, 'delete')
    const status = (await apigw('status', 'shop')) as {alarms?: unknown[]}
    assert.equal(status.alarms, undefined)
    assert.ok(readFileSync(join(dir, 'apigw.yaml'), 'utf8').includes('"alarms":{}'))
  })
})
