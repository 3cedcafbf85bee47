/**
 * `apigw logs` against the emulator: follow latency (event written → line printed by a running
 * `logs --follow`) and `logs --since 1h` over 100,000 events (whole command wall time, NDJSON to a pipe).
 * The emulator runs in this process, advertised in the project's state directory; the command runs from src/
 * in a child with --local (attaching to it, as to `apigw local start`).
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CreateDeploymentCommand, ImportRestApiCommand, UpdateStageCommand} from '@aws-sdk/client-api-gateway'
import {CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {APIGatewayClient} from '@aws-sdk/client-api-gateway'
import {startEmulator} from '../src/local/server.ts'
import {fmt, median, printTable, type Row} from './lib.ts'

const EVENTS = 100_000
const GROUP = '/apigw/pets/dev/access'
const root = new URL('..', import.meta.url).pathname
const credentials = {accessKeyId: 'bench', secretAccessKey: 'bench'}

// The emulator serves the project's state directory and advertises itself, so `--local` attaches to it
// as it does to `apigw local start`.
const cwd = mkdtempSync(join(tmpdir(), 'apigw-bench-logs-proj-'))
const emulator = await startEmulator({port: 0, dataDir: join(cwd, '.apigw', 'local'), advertise: true})
const config = {endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1}
const v1 = new APIGatewayClient(config)
const logs = new CloudWatchLogsClient(config)

const spec = {
  openapi: '3.0.1',
  info: {title: 'pets', version: '1'},
  paths: {
    '/pets': {
      get: {
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': {type: 'mock', requestTemplates: {'application/json': '{"statusCode": 200}'}},
      },
    },
  },
}
const api = await v1.send(new ImportRestApiCommand({body: new TextEncoder().encode(JSON.stringify(spec))}))
await v1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'dev'}))
await v1.send(
  new UpdateStageCommand({
    restApiId: api.id!,
    stageName: 'dev',
    patchOperations: [
      {op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:us-east-1:000000000000:log-group:${GROUP}`},
      {op: 'replace', path: '/accessLogSettings/format', value: '{"requestId":"$context.requestId"}'},
    ],
  }),
)
await logs.send(new CreateLogGroupCommand({logGroupName: GROUP}))
await logs.send(new CreateLogStreamCommand({logGroupName: GROUP, logStreamName: 'bench'}))
writeFileSync(join(cwd, 'apigw.yaml'), 'apis:\n  pets:\n    type: rest\n    spec: openapi.json\n    stages:\n      dev: {}\n')
writeFileSync(join(cwd, 'openapi.json'), JSON.stringify(spec))

const line = (i: number, status: number) =>
  JSON.stringify({
    requestId: `req-${i}`,
    ip: '203.0.113.7',
    caller: '-',
    user: '-',
    requestTime: '31/Jan/2026:12:00:00 +0000',
    httpMethod: 'GET',
    resourcePath: '/pets',
    status: String(status),
    protocol: 'HTTP/1.1',
    responseLength: '123',
    integrationLatency: '12',
  })

// 100,000 events over the last 50 minutes, in batches under PutLogEvents' 1 MB.
const now = Date.now()
const start = now - 50 * 60_000
for (let i = 0; i < EVENTS; i += 3000) {
  const logEvents = []
  for (let j = i; j < Math.min(EVENTS, i + 3000); j++)
    logEvents.push({timestamp: start + Math.floor((j * 50 * 60_000) / EVENTS), message: line(j, j % 50 === 0 ? 503 : 200)})
  await logs.send(new PutLogEventsCommand({logGroupName: GROUP, logStreamName: 'bench', logEvents}))
}

const RUNNER = 'const [root, file, ...argv] = process.argv.slice(1); const {default: C} = await import(file); await C.run(argv, root)'
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'us-east-1',
  APIGW_CONTROL_PLANE_RATES: 'off',
  NO_COLOR: '1',
}
function apigw(args: string[]) {
  return spawn(process.execPath, ['--input-type=module', '-e', RUNNER, root, join(root, 'src/commands/logs.ts'), ...args, '--local'], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Wall time of one `logs --since 1h` run, and the lines it printed. */
async function since(extra: string[] = []): Promise<{ms: number; lines: number}> {
  const t0 = performance.now()
  const child = apigw(['pets', '--stage', 'dev', '--since', '1h', ...extra])
  let lines = 0
  let err = ''
  child.stdout.on('data', (d: Buffer) => {
    for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++
  })
  child.stderr.on('data', (d: Buffer) => (err += d))
  const code = await new Promise<number | null>((r) => child.on('close', r))
  if (code !== 0) throw new Error(`logs exited ${code}: ${err}`)
  return {ms: performance.now() - t0, lines}
}

const runs: number[] = []
let printed = 0
for (let i = 0; i < 4; i++) {
  const r = await since()
  if (i > 0) runs.push(r.ms)
  printed = r.lines
}
const statusRuns: number[] = []
for (let i = 0; i < 3; i++) statusRuns.push((await since(['--status', '5xx'])).ms)

// Follow latency: a running follower, then one event at a time, timed until its line arrives.
const follower = apigw(['pets', '--stage', 'dev', '--follow', '--since', '1s'])
let out = ''
follower.stdout.on('data', (d: Buffer) => (out += d.toString()))
await new Promise((r) => setTimeout(r, 2500))
const latencies: number[] = []
for (let i = 0; i < 10; i++) {
  const id = `live-${i}`
  const t0 = performance.now()
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: GROUP,
      logStreamName: 'bench',
      logEvents: [{timestamp: Date.now(), message: JSON.stringify({requestId: id, status: '200'})}],
    }),
  )
  while (!out.includes(`\\"requestId\\":\\"${id}\\"`)) {
    if (performance.now() - t0 > 10_000) throw new Error(`event ${id} not printed within 10 s`)
    await new Promise((r) => setTimeout(r, 5))
  }
  latencies.push(performance.now() - t0)
  await new Promise((r) => setTimeout(r, 100 + Math.random() * 300))
}
follower.kill('SIGINT')
await new Promise((r) => follower.on('close', r))

const sinceMs = median(runs)
const followMs = median(latencies)
const rows: Row[] = [
  {
    name: `logs --since 1h over ${EVENTS.toLocaleString('en')} events (${printed.toLocaleString('en')} lines, median of 3)`,
    value: fmt(sinceMs),
    target: '< 3 s',
    ok: sinceMs < 3000,
  },
  {
    name: 'logs --since 1h --status 5xx over the same events (median of 3)',
    value: fmt(median(statusRuns)),
    target: '< 3 s',
    ok: median(statusRuns) < 3000,
  },
  {name: 'follow latency, event written → line printed (median of 10)', value: fmt(followMs), target: '< 1.5 s', ok: followMs < 1500},
  {name: 'follow latency, worst of 10', value: fmt(Math.max(...latencies)), target: '< 1.5 s', ok: Math.max(...latencies) < 1500},
]
printTable('apigw logs (emulator)', rows)
v1.destroy()
logs.destroy()
await emulator.close()
process.exit(rows.every((r) => r.ok !== false) ? 0 : 1)
