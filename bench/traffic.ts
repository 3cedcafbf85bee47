/**
 * Traffic enforcement on the REST data plane (issue 11, point 10): requests per second through a MOCK method
 * with an API key, a usage plan (throttle and quota), a stage throttle and a cached Lambda TOKEN authorizer all
 * enforced, against the same MOCK method with none of them, in one run (target: at least 0.8x); and a stage-cache
 * hit in front of a 20 ms backend (target: p50 under 1 ms). The emulator runs in a child process, the load here:
 * keep-alive node:http clients at fixed concurrency, a warm-up, then timed runs. Loopback only.
 */
import {fork} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadHttp, printTable, type Row} from './lib.ts'

type Ready = {port: number; apiId: string; key: string}
const KEY = 'bench-key-0123456789abcdefghij'

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

  type Result = {rps: number; p50: number; p99: number; errors: number}
  const load = (path: string, headers: Record<string, string>, ms: number, concurrency = 32) =>
    loadHttp({port: ready.port, path, ms, headers, concurrency})

  const path = (p: string) => `/_aws/execute-api/${ready.apiId}/bench${p}`
  const guardedHeaders = {'x-api-key': ready.key, authorization: 'Bearer bench'}
  const seconds = Number(process.env.BENCH_SECONDS ?? 5)
  const show = (name: string, r: Result): Result => {
    console.log(`  ${name}: ${JSON.stringify(r)}`)
    return r
  }
  show('warm-up plain', await load(path('/plain'), {}, 1000))
  show('warm-up guarded', await load(path('/guarded'), guardedHeaders, 1000))
  show('warm-up keyed', await load(path('/keyed'), {'x-api-key': ready.key}, 1000))
  show('warm-up cache', await load(path('/slow'), {}, 1000, 1))
  console.log(`  measuring ${seconds} s each, alternating plain and guarded twice...`)
  const plain: Result[] = []
  const guarded: Result[] = []
  const keyed: Result[] = []
  for (let i = 0; i < 2; i++) {
    plain.push(show('plain', await load(path('/plain'), {}, (seconds * 1000) / 2)))
    guarded.push(show('guarded', await load(path('/guarded'), guardedHeaders, (seconds * 1000) / 2)))
    keyed.push(show('keyed', await load(path('/keyed'), {'x-api-key': ready.key}, (seconds * 1000) / 2)))
  }
  const hit = show('cache hit, one client', await load(path('/slow'), {}, seconds * 1000, 1))
  child.send('stop')
  const rps = (rs: Result[]) => rs.reduce((n, r) => n + r.rps, 0) / rs.length
  const errors = (rs: Result[]) => rs.reduce((n, r) => n + r.errors, 0)
  const line = (r: Result) =>
    `${r.rps.toFixed(0)}/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms${r.errors ? `, ${r.errors} errors` : ''}`
  const ratio = rps(guarded) / rps(plain)
  const rows: Row[] = [
    {name: 'MOCK method, nothing enforced', value: `${rps(plain).toFixed(0)}/s${errors(plain) ? `, ${errors(plain)} errors` : ''}`},
    {
      name: 'MOCK + key + plan throttle/quota + stage throttle + authorizer',
      value: `${rps(guarded).toFixed(0)}/s${errors(guarded) ? `, ${errors(guarded)} errors` : ''}`,
    },
    {
      name: 'MOCK + key + plan throttle/quota + stage throttle (no authorizer)',
      value: `${rps(keyed).toFixed(0)}/s${errors(keyed) ? `, ${errors(keyed)} errors` : ''}`,
    },
    {name: 'key, plan and throttles / plain', value: `${(rps(keyed) / rps(plain)).toFixed(2)}x`},
    {name: 'enforced / plain (requests/s)', value: `${ratio.toFixed(2)}x`, target: '>= 0.8x', ok: ratio >= 0.8 && errors(guarded) === 0},
    {name: 'stage-cache hit in front of a 20 ms backend', value: line(hit), target: 'p50 < 1 ms', ok: hit.p50 < 1 && hit.errors === 0},
  ]
  printTable('REST traffic enforcement (one run, loopback, 32 keep-alive clients)', rows)
}
