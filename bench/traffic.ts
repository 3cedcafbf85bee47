/**
 * Traffic enforcement on the REST data plane (issue 11, point 10): requests per second through a MOCK method
 * with an API key, a usage plan (throttle and quota), a stage throttle and a cached Lambda TOKEN authorizer all
 * enforced ("guarded"), against the same MOCK method with none of them ("plain"), in one run (target: at least
 * 0.8x); the same with the key, plan and throttles but no authorizer ("keyed") shows what the authorizer costs;
 * and a stage-cache hit in front of a 20 ms backend (target: p50 under 1 ms). Loopback only.
 *
 * Method. The emulator runs in a child process, the load here: 32 keep-alive connections per side (lib.ts
 * loadHttp, autocannon). Each side gets the same 1.5 s warm-up. Then many short rounds: in each
 * round every side runs 250 ms, back to back, the order rotating from round to round (plain, guarded, keyed;
 * guarded, keyed, plain; ...), BENCH_SECONDS (default 5) of load per side in all. The judged ratio is the median
 * of the per-round ratios side/plain: the sides of one round saw the same machine, so a burst of other work on a
 * shared machine moves one round's ratio and not the median. The ratio of sums (all requests over all time) and
 * the quartiles of the per-round ratios are printed beside it, so the spread is visible. The emulator's own CPU
 * time per request (process.cpuUsage around each round, median of rounds) is judged too: on a small machine the
 * load client shares the cores and the emulator is not saturated, so requests/s understate what enforcement
 * costs; requests per CPU second of the emulator is the rate with a core to itself, and it moves much less with
 * the machine's load.
 */
import {fork} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {type LoadResult, loadHttp, median, printTable, type Row} from './lib.ts'

type Ready = {port: number; apiId: string; key: string}
const KEY = 'bench-key-0123456789abcdefghij'
const CONCURRENCY = 32
/** One round of one side; every side runs once per round, so the sides of a round see the same machine. */
const ROUND_MS = 250
const WARM_UP_MS = 1500

if (process.argv[2] === 'server') {
  const sdk = await import('@aws-sdk/client-api-gateway')
  const {startEmulator} = await import('../src/local/server.ts')
  // The slow backend of the cache measurement: every answer takes 20 ms.
  const backend = createServer((req, res) => {
    req.resume()
    req.on('end', () =>
      setTimeout(() => {
        res.writeHead(200, {'content-type': 'application/json', 'content-length': 11})
        res.end('{"ok":true}')
      }, 20),
    )
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  const backendPort = (backend.address() as AddressInfo).port
  const dataDir = mkdtempSync(join(tmpdir(), 'apigw-bench-traffic-'))
  const allow = (methodArn: string) => ({
    principalId: 'bench',
    policyDocument: {Version: '2012-10-17', Statement: [{Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn}]},
  })
  const emulator = await startEmulator({
    port: 0,
    dataDir,
    functionHost: {
      invoke: async (_ref, payload) => {
        const event = JSON.parse(payload.toString()) as {methodArn: string}
        return {statusCode: 200, payload: Buffer.from(JSON.stringify(allow(event.methodArn)))}
      },
      close: async () => {},
    },
  })
  const client = new sdk.APIGatewayClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: {accessKeyId: 'b', secretAccessKey: 'b'},
    maxAttempts: 1,
  })
  const fn = (name: string) =>
    `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${name}/invocations`
  const mock = {
    responses: {'200': {description: 'ok'}},
    'x-amazon-apigateway-integration': {
      type: 'mock',
      requestTemplates: {'application/json': '{"statusCode": 200}'},
      responses: {default: {statusCode: '200', responseTemplates: {'application/json': '{"ok":true}'}}},
    },
  }
  const spec = {
    openapi: '3.0.1',
    info: {title: 'bench-traffic', version: '1'},
    paths: {
      '/plain': {get: mock},
      '/guarded': {get: {...mock, security: [{api_key: [], token: []}]}},
      '/keyed': {get: {...mock, security: [{api_key: []}]}},
      '/slow': {
        get: {
          responses: {'200': {description: 'ok'}},
          'x-amazon-apigateway-integration': {type: 'http_proxy', httpMethod: 'GET', uri: `http://127.0.0.1:${backendPort}/slow`},
        },
      },
    },
    components: {
      securitySchemes: {
        api_key: {type: 'apiKey', name: 'x-api-key', in: 'header'},
        token: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'token',
            authorizerUri: fn('authz'),
            authorizerResultTtlInSeconds: 300,
            identitySource: 'method.request.header.Authorization',
          },
        },
      },
    },
  }
  const api = await client.send(new sdk.ImportRestApiCommand({body: new TextEncoder().encode(JSON.stringify(spec))}))
  const restApiId = api.id!
  const deploymentId = (await client.send(new sdk.CreateDeploymentCommand({restApiId}))).id!
  await client.send(new sdk.CreateStageCommand({restApiId, stageName: 'bench', deploymentId, cacheClusterEnabled: true}))
  // The account's 10,000 rps would throttle both sides alike; raised so the comparison measures the work.
  await client.send(
    new sdk.UpdateAccountCommand({
      patchOperations: [
        {op: 'replace', path: '/throttle/rateLimit', value: '1000000'},
        {op: 'replace', path: '/throttle/burstLimit', value: '1000000'},
      ],
    }),
  )
  await client.send(
    new sdk.UpdateStageCommand({
      restApiId,
      stageName: 'bench',
      patchOperations: [
        {op: 'replace', path: '/~1guarded/GET/throttling/rateLimit', value: '1000000'},
        {op: 'replace', path: '/~1guarded/GET/throttling/burstLimit', value: '1000000'},
        {op: 'replace', path: '/~1keyed/GET/throttling/rateLimit', value: '1000000'},
        {op: 'replace', path: '/~1keyed/GET/throttling/burstLimit', value: '1000000'},
        {op: 'replace', path: '/~1slow/GET/caching/enabled', value: 'true'},
        {op: 'replace', path: '/~1slow/GET/caching/ttlInSeconds', value: '3600'},
      ],
    }),
  )
  const key = await client.send(new sdk.CreateApiKeyCommand({name: 'bench', value: KEY, enabled: true}))
  const plan = await client.send(
    new sdk.CreateUsagePlanCommand({
      name: 'bench',
      apiStages: [{apiId: restApiId, stage: 'bench'}],
      throttle: {rateLimit: 1_000_000, burstLimit: 1_000_000},
      quota: {limit: 1_000_000_000, period: 'MONTH'},
    }),
  )
  await client.send(new sdk.CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY'}))
  client.destroy()
  process.on('message', (m) => {
    // The emulator's CPU time so far (user + system, µs): the parent reads it around each round.
    if (m === 'cpu') {
      const {user, system} = process.cpuUsage()
      process.send!({cpu: user + system})
    }
    if (m === 'stop') {
      void emulator.close().then(() => {
        backend.close()
        rmSync(dataDir, {recursive: true, force: true})
        process.exit(0)
      })
    }
  })
  process.send!({port: emulator.port, apiId: restApiId, key: KEY} satisfies Ready)
} else {
  const child = fork(new URL(import.meta.url).pathname, ['server'], {stdio: 'inherit'})
  const ready = await new Promise<Ready>((resolve) => child.once('message', (m) => resolve(m as Ready)))

  const path = (p: string) => `/_aws/execute-api/${ready.apiId}/bench${p}`
  const side = (name: string, p: string, headers: Record<string, string>) => ({name, path: path(p), headers, rounds: [] as LoadResult[]})
  const plain = side('plain', '/plain', {})
  const guarded = side('guarded', '/guarded', {'x-api-key': ready.key, authorization: 'Bearer bench'})
  const keyed = side('keyed', '/keyed', {'x-api-key': ready.key})
  const sides = [plain, guarded, keyed]
  const load = (s: (typeof sides)[number], ms: number) =>
    loadHttp({port: ready.port, path: s.path, ms, headers: s.headers, concurrency: CONCURRENCY})
  const cpu = () =>
    new Promise<number>((resolve) => {
      child.once('message', (m) => resolve((m as {cpu: number}).cpu))
      child.send('cpu')
    })
  const cpuPerRequest = new Map<(typeof sides)[number], number[]>(sides.map((s) => [s, []]))

  const seconds = Number(process.env.BENCH_SECONDS ?? 5)
  const rounds = Math.max(6, Math.round((seconds * 1000) / ROUND_MS))
  // The same warm-up for each side (the JIT, the authorizer's cache entry, the key index, the buckets).
  for (const s of sides) console.log(`  warm-up ${s.name}: ${JSON.stringify(await load(s, WARM_UP_MS))}`)
  console.log(`  warm-up cache: ${JSON.stringify(await loadHttp({port: ready.port, path: path('/slow'), ms: 1000, concurrency: 1}))}`)
  console.log(`  measuring ${rounds} rounds of ${ROUND_MS} ms per side, the order rotating each round...`)
  for (let i = 0; i < rounds; i++) {
    for (let j = 0; j < sides.length; j++) {
      const s = sides[(i + j) % sides.length]!
      const before = await cpu()
      const r = await load(s, ROUND_MS)
      cpuPerRequest.get(s)!.push(((await cpu()) - before) / r.requests)
      s.rounds.push(r)
    }
  }
  const hit = await loadHttp({port: ready.port, path: path('/slow'), ms: seconds * 1000, concurrency: 1})
  console.log(`  cache hit, one client: ${JSON.stringify(hit)}`)
  child.send('stop')

  // Ratio of sums (all requests over all time) and the median of per-round ratios: a round's sides ran
  // back to back, so a burst of other load on the machine moves one round's ratio, not the median.
  const total = (s: (typeof sides)[number]) => ({
    rps: s.rounds.reduce((n, r) => n + r.requests, 0) / s.rounds.reduce((n, r) => n + r.requests / r.rps, 0),
    errors: s.rounds.reduce((n, r) => n + r.errors, 0),
    p50: median(s.rounds.map((r) => r.p50)),
  })
  const perRound = (s: (typeof sides)[number]) => s.rounds.map((r, i) => r.rps / plain.rounds[i]!.rps)
  const spread = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b)
    const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]!.toFixed(2)
    return `quartiles ${q(0.25)}-${q(0.75)}`
  }
  const cpuOf = (s: (typeof sides)[number]) => median(cpuPerRequest.get(s)!)
  const describe = (s: (typeof sides)[number]) => {
    const t = total(s)
    return `${t.rps.toFixed(0)}/s, p50 ${t.p50.toFixed(2)} ms, ${cpuOf(s).toFixed(0)} us CPU${t.errors ? `, ${t.errors} errors` : ''}`
  }
  const line = (r: LoadResult) =>
    `${r.rps.toFixed(0)}/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms${r.errors ? `, ${r.errors} errors` : ''}`
  const guardedRatio = median(perRound(guarded))
  const keyedRatio = median(perRound(keyed))
  const cpuRatio = cpuOf(plain) / cpuOf(guarded)
  const rows: Row[] = [
    {name: 'MOCK method, nothing enforced', value: describe(plain)},
    {name: 'MOCK + key + plan throttle/quota + stage throttle + authorizer', value: describe(guarded)},
    {name: 'MOCK + key + plan throttle/quota + stage throttle (no authorizer)', value: describe(keyed)},
    {name: 'key, plan and throttles / plain (median of rounds)', value: `${keyedRatio.toFixed(2)}x (${spread(perRound(keyed))})`},
    {name: 'enforced / plain, ratio of sums', value: `${(total(guarded).rps / total(plain).rps).toFixed(2)}x`},
    {
      name: 'enforced / plain (median of per-round ratios)',
      value: `${guardedRatio.toFixed(2)}x (${spread(perRound(guarded))})`,
      target: '>= 0.8x',
      ok: guardedRatio >= 0.8 && total(guarded).errors === 0,
    },
    {
      name: 'enforced / plain, requests per emulator CPU second',
      value: `${cpuRatio.toFixed(2)}x`,
      target: '>= 0.8x',
      ok: cpuRatio >= 0.8,
    },
    {name: 'stage-cache hit in front of a 20 ms backend', value: line(hit), target: 'p50 < 1 ms', ok: hit.p50 < 1 && hit.errors === 0},
  ]
  printTable(`REST traffic enforcement (one run, loopback, ${CONCURRENCY} keep-alive clients per side)`, rows)
}
