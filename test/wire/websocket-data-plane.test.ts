/**
 * The WebSocket data plane with real `ws` clients against the in-process emulator: the handshake through
 * $connect (authorizer, refusal), route selection and $default, two-way answers, the error frame of a crashing
 * handler, broadcast through @connections (from a handler, and with the management API's SDK client), GET/DELETE
 * of connections, 410 and 413, $disconnect, plain HTTP → 426, and the idle and lifetime limits on a moved clock.
 */
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import {
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateIntegrationResponseCommand,
  CreateRouteCommand,
  CreateRouteResponseCommand,
  CreateStageCommand,
  GetRouteResponsesCommand,
} from '@aws-sdk/client-apigatewayv2'
import WebSocket from 'ws'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

const HANDLER = `
import {appendFileSync} from 'node:fs'
export async function handler(event) {
  const ctx = event.requestContext
  if (ctx.eventType === 'CONNECT') {
    if (event.queryStringParameters?.refuse) return {statusCode: 403}
    return {statusCode: 200}
  }
  if (ctx.eventType === 'DISCONNECT') {
    appendFileSync(process.env.EVENTS_FILE, JSON.stringify({routeKey: ctx.routeKey, connectionId: ctx.connectionId, code: ctx.disconnectStatusCode}) + '\\n')
    return {statusCode: 200}
  }
  let body = {}
  try { body = JSON.parse(event.body || '{}') } catch {}
  if (ctx.routeKey === 'crash') throw new Error('boom')
  if (ctx.routeKey === 'whoami') return {statusCode: 200, body: JSON.stringify(event)}
  if (ctx.routeKey === 'broadcast') {
    // The SDK as Lambda's runtime ships it (this directory has no node_modules), signing with the function's keys.
    const {ApiGatewayManagementApiClient, PostToConnectionCommand} = await import('@aws-sdk/client-apigatewaymanagementapi')
    const client = new ApiGatewayManagementApiClient({endpoint: process.env.APIGW_LOCAL_ENDPOINT + '/_aws/execute-api/' + ctx.apiId + '/' + ctx.stage})
    for (const id of body.to) {
      await client.send(new PostToConnectionCommand({ConnectionId: id, Data: JSON.stringify({from: ctx.connectionId, text: body.text})}))
    }
    client.destroy()
    return {statusCode: 200}
  }
  return {statusCode: 200, body: 'echo:' + event.body}
}
`
const AUTHORIZER = `
export async function handler(event) {
  const effect = event.queryStringParameters?.token === 'good' ? 'Allow' : 'Deny'
  return {principalId: 'user-1', context: {team: 'blue'},
    policyDocument: {Version: '2012-10-17', Statement: [{Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn}]}}
}
`
/** The pair the data plane accepts by default (DEFAULT_DATA_PLANE_CREDENTIALS): test/test. */
const DATA_PLANE_KEYS = {accessKeyId: 'test', secretAccessKey: 'test'}
const fnUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`

type Client = {ws: WebSocket; messages: string[]; next(): Promise<string>; closed: Promise<{code: number; reason: string}>}

function connect(url: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const messages: string[] = []
    const waiters: Array<(m: string) => void> = []
    ws.on('message', (data) => {
      const text = data.toString()
      const waiter = waiters.shift()
      if (waiter) waiter(text)
      else messages.push(text)
    })
    const closed = new Promise<{code: number; reason: string}>((r) =>
      ws.on('close', (code, reason) => r({code, reason: reason.toString()})),
    )
    ws.on('open', () =>
      resolve({
        ws,
        messages,
        closed,
        // A frame, or a failure when the connection closes first (a test never hangs on a closed socket).
        next: () =>
          messages.length > 0
            ? Promise.resolve(messages.shift()!)
            : Promise.race([
                new Promise<string>((r) => waiters.push(r)),
                closed.then(({code}) => Promise.reject(new Error(`closed with ${code} before a frame arrived`))),
              ]),
      }),
    )
    ws.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), {status: res.statusCode, body})))
    })
    ws.on('error', (e) => reject(e))
  })
}

describe('WebSocket data plane', () => {
  let t: TestEmulator
  // Starts at the wall clock: SigV4 signers (the SDK, handlers) sign with it, and the emulator checks their dates on this one.
  let clock = Date.now()
  let apiId: string
  let base: string
  let management: ApiGatewayManagementApiClient
  let eventsFile: string
  const clients: Client[] = []
  const open = async (query = '') => {
    const c = await connect(`${base}${query}`)
    clients.push(c)
    return c
  }

  before(async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'ws.mjs'), HANDLER)
    writeFileSync(join(dir, 'auth.mjs'), AUTHORIZER)
    eventsFile = join(dir, 'events.ndjson')
    t = await startTestEmulator({
      emulator: {
        now: () => new Date(clock),
        functions: {ws: {handler: 'ws.handler', environment: {EVENTS_FILE: eventsFile}}, auth: {handler: 'auth.handler'}},
        functionsDir: dir,
      },
    })
    const api = await t.v2.send(
      new CreateApiCommand({Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action'}),
    )
    apiId = api.ApiId!
    const lambda = await t.v2.send(new CreateIntegrationCommand({ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnUri('ws')}))
    const target = `integrations/${lambda.IntegrationId}`
    const mock = await t.v2.send(
      new CreateIntegrationCommand({ApiId: apiId, IntegrationType: 'MOCK', RequestTemplates: {$default: '{"statusCode": 200}'}}),
    )
    await t.v2.send(
      new CreateIntegrationResponseCommand({
        ApiId: apiId,
        IntegrationId: mock.IntegrationId!,
        IntegrationResponseKey: '$default',
        ResponseTemplates: {$default: '{"pong": "$context.routeKey"}'},
      }),
    )
    for (const key of ['$connect', '$disconnect', 'crash', 'broadcast'])
      await t.v2.send(new CreateRouteCommand({ApiId: apiId, RouteKey: key, Target: target}))
    for (const key of ['$default', 'whoami']) {
      const route = await t.v2.send(
        new CreateRouteCommand({ApiId: apiId, RouteKey: key, Target: target, RouteResponseSelectionExpression: '$default'}),
      )
      await t.v2.send(new CreateRouteResponseCommand({ApiId: apiId, RouteId: route.RouteId!, RouteResponseKey: '$default'}))
    }
    const ping = await t.v2.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: 'ping',
        Target: `integrations/${mock.IntegrationId}`,
        RouteResponseSelectionExpression: '$default',
      }),
    )
    const listed = await t.v2.send(new GetRouteResponsesCommand({ApiId: apiId, RouteId: ping.RouteId!}))
    assert.deepEqual(listed.Items, [])
    const deployment = await t.v2.send(new CreateDeploymentCommand({ApiId: apiId}))
    await t.v2.send(new CreateStageCommand({ApiId: apiId, StageName: 'dev', DeploymentId: deployment.DeploymentId!}))
    base = `ws://127.0.0.1:${t.emulator.port}/_aws/execute-api/${apiId}/dev`
    // Signed with the data plane's default pair (the control plane does not check signatures; @connections does).
    management = new ApiGatewayManagementApiClient({
      endpoint: `${t.url}/_aws/execute-api/${apiId}/dev`,
      region: 'us-east-1',
      credentials: DATA_PLANE_KEYS,
      maxAttempts: 1,
    })
  })

  after(async () => {
    for (const c of clients) c.ws.terminate()
    management?.destroy()
    await t?.close()
  })

  it('routes by the selection expression and falls back to $default, answering two-way routes', async () => {
    // Given a client  When it sends a message no route selects, then one for whoami
    const c = await open()
    c.ws.send('not json')
    assert.equal(await c.next(), 'echo:not json')
    c.ws.send(JSON.stringify({action: 'nothing-here'}))
    assert.equal(await c.next(), 'echo:{"action":"nothing-here"}')
    c.ws.send(JSON.stringify({action: 'whoami'}))
    // Then the event has AWS's shape
    const event = JSON.parse(await c.next())
    assert.equal(event.requestContext.routeKey, 'whoami')
    assert.equal(event.requestContext.eventType, 'MESSAGE')
    assert.equal(event.requestContext.stage, 'dev')
    assert.equal(event.requestContext.apiId, apiId)
    assert.equal(event.requestContext.connectedAt, clock)
    assert.match(event.requestContext.connectionId, /^[A-Za-z0-9+/]{15}=$/)
    assert.equal(event.body, '{"action":"whoami"}')
    assert.equal(event.isBase64Encoded, false)
  })

  it('answers a MOCK route through its integration response template', async () => {
    const c = await open()
    c.ws.send(JSON.stringify({action: 'ping'}))
    assert.deepEqual(JSON.parse(await c.next()), {pong: 'ping'})
  })

  it("sends AWS's error frame when the handler crashes, and keeps the connection", async () => {
    const c = await open()
    c.ws.send(JSON.stringify({action: 'crash'}))
    const frame = JSON.parse(await c.next())
    assert.equal(frame.message, 'Internal server error')
    assert.match(frame.requestId, /^[0-9a-f-]{36}$/)
    assert.ok(frame.connectionId)
    c.ws.send('still here')
    assert.equal(await c.next(), 'echo:still here')
  })

  it('refuses the upgrade when $connect answers non-2xx', async () => {
    await assert.rejects(open('?refuse=1'), (e: {status?: number}) => e.status === 403)
  })

  it('broadcasts to two clients through @connections from a handler', async () => {
    const a = await open()
    const b = await open()
    const ids = t.emulator.dataPlane.websocket.connections().map((c) => c.connectionId)
    assert.ok(ids.length >= 2)
    // The newest two are a and b: ask each for its own id through whoami.
    const idOf = async (c: Client) => {
      c.ws.send(JSON.stringify({action: 'whoami'}))
      return JSON.parse(await c.next()).requestContext.connectionId as string
    }
    const [idA, idB] = [await idOf(a), await idOf(b)]
    a.ws.send(JSON.stringify({action: 'broadcast', to: [idA, idB], text: 'hi all'}))
    assert.deepEqual(JSON.parse(await a.next()), {from: idA, text: 'hi all'})
    assert.deepEqual(JSON.parse(await b.next()), {from: idA, text: 'hi all'})
  })

  it('serves the management API to its SDK client: post, get, delete, then 410 Gone', async () => {
    const c = await open()
    c.ws.send(JSON.stringify({action: 'whoami'}))
    const id = JSON.parse(await c.next()).requestContext.connectionId as string
    await management.send(new PostToConnectionCommand({ConnectionId: id, Data: Buffer.from('from outside')}))
    assert.equal(await c.next(), 'from outside')
    const got = await management.send(new GetConnectionCommand({ConnectionId: id}))
    assert.equal(got.ConnectedAt?.getTime(), clock)
    assert.equal(got.Identity?.SourceIp, '127.0.0.1')
    assert.ok(got.LastActiveAt)
    await assert.rejects(
      management.send(new PostToConnectionCommand({ConnectionId: id, Data: Buffer.alloc(128 * 1024 + 1, 97)})),
      (e) => e instanceof PayloadTooLargeException,
    )
    await management.send(new DeleteConnectionCommand({ConnectionId: id}))
    assert.equal((await c.closed).code, 1000)
    await assert.rejects(management.send(new GetConnectionCommand({ConnectionId: id})), (e) => e instanceof GoneException)
    await assert.rejects(
      management.send(new PostToConnectionCommand({ConnectionId: id, Data: Buffer.from('x')})),
      (e) => e instanceof GoneException,
    )
    // $disconnect ran after the close, with the close code.
    await t.emulator.dataPlane.websocket.settled()
    const events = readFileSync(eventsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    assert.ok(events.some((e) => e.connectionId === id && e.routeKey === '$disconnect' && e.code === 1000))
  })

  it('refuses @connections calls that are unsigned or badly signed, as AWS answers IAM-authorized calls', async () => {
    // Given an open connection
    const c = await open()
    c.ws.send(JSON.stringify({action: 'whoami'}))
    const id = JSON.parse(await c.next()).requestContext.connectionId as string
    const url = `${t.url}/_aws/execute-api/${apiId}/dev/@connections/${encodeURIComponent(id)}`
    // When a plain POST arrives (curl without --aws-sigv4): 403 Missing Authentication Token
    const unsigned = await fetch(url, {method: 'POST', body: 'hello'})
    assert.equal(unsigned.status, 403)
    assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException')
    assert.deepEqual(await unsigned.json(), {message: 'Missing Authentication Token'})
    // And the SDK client with a wrong secret, or a key the emulator does not know
    const refused = async (credentials: {accessKeyId: string; secretAccessKey: string}) => {
      const client = new ApiGatewayManagementApiClient({
        endpoint: `${t.url}/_aws/execute-api/${apiId}/dev`,
        region: 'us-east-1',
        credentials,
      })
      try {
        await client.send(new PostToConnectionCommand({ConnectionId: id, Data: Buffer.from('hello')}))
        return undefined
      } catch (error) {
        return error as {name: string; message: string; $metadata: {httpStatusCode?: number}}
      } finally {
        client.destroy()
      }
    }
    const badSecret = await refused({accessKeyId: 'test', secretAccessKey: 'wrong'})
    assert.equal(badSecret?.name, 'InvalidSignatureException')
    assert.equal(badSecret?.$metadata.httpStatusCode, 403)
    assert.match(badSecret?.message ?? '', /^The request signature we calculated does not match the signature you provided/)
    const unknown = await refused({accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x'})
    assert.equal(unknown?.name, 'UnrecognizedClientException')
    assert.equal(unknown?.message, 'The security token included in the request is invalid.')
    // Then nothing reached the client, and a signed GET still works
    const got = await management.send(new GetConnectionCommand({ConnectionId: id}))
    assert.ok(got.ConnectedAt)
    c.ws.send('after')
    assert.equal(await c.next(), 'echo:after')
  })

  it('answers plain HTTP with 426', async () => {
    const res = await fetch(`${t.url}/_aws/execute-api/${apiId}/dev`)
    assert.equal(res.status, 426)
    await res.body?.cancel()
  })

  it('closes a message over 128 KB with 1009', async () => {
    const c = await open()
    c.ws.send('x'.repeat(128 * 1024 + 1))
    assert.equal((await c.closed).code, 1009)
  })

  it('closes idle connections after 10 minutes and any after 2 hours, by the clock', async () => {
    // Given two clients, one of which keeps talking
    const idle = await open()
    const busy = await open()
    clock += 9 * 60_000
    busy.ws.send('keep')
    assert.equal(await busy.next(), 'echo:keep')
    t.emulator.dataPlane.websocket.sweep()
    // When the clock passes 10 minutes of silence for the first only
    clock += 60_000
    t.emulator.dataPlane.websocket.sweep()
    assert.equal((await idle.closed).code, 1001)
    assert.equal(busy.ws.readyState, WebSocket.OPEN)
    // Then past 2 hours the other goes too, however busy
    // (8 minutes between messages: never idle, even if the emulator's own sweep timer runs in between)
    for (let i = 0; i < 13; i++) {
      clock += 8 * 60_000
      busy.ws.send('keep')
      assert.equal(await busy.next(), 'echo:keep')
      t.emulator.dataPlane.websocket.sweep()
    }
    assert.equal(busy.ws.readyState, WebSocket.OPEN)
    clock += 8 * 60_000
    t.emulator.dataPlane.websocket.sweep()
    assert.equal((await busy.closed).code, 1001)
  })

  it('authorizes $connect with a Lambda REQUEST authorizer: 401 without the identity source, 403 on Deny', async () => {
    const api2 = await t.v2.send(
      new CreateApiCommand({Name: 'guarded', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action'}),
    )
    const authorizer = await t.v2.send(
      new CreateAuthorizerCommand({
        ApiId: api2.ApiId!,
        Name: 'token',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: fnUri('auth'),
        IdentitySource: ['route.request.querystring.token'],
      }),
    )
    const integration = await t.v2.send(
      new CreateIntegrationCommand({ApiId: api2.ApiId!, IntegrationType: 'AWS_PROXY', IntegrationUri: fnUri('ws')}),
    )
    const target = `integrations/${integration.IntegrationId}`
    await t.v2.send(
      new CreateRouteCommand({
        ApiId: api2.ApiId!,
        RouteKey: '$connect',
        Target: target,
        AuthorizationType: 'CUSTOM',
        AuthorizerId: authorizer.AuthorizerId!,
      }),
    )
    await t.v2.send(
      new CreateRouteCommand({ApiId: api2.ApiId!, RouteKey: 'whoami', Target: target, RouteResponseSelectionExpression: '$default'}),
    )
    const d = await t.v2.send(new CreateDeploymentCommand({ApiId: api2.ApiId!}))
    await t.v2.send(new CreateStageCommand({ApiId: api2.ApiId!, StageName: 'dev', DeploymentId: d.DeploymentId!}))
    const url = `ws://${api2.ApiId}.execute-api.localhost:${t.emulator.port}/dev`
    const hostStyle = (query: string) =>
      new Promise<Client>((resolve, reject) => {
        // *.localhost may not resolve here: connect to 127.0.0.1 with the Host header of the host-style address.
        const ws = new WebSocket(`ws://127.0.0.1:${t.emulator.port}/dev${query}`, {headers: {host: new URL(url).host}})
        const messages: string[] = []
        ws.on('message', (m) => messages.push(m.toString()))
        ws.on('open', () => {
          const c: Client = {
            ws,
            messages,
            next: async () => '',
            closed: new Promise((r) => ws.on('close', (code, reason) => r({code, reason: String(reason)}))),
          }
          clients.push(c)
          resolve(c)
        })
        ws.on('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), {status: res.statusCode})))
        ws.on('error', reject)
      })
    await assert.rejects(hostStyle(''), (e: {status?: number}) => e.status === 401)
    await assert.rejects(hostStyle('?token=bad'), (e: {status?: number}) => e.status === 403)
    const ok = await hostStyle('?token=good')
    ok.ws.send(JSON.stringify({action: 'whoami'}))
    const event = await new Promise<Record<string, {authorizer?: Record<string, unknown>}>>((resolve) =>
      ok.ws.once('message', (m) => resolve(JSON.parse(String(m)))),
    )
    // Then the authorizer's principal and context reach every later event
    assert.equal(event.requestContext?.authorizer?.principalId, 'user-1')
    assert.equal(event.requestContext?.authorizer?.team, 'blue')
  })
})
