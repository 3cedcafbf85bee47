/**
 * The REST data plane: requests per second and p50/p99 latency through a MOCK method, an HTTP_PROXY method
 * and AWS_PROXY methods (a warm Node handler of `functions:` run by the local function host, and the same handler
 * called in-process behind the function-host seam, which shows what the host's process boundary costs), against a
 * minimal node:http proxy to the same backend (the ceiling). The servers run in a child process, the load here:
 * 32 keep-alive autocannon connections (lib.ts loadHttp), a warm-up, then a timed run; the added latency of
 * HTTP_PROXY is measured with one client sending one request at a time, against the ceiling measured the same way. Memory of the server process before
 * and after 200,000 MOCK requests. Loopback only. Prints each method's requests/s as a ratio of the ceiling's, and
 * the machine's load average, since absolute numbers on a shared machine say little.
 */
import {fork} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {availableParallelism, loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadHttp, printTable, type Row, startBackendAndProxy} from './lib.ts'

type Ports = {emulator: number; apiId: string; proxy: number; seam: number; seamApiId: string}

if (process.argv[2] === 'server') {
  const {APIGatewayClient, CreateDeploymentCommand, ImportRestApiCommand, UpdateAccountCommand} = await import(
    '@aws-sdk/client-api-gateway'
  )
  const {startEmulator} = await import('../src/local/server.ts')
  const {backendPort, proxyPort} = await startBackendAndProxy()
  const dataDir = mkdtempSync(join(tmpdir(), 'apigw-bench-dp-'))
  const handler = (event: {path: string}) => ({
    statusCode: 200,
    headers: {'content-type': 'application/json'},
    body: JSON.stringify({path: event.path}),
  })
  // The same handler as a file, run warm by the local function host (apigw.yaml's functions:).
  const fnDir = mkdtempSync(join(tmpdir(), 'apigw-bench-fn-'))
  writeFileSync(
    join(fnDir, 'bench.mjs'),
    "export const handler = async (event) => ({statusCode: 200, headers: {'content-type': 'application/json'}, " +
      'body: JSON.stringify({path: event.path})})\n',
  )
  // The server works in the functions' directory, as `apigw local start` does in a project: Node handlers then run
  // in worker threads (functions/host.ts nodeInThreads), the function host's default.
  process.chdir(fnDir)
  const emulator = await startEmulator({port: 0, dataDir, functionsDir: fnDir, functions: {bench: {handler: 'bench.handler', timeout: 30}}})
  const seam = await startEmulator({
    port: 0,
    dataDir: ':memory:',
    functionHost: {
      invoke: async (_ref, payload) => ({statusCode: 200, payload: Buffer.from(JSON.stringify(handler(JSON.parse(payload.toString()))))}),
      close: async () => {},
    },
  })
  const client = new APIGatewayClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: {accessKeyId: 'b', secretAccessKey: 'b'},
    maxAttempts: 1,
  })
  const fn =
    'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:bench/invocations'
  const ok = {responses: {'200': {description: 'ok'}}}
  const spec = {
    openapi: '3.0.1',
    info: {title: 'bench', version: '1'},
    paths: {
      '/mock': {
        get: {
          ...ok,
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: {'application/json': '{"statusCode": 200}'},
            responses: {default: {statusCode: '200', responseTemplates: {'application/json': '{"ok":true}'}}},
          },
        },
      },
      '/proxy': {
        get: {
          ...ok,
          'x-amazon-apigateway-integration': {type: 'http_proxy', httpMethod: 'GET', uri: `http://127.0.0.1:${backendPort}/proxy`},
        },
      },
      '/lambda': {get: {...ok, 'x-amazon-apigateway-integration': {type: 'aws_proxy', httpMethod: 'POST', uri: fn}}},
    },
  }
  // The account's 10,000 requests/s (burst 5,000) would answer 429 past it, cheaply: raised on both emulators so the
  // benchmark measures the work of each path, as bench/traffic.ts does.
  const unthrottled = new UpdateAccountCommand({
    patchOperations: [
      {op: 'replace', path: '/throttle/rateLimit', value: '1000000'},
      {op: 'replace', path: '/throttle/burstLimit', value: '1000000'},
    ],
  })
  await client.send(unthrottled)
  const api = await client.send(new ImportRestApiCommand({body: new TextEncoder().encode(JSON.stringify(spec))}))
  await client.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'bench'}))
  client.destroy()
  const seamClient = new APIGatewayClient({endpoint: seam.url, region: 'us-east-1', credentials: {accessKeyId: 'b', secretAccessKey: 'b'}})
  await seamClient.send(unthrottled)
  const seamApi = await seamClient.send(new ImportRestApiCommand({body: new TextEncoder().encode(JSON.stringify(spec))}))
  await seamClient.send(new CreateDeploymentCommand({restApiId: seamApi.id!, stageName: 'bench'}))
  seamClient.destroy()
  process.on('message', (m) => {
    if (m === 'memory') process.send!({rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed})
    if (m === 'gc') {
      ;(globalThis as {gc?: () => void}).gc?.()
      process.send!({gc: true})
    }
    if (m === 'stop') {
      void Promise.all([emulator.close(), seam.close()]).then(() => {
        rmSync(dataDir, {recursive: true, force: true})
        rmSync(fnDir, {recursive: true, force: true})
        process.exit(0)
      })
    }
  })
  process.send!({
    emulator: emulator.port,
    apiId: api.id!,
    proxy: proxyPort,
    seam: seam.port,
    seamApiId: seamApi.id!,
  } satisfies Ports)
} else {
  const child = fork(new URL(import.meta.url).pathname, ['server'], {execArgv: ['--expose-gc'], stdio: 'inherit'})
  const ports = await new Promise<Ports>((resolve) => child.once('message', (m) => resolve(m as Ports)))
  const ask = <T>(m: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (x) => resolve(x as T))
      child.send(m)
    })

  const load = (port: number, path: string, ms: number, concurrency = 32) => loadHttp({port, path, ms, concurrency})

  const show = <T>(name: string, r: T): T => {
    console.log(`  ${name}: ${JSON.stringify(r)}`)
    return r
  }
  const stagePath = (p: string) => `/_aws/execute-api/${ports.apiId}/bench${p}`
  const seconds = Number(process.env.BENCH_SECONDS ?? 5)
  for (const [port, path] of [
    [ports.proxy, '/proxy'],
    [ports.emulator, stagePath('/mock')],
    [ports.emulator, stagePath('/proxy')],
    [ports.emulator, stagePath('/lambda')],
    [ports.seam, `/_aws/execute-api/${ports.seamApiId}/bench/lambda`],
  ] as const) {
    // Warm until a second of load is no faster than the one before: the function host starts its environments
    // (up to 10, cold starts of seconds on a loaded machine) during the first seconds, which is not the warm path.
    let previous = 0
    for (let i = 0; i < 30; i++) {
      const r = show(`warm-up ${path}`, await load(port, path, 1000))
      if (r.errors === 0 && r.rps <= previous * 1.1) break
      previous = r.rps
    }
  }
  console.log(`  measuring ${seconds} s each, then ${process.env.BENCH_MEMORY_REQUESTS ?? 200_000} MOCK requests for memory...`)
  const ceiling = show('ceiling', await load(ports.proxy, '/proxy', seconds * 1000))
  const mock = show('mock', await load(ports.emulator, stagePath('/mock'), seconds * 1000))
  const httpProxy = show('http_proxy', await load(ports.emulator, stagePath('/proxy'), seconds * 1000))
  const lambda = show('aws_proxy', await load(ports.emulator, stagePath('/lambda'), seconds * 1000))
  const inProcess = show('aws_proxy_seam', await load(ports.seam, `/_aws/execute-api/${ports.seamApiId}/bench/lambda`, seconds * 1000))
  // Added latency: one client, one request at a time, so the p50s are the work of each path and not the queue in
  // front of it (at 32 clients the p50 is mostly 32 / requests-per-second).
  const ceilingOne = show('ceiling, one client', await load(ports.proxy, '/proxy', seconds * 1000, 1))
  const httpProxyOne = show('http_proxy, one client', await load(ports.emulator, stagePath('/proxy'), seconds * 1000, 1))
  await ask('gc')
  const before = await ask<{rss: number; heap: number}>('memory')
  const target = Number(process.env.BENCH_MEMORY_REQUESTS ?? 200_000)
  let sent = 0
  const deadline = performance.now() + 120_000
  while (sent < target && performance.now() < deadline) {
    const r = await load(ports.emulator, stagePath('/mock'), 2000, 64)
    sent += Math.round(r.rps * 2)
  }
  await ask('gc')
  const afterMem = await ask<{rss: number; heap: number}>('memory')
  child.send('stop')
  const line = (r: {rps: number; p50: number; p99: number; errors: number}) =>
    `${r.rps.toFixed(0)}/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms${r.errors ? `, ${r.errors} errors` : ''}`
  const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`
  const ratio = (r: {rps: number}) => `${(r.rps / ceiling.rps).toFixed(2)}x the ceiling's requests/s`
  const rows: Row[] = [
    {name: 'minimal node:http proxy → backend (ceiling)', value: line(ceiling)},
    {name: 'MOCK method', value: line(mock), target: '>= 10000/s', ok: mock.rps >= 10_000 && mock.errors === 0},
    {name: 'MOCK / ceiling', value: ratio(mock)},
    {name: 'HTTP_PROXY method → same backend', value: line(httpProxy)},
    {
      name: 'HTTP_PROXY / ceiling (requests/s)',
      value: `${(httpProxy.rps / ceiling.rps).toFixed(2)}x`,
      target: '>= 0.7x',
      ok: httpProxy.rps / ceiling.rps >= 0.7,
    },
    {
      name: 'HTTP_PROXY added p50, one client (vs the ceiling)',
      value: `${(httpProxyOne.p50 - ceilingOne.p50).toFixed(2)} ms (${httpProxyOne.p50.toFixed(2)} vs ${ceilingOne.p50.toFixed(2)} ms)`,
      target: '< 1 ms',
      ok: httpProxyOne.p50 - ceilingOne.p50 < 1,
    },
    {
      name: 'AWS_PROXY, warm Node handler (functions:)',
      value: line(lambda),
      target: '>= 10000/s',
      ok: lambda.rps >= 10_000 && lambda.errors === 0,
    },
    {name: 'AWS_PROXY warm / ceiling', value: ratio(lambda)},
    {name: 'AWS_PROXY, same handler in-process (no host)', value: line(inProcess)},
    {name: 'AWS_PROXY warm / in-process', value: `${(lambda.rps / inProcess.rps).toFixed(2)}x (the function host's cost)`},
    {
      name: `server heap after GC, before / after ${sent} MOCK requests`,
      value: `${mb(before.heap)} / ${mb(afterMem.heap)} (rss ${mb(before.rss)} / ${mb(afterMem.rss)})`,
      target: 'flat',
      ok: afterMem.heap < before.heap * 1.5 + 5 * 1048576,
    },
    {
      name: 'machine',
      value: `${availableParallelism()} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} (1/5/15 min) at the end`,
    },
  ]
  printTable('REST data plane (one run, loopback, 32 keep-alive clients)', rows)
}
