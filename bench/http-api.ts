/**
 * The HTTP API data plane: requests per second and p50/p99 latency through an HTTP_PROXY route and through an
 * HTTP_PROXY route behind a JWT authorizer (RS256, JWKS fetched once and cached), against a minimal node:http
 * proxy to the same backend (the ceiling), in one run. The servers run in a child process, the load here:
 * keep-alive node:http clients, fixed concurrency, a warm-up, then a timed run. Loopback only.
 */
import {fork} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadHttp, printTable, type Row, startBackendAndProxy} from './lib.ts'

type Ports = {emulator: number; apiId: string; proxy: number; token: string}

if (process.argv[2] === 'server') {
  const v2 = await import('@aws-sdk/client-apigatewayv2')
  const {exportJWK, generateKeyPair, SignJWT} = await import('jose')
  const {startEmulator} = await import('../src/local/server.ts')
  const {backendPort, proxyPort} = await startBackendAndProxy()
  // An OpenID issuer: discovery document and JWKS.
  const {privateKey, publicKey} = await generateKeyPair('RS256')
  const jwk = {...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig'}
  let issuer = ''
  const idp = createServer((req, res) => {
    res.writeHead(200, {'content-type': 'application/json'})
    res.end(JSON.stringify(req.url?.endsWith('jwks.json') ? {keys: [jwk]} : {issuer, jwks_uri: `${issuer}/jwks.json`}))
  })
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r))
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`
  const token = await new SignJWT({scope: 'read'})
    .setProtectedHeader({alg: 'RS256', kid: 'bench'})
    .setIssuer(issuer)
    .setAudience('bench')
    .setSubject('user')
    .setExpirationTime('2h')
    .sign(privateKey)

  const dataDir = mkdtempSync(join(tmpdir(), 'apigw-bench-http-'))
  const emulator = await startEmulator({port: 0, dataDir})
  const client = new v2.ApiGatewayV2Client({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: {accessKeyId: 'b', secretAccessKey: 'b'},
    maxAttempts: 1,
  })
  const ApiId = (await client.send(new v2.CreateApiCommand({Name: 'bench', ProtocolType: 'HTTP'}))).ApiId!
  const integration = await client.send(
    new v2.CreateIntegrationCommand({
      ApiId,
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'GET',
      IntegrationUri: `http://127.0.0.1:${backendPort}/proxy`,
      PayloadFormatVersion: '1.0',
    }),
  )
  const authorizer = await client.send(
    new v2.CreateAuthorizerCommand({
      ApiId,
      Name: 'jwt',
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {Issuer: issuer, Audience: ['bench']},
    }),
  )
  const Target = `integrations/${integration.IntegrationId}`
  await client.send(new v2.CreateRouteCommand({ApiId, RouteKey: 'GET /proxy', Target}))
  await client.send(
    new v2.CreateRouteCommand({ApiId, RouteKey: 'GET /jwt', Target, AuthorizationType: 'JWT', AuthorizerId: authorizer.AuthorizerId}),
  )
  await client.send(new v2.CreateStageCommand({ApiId, StageName: 'bench', AutoDeploy: true}))
  client.destroy()
  process.on('message', (m) => {
    if (m === 'stop') {
      void emulator.close().then(() => {
        rmSync(dataDir, {recursive: true, force: true})
        process.exit(0)
      })
    }
  })
  process.send!({emulator: emulator.port, apiId: ApiId, proxy: proxyPort, token} satisfies Ports)
} else {
  const child = fork(new URL(import.meta.url).pathname, ['server'], {stdio: 'inherit'})
  const ports = await new Promise<Ports>((resolve) => child.once('message', (m) => resolve(m as Ports)))

  const load = (port: number, path: string, ms: number, headers: Record<string, string> = {}, concurrency = 32) =>
    loadHttp({port, path, ms, headers, concurrency})

  const show = <T>(name: string, r: T): T => {
    console.log(`  ${name}: ${JSON.stringify(r)}`)
    return r
  }
  const stagePath = (p: string) => `/_aws/execute-api/${ports.apiId}/bench${p}`
  const auth = {authorization: `Bearer ${ports.token}`}
  const seconds = Number(process.env.BENCH_SECONDS ?? 5)
  show('warm-up ceiling', await load(ports.proxy, '/proxy', 1000))
  show('warm-up http_proxy', await load(ports.emulator, stagePath('/proxy'), 1000))
  show('warm-up jwt', await load(ports.emulator, stagePath('/jwt'), 1000, auth))
  console.log(`  measuring ${seconds} s each...`)
  const ceiling = show('ceiling', await load(ports.proxy, '/proxy', seconds * 1000))
  const httpProxy = show('http_proxy', await load(ports.emulator, stagePath('/proxy'), seconds * 1000))
  const jwt = show('jwt', await load(ports.emulator, stagePath('/jwt'), seconds * 1000, auth))
  child.send('stop')
  const line = (r: {rps: number; p50: number; p99: number; errors: number}) =>
    `${r.rps.toFixed(0)}/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms${r.errors ? `, ${r.errors} errors` : ''}`
  const rows: Row[] = [
    {name: 'minimal node:http proxy → backend (ceiling)', value: line(ceiling)},
    {name: 'HTTP API, HTTP_PROXY route → same backend', value: line(httpProxy)},
    {
      name: 'HTTP_PROXY / ceiling (requests/s)',
      value: `${(httpProxy.rps / ceiling.rps).toFixed(2)}x`,
      target: '>= 0.7x',
      ok: httpProxy.rps / ceiling.rps >= 0.7 && httpProxy.errors === 0,
    },
    {name: 'HTTP API, JWT-protected HTTP_PROXY route (cached JWKS)', value: line(jwt)},
    {
      name: 'JWT route / ceiling (requests/s)',
      value: `${(jwt.rps / ceiling.rps).toFixed(2)}x`,
      target: '>= 0.5x',
      ok: jwt.rps / ceiling.rps >= 0.5 && jwt.errors === 0,
    },
  ]
  printTable('HTTP API data plane (one run, loopback, 32 keep-alive clients)', rows)
}
