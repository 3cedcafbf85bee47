/**
 * The WebSocket data plane's frame limit and AWS_IAM $connect, with real `ws` clients against the in-process
 * emulator: a 120 KB message sent as 30 KB fragments is delivered whole, a single frame over 32 KB closes the
 * connection with 1009 as AWS does (../shared/reference/aws-data-plane.md: "frame 32 KB (larger → close 1009)"), and
 * so does a message over 128 KB in small frames; a $connect with authorizationType AWS_IAM accepts a handshake
 * SigV4-signed (src/aws/sigv4.ts, what `apigw ws` signs with) and refuses an unsigned or wrongly signed one with 403.
 */
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateRouteResponseCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import WebSocket from 'ws'
import {LOCAL_IAM_CREDENTIALS, signExecuteApi} from '../../src/aws/sigv4.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

// Answers each message with its length and the caller's IAM user (when $connect was AWS_IAM).
const HANDLER = `
export async function handler(event) {
  if (event.requestContext.eventType !== 'MESSAGE') return {statusCode: 200}
  return {statusCode: 200, body: JSON.stringify({length: event.body.length, user: event.requestContext.identity.userArn ?? null})}
}
`
const fnUri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:len/invocations'

type Opened = {ws: WebSocket; next: () => Promise<string>; closed: Promise<{code: number; reason: string}>}

function open(url: string, headers: Record<string, string> = {}): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {headers})
    const queue: string[] = []
    const waiters: Array<(m: string) => void> = []
    const closed = new Promise<{code: number; reason: string}>((r) => ws.on('close', (code, reason) => r({code, reason: String(reason)})))
    ws.on('message', (m) => {
      const w = waiters.shift()
      if (w) w(String(m))
      else queue.push(String(m))
    })
    ws.on('error', () => undefined)
    ws.once('open', () =>
      resolve({
        ws,
        closed,
        next: () =>
          queue.length > 0
            ? Promise.resolve(queue.shift()!)
            : Promise.race([
                new Promise<string>((r) => waiters.push(r)),
                closed.then(({code}) => Promise.reject(new Error(`closed with ${code} before a frame arrived`))),
              ]),
      }),
    )
    ws.once('unexpected-response', (_req, res) => {
      res.resume()
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), {status: res.statusCode}))
    })
  })
}

/** Send `total` bytes of JSON text as one message in frames of `frame` bytes (the last one with FIN). */
function sendFragmented(ws: WebSocket, total: number, frame: number): void {
  const text = JSON.stringify({action: 'len', pad: 'x'.repeat(total - 25)})
  const bytes = Buffer.from(text)
  for (let at = 0; at < bytes.length; at += frame) {
    const end = Math.min(at + frame, bytes.length)
    ws.send(bytes.subarray(at, end), {binary: false, fin: end === bytes.length})
  }
}

// A limit not applied would leave a client waiting for a close: the timeout turns that into a failure.
describe('WebSocket frames and AWS_IAM $connect', {timeout: 120_000}, () => {
  let t: TestEmulator
  let plain: string
  let iam: string

  before(async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'len.mjs'), HANDLER)
    t = await startTestEmulator({emulator: {functions: {len: {handler: 'len.handler'}}, functionsDir: dir}})
    const make = async (name: string, connectAuth: 'NONE' | 'AWS_IAM') => {
      const api = await t.v2.send(
        new CreateApiCommand({Name: name, ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action'}),
      )
      const apiId = api.ApiId!
      const fn = await t.v2.send(new CreateIntegrationCommand({ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnUri}))
      const target = `integrations/${fn.IntegrationId}`
      await t.v2.send(new CreateRouteCommand({ApiId: apiId, RouteKey: '$connect', Target: target, AuthorizationType: connectAuth}))
      const route = await t.v2.send(
        new CreateRouteCommand({ApiId: apiId, RouteKey: '$default', Target: target, RouteResponseSelectionExpression: '$default'}),
      )
      await t.v2.send(new CreateRouteResponseCommand({ApiId: apiId, RouteId: route.RouteId!, RouteResponseKey: '$default'}))
      const deployment = await t.v2.send(new CreateDeploymentCommand({ApiId: apiId}))
      await t.v2.send(new CreateStageCommand({ApiId: apiId, StageName: 'dev', DeploymentId: deployment.DeploymentId!}))
      return `ws://127.0.0.1:${t.emulator.port}/_aws/execute-api/${apiId}/dev`
    }
    plain = await make('frames', 'NONE')
    iam = await make('signed', 'AWS_IAM')
  })

  after(async () => {
    await t?.close()
  })

  it('delivers a 120 KB message sent in 30 KB frames whole', async () => {
    const c = await open(plain)
    sendFragmented(c.ws, 120 * 1024, 30 * 1024)
    assert.deepEqual(JSON.parse(await c.next()), {length: 120 * 1024, user: null})
    // and a 32 KB frame exactly is still one frame within the limit
    sendFragmented(c.ws, 64 * 1024, 32 * 1024)
    assert.equal(JSON.parse(await c.next()).length, 64 * 1024)
    c.ws.close()
  })

  it('closes with 1009 on a single frame over 32 KB, and on a message over 128 KB in small frames', async () => {
    const one = await open(plain)
    one.ws.send(JSON.stringify({action: 'len', pad: 'x'.repeat(33 * 1024)}))
    assert.equal((await one.closed).code, 1009)
    const fragmented = await open(plain)
    sendFragmented(fragmented.ws, 129 * 1024, 16 * 1024)
    assert.equal((await fragmented.closed).code, 1009)
  })

  it('verifies SigV4 on an AWS_IAM $connect: signed opens, unsigned and wrongly signed get 403', async () => {
    const sign = async (credentials: {accessKeyId: string; secretAccessKey: string}, url = iam) =>
      Object.fromEntries(await signExecuteApi({method: 'GET', url, headers: [], region: 'us-east-1', credentials}))
    // Given a handshake signed with the key pair the emulator knows by default (test/test), with a query string in the signed URL
    const withQuery = `${iam}?client=test`
    const c = await open(withQuery, await sign(LOCAL_IAM_CREDENTIALS, withQuery))
    c.ws.send(JSON.stringify({action: 'hello'}))
    const answer = JSON.parse(await c.next())
    assert.match(answer.user, /^arn:aws:iam::\d{12}:user\//)
    c.ws.close()
    // Then no signature, a wrong secret, an unknown key and a signature for another URL are refused
    const refused = async (headers: Record<string, string>) => {
      const error = (await open(iam, headers).then(
        (o) => {
          o.ws.close()
          return undefined
        },
        (e: unknown) => e,
      )) as {status?: number} | undefined
      return error?.status
    }
    assert.equal(await refused({}), 403)
    assert.equal(await refused(await sign({accessKeyId: 'test', secretAccessKey: 'wrong'})), 403)
    assert.equal(await refused(await sign({accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x'})), 403)
    assert.equal(await refused(await sign(LOCAL_IAM_CREDENTIALS, `${iam}?other=1`)), 403)
  })
})
