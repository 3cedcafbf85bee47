/**
 * What a post to @connections delivers, and how a signed post sent again is checked (websocket/plane.ts,
 * protocol/sigv4.ts verifyRepeat): valid UTF-8 arrives as a text frame and other bytes as a binary frame, byte for
 * byte; the same signed request sent again is delivered again without being signed anew, but refused once its date
 * is over 5 minutes old on the emulator's clock, and its signature over another connection's path is refused.
 */
import assert from 'node:assert/strict'
import {request} from 'node:http'
import {after, before, describe, it} from 'node:test'
import {ApiGatewayManagementApiClient, PostToConnectionCommand} from '@aws-sdk/client-apigatewaymanagementapi'
import WebSocket from 'ws'
import {signExecuteApi} from '../../src/aws/sigv4.ts'
import {createMockWebSocketApi, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

describe('@connections posts', () => {
  let t: TestEmulator
  let apiId: string
  // The emulator's clock: the machine's, moved on by `ahead` (the SDK signs with the machine's).
  let ahead = 0
  const sockets: WebSocket[] = []
  before(async () => {
    t = await startTestEmulator({emulator: {now: () => new Date(Date.now() + ahead)}})
    apiId = await createMockWebSocketApi(t.v2, 'posts')
  })
  after(async () => {
    for (const ws of sockets) ws.terminate()
    await t?.close()
  })

  /** Two clients connected to the stage, each with its connection id and the frames it receives. */
  async function connectTwo() {
    const before = new Set(await ids())
    const clients = await Promise.all(
      [0, 1].map(async () => {
        const ws = new WebSocket(`ws://127.0.0.1:${t.emulator.port}/_aws/execute-api/${apiId}/dev`)
        sockets.push(ws)
        const frames: Array<{data: Buffer; binary: boolean}> = []
        ws.on('message', (data, binary) => frames.push({data: data as Buffer, binary}))
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
        return {ws, frames}
      }),
    )
    const fresh = (await ids()).filter((id) => !before.has(id))
    assert.equal(fresh.length, 2)
    // Which id is which client: a post to the first id reaches one of them.
    const sdk = client()
    await sdk.send(new PostToConnectionCommand({ConnectionId: fresh[0]!, Data: Buffer.from('who')}))
    await until(() => clients.some((c) => c.frames.length === 1))
    const [a, b] = clients[0]!.frames.length === 1 ? clients : [clients[1]!, clients[0]!]
    a!.frames.length = 0
    sdk.destroy()
    return {a: {...a!, id: fresh[0]!}, b: {...b!, id: fresh[1]!}}
  }

  async function ids(): Promise<string[]> {
    const list = (await (await fetch(`${t.url}/_apigw/websocket/connections`)).json()) as {connections: Array<{connectionId: string}>}
    return list.connections.map((c) => c.connectionId)
  }

  const client = () =>
    new ApiGatewayManagementApiClient({
      endpoint: `${t.url}/_aws/execute-api/${apiId}/dev`,
      region: 'us-east-1',
      credentials: {accessKeyId: 'test', secretAccessKey: 'test'},
      maxAttempts: 1,
    })

  it('delivers valid UTF-8 as a text frame and other bytes as a binary frame, byte for byte', async () => {
    const {a, b} = await connectTwo()
    const sdk = client()
    const text = Buffer.from('{"text":"héllo ✓"}')
    const bytes = Buffer.from([0xff, 0x00, 0x41, 0xc3])
    await sdk.send(new PostToConnectionCommand({ConnectionId: a.id, Data: text}))
    await sdk.send(new PostToConnectionCommand({ConnectionId: b.id, Data: bytes}))
    await until(() => a.frames.length === 1 && b.frames.length === 1)
    assert.equal(a.frames[0]!.binary, false)
    assert.deepEqual(a.frames[0]!.data, text)
    assert.equal(b.frames[0]!.binary, true)
    assert.deepEqual(b.frames[0]!.data, bytes)
    sdk.destroy()
    a.ws.close()
    b.ws.close()
  })

  it('delivers a signed post sent again, refuses it once its date is too old, and refuses its signature on another path', async () => {
    const {a, b} = await connectTwo()
    const body = Buffer.from('again')
    const path = (id: string) => `/_aws/execute-api/${apiId}/dev/@connections/${encodeURIComponent(id)}`
    const headers = await signExecuteApi({
      method: 'POST',
      url: `${t.url}${path(a.id)}`,
      headers: [
        ['content-type', 'application/octet-stream'],
        ['content-length', String(body.length)],
      ],
      body,
      region: 'us-east-1',
      credentials: {accessKeyId: 'test', secretAccessKey: 'test'},
    })
    const post = (target: string) => send(target, headers, body)
    for (let i = 0; i < 3; i++) assert.equal((await post(path(a.id))).status, 200)
    await until(() => a.frames.length === 3)
    assert.deepEqual(
      a.frames.map((f) => f.data.toString()),
      ['again', 'again', 'again'],
    )
    const elsewhere = await post(path(b.id))
    assert.equal(elsewhere.status, 403)
    assert.equal(elsewhere.errorType, 'InvalidSignatureException')
    ahead = 6 * 60_000
    const late = await post(path(a.id))
    assert.equal(late.status, 403)
    assert.equal(late.errorType, 'InvalidSignatureException')
    assert.match(late.body, /Signature expired/)
    assert.equal(a.frames.length, 3)
    assert.equal(b.frames.length, 0)
    a.ws.close()
    b.ws.close()
  })

  function send(target: string, headers: Array<[string, string]>, body: Buffer) {
    return new Promise<{status: number; errorType: string | undefined; body: string}>((resolve, reject) => {
      const req = request(
        {host: '127.0.0.1', port: t.emulator.port, method: 'POST', path: target, headers: Object.fromEntries(headers)},
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              errorType: res.headers['x-amzn-errortype'] as string | undefined,
              body: Buffer.concat(chunks).toString(),
            }),
          )
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  }
})

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the frames')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
