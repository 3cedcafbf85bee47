/**
 * The HTTP client of HTTP integrations (data-plane/integrations/upstream.ts, undici's Agent) against a real
 * node:http endpoint on port 0: what the endpoint receives and what comes back is byte for byte what was sent,
 * header pairs in their order and casing included; connection-level headers are undici's; failures carry the codes
 * the integrations map to API Gateway's answers.
 */
import assert from 'node:assert/strict'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {endpointOf, Upstream} from '../../../../src/local/data-plane/integrations/upstream.ts'

describe('Upstream (HTTP integrations’ client)', () => {
  let server: Server
  let base = ''
  let seen: IncomingMessage | undefined
  let seenBody = Buffer.alloc(0)
  const upstream = new Upstream()

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        seen = req
        seenBody = Buffer.concat(chunks)
        if (req.url === '/cut') {
          // Headers promise 100 bytes; the connection closes after 5.
          res.socket?.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello')
          res.socket?.destroy()
          return
        }
        res.writeHead(201, [
          'X-Multi',
          'a',
          'x-multi',
          'b',
          'Set-Cookie',
          'c=1',
          'Set-Cookie',
          'd=2',
          'Content-Type',
          'application/octet-stream',
        ])
        res.end(Buffer.from([0, 255, 1, 254]))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(async () => {
    await upstream.close()
    await new Promise((resolve) => server.close(resolve))
  })

  it('sends the method, path, query, header pairs and body bytes as given, and returns the answer as received', async () => {
    // Given a request with a repeated header in two casings and a binary body
    const body = Buffer.from([1, 2, 3, 0, 200])
    const answer = await upstream.send(
      endpointOf(new URL(`${base}/p/a%20b?x=1&x=2`)),
      'PUT',
      [
        ['X-Rep', 'one'],
        ['x-rep', 'two'],
        ['Content-Length', String(body.length)],
      ],
      body,
      5_000,
    )
    // Then the endpoint saw all of it, with the URI's Host
    assert.equal(seen?.method, 'PUT')
    assert.equal(seen?.url, '/p/a%20b?x=1&x=2')
    assert.deepEqual(seenBody, body)
    const raw = seen?.rawHeaders ?? []
    assert.deepEqual(
      raw.flatMap((v, i) => (i % 2 === 0 && v.toLowerCase() === 'x-rep' ? [`${v}: ${raw[i + 1]}`] : [])),
      ['X-Rep: one', 'x-rep: two'],
    )
    assert.equal(seen?.headers.host, new URL(base).host)
    // And the answer keeps its status, every header pair in order and casing, and its bytes
    assert.equal(answer.status, 201)
    assert.deepEqual(
      answer.headers.filter(([k]) => /^(x-multi|set-cookie)$/i.test(k)),
      [
        ['X-Multi', 'a'],
        ['x-multi', 'b'],
        ['Set-Cookie', 'c=1'],
        ['Set-Cookie', 'd=2'],
      ],
    )
    assert.deepEqual(answer.body, Buffer.from([0, 255, 1, 254]))
  })

  it('leaves connection-level headers to the client and lets a mapped Host replace the URI’s', async () => {
    // Given headers undici refuses from callers (and API Gateway does not forward), and a Host from a mapping
    const answer = await upstream.send(
      endpointOf(new URL(`${base}/h`)),
      'GET',
      [
        ['Connection', 'close'],
        ['Keep-Alive', 'timeout=1'],
        ['Upgrade', 'websocket'],
        ['Host', 'backend.example.com'],
        ['X-Kept', 'yes'],
      ],
      Buffer.alloc(0),
      5_000,
    )
    // Then the request is sent (no error), with the mapped Host and the other headers, but none of those
    assert.equal(answer.status, 201)
    assert.equal(seen?.headers.host, 'backend.example.com')
    assert.equal(seen?.headers['x-kept'], 'yes')
    assert.equal(seen?.headers.upgrade, undefined)
    assert.equal(seen?.headers['keep-alive'], undefined)
    assert.notEqual(seen?.headers.connection, 'close')
  })

  it('names a connection closed before the answer ended ECONNRESET, and a refused one ECONNREFUSED', async () => {
    // When the endpoint closes mid-body
    const cut = await upstream.send(endpointOf(new URL(`${base}/cut`)), 'GET', [], Buffer.alloc(0), 5_000).then(
      () => undefined,
      (error: NodeJS.ErrnoException) => error,
    )
    // Then the error is a reset
    assert.equal(cut?.code, 'ECONNRESET')
    // When nothing listens at the address
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const refused = await upstream.send(endpointOf(new URL(`http://127.0.0.1:${port}/`)), 'GET', [], Buffer.alloc(0), 5_000).then(
      () => undefined,
      (error: NodeJS.ErrnoException) => error,
    )
    assert.equal(refused?.code, 'ECONNREFUSED')
  })
})
