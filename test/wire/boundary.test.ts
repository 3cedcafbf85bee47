// The control plane's boundary (issue 19 point 5): a web page must not drive the emulator through the developer's
// browser (simple cross-origin requests, CORS preflights) nor read it by DNS rebinding; SDK clients still work.
import assert from 'node:assert/strict'
import {request} from 'node:http'
import {after, before, describe, it} from 'node:test'
import {CreateApiKeyCommand, GetApiKeysCommand} from '@aws-sdk/client-api-gateway'
import {DescribeLogGroupsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {GetApisCommand} from '@aws-sdk/client-apigatewayv2'
import {SIGNED, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

type Raw = {status: number; headers: Record<string, string | string[] | undefined>; body: string}

/** One raw HTTP request with exactly these headers (fetch would not let a test choose `Host`). */
function raw(url: string, options: {method: string; path: string; headers: Record<string, string>; body?: string}): Promise<Raw> {
  const {port} = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request(
      {host: '127.0.0.1', port: Number(port), method: options.method, path: options.path, headers: options.headers},
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')}))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

function corsHeaders(headers: Raw['headers']): string[] {
  return Object.keys(headers).filter((h) => h.startsWith('access-control-'))
}

describe('emulator boundary: control-plane requests need SigV4 and a loopback Host', () => {
  let t: TestEmulator
  let host: string
  before(async () => {
    t = await startTestEmulator()
    host = new URL(t.url).host
  })
  after(async () => {
    await t.close()
  })

  it("refuses the issue's attack: a cross-origin text/plain POST /apikeys without Authorization, and creates no key", async () => {
    // Given what a web page at evil.example.com can make a browser send without a preflight
    const res = await raw(t.url, {
      method: 'POST',
      path: '/apikeys',
      headers: {host, origin: 'http://evil.example.com', 'content-type': 'text/plain', referer: 'http://evil.example.com/'},
      body: JSON.stringify({name: 'stolen', enabled: true}),
    })
    // Then API Gateway's answer to an unsigned request, with nothing a browser would let the page read
    assert.equal(res.status, 403)
    assert.equal(res.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException')
    assert.deepEqual(JSON.parse(res.body), {message: 'Missing Authentication Token'})
    assert.deepEqual(corsHeaders(res.headers), [])
    // And no key exists
    const keys = await t.v1.send(new GetApiKeysCommand({}))
    assert.deepEqual(keys.items ?? [], [])
  })

  it('refuses a CORS preflight to the control plane with 403 and no Access-Control-* headers', async () => {
    const res = await raw(t.url, {
      method: 'OPTIONS',
      path: '/apikeys',
      headers: {
        host,
        origin: 'http://evil.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    })
    assert.equal(res.status, 403)
    assert.deepEqual(corsHeaders(res.headers), [])
  })

  const refusedHosts = [
    'evil.example.com',
    'evil.example.com:4567',
    '192.168.1.10',
    'localhost.evil.example.com',
    '127.0.0.1.nip.io',
    '[::2]',
  ]
  for (const badHost of refusedHosts) {
    it(`refuses a signed request with Host ${JSON.stringify(badHost)} (DNS rebinding) with 403`, async () => {
      const res = await raw(t.url, {method: 'GET', path: '/apikeys?includeValues=true', headers: {host: badHost, ...SIGNED}})
      assert.equal(res.status, 403)
      assert.equal(res.headers['x-amzn-errortype'], 'ForbiddenException')
      assert.match((JSON.parse(res.body) as {message: string}).message, /loopback host names/)
    })
  }

  for (const goodHost of ['localhost', 'api.localhost', '127.0.0.1', '127.1.2.3', '[::1]']) {
    it(`serves a signed request with Host ${goodHost}:<port>`, async () => {
      const res = await raw(t.url, {method: 'GET', path: '/restapis', headers: {host: `${goodHost}:${new URL(t.url).port}`, ...SIGNED}})
      assert.equal(res.status, 200)
      assert.deepEqual(JSON.parse(res.body), {item: []})
    })
  }

  it('answers an unsigned CloudWatch Logs call in the awsJson error shape', async () => {
    const res = await raw(t.url, {
      method: 'POST',
      path: '/',
      headers: {host, 'x-amz-target': 'Logs_20140328.CreateLogGroup', 'content-type': 'application/x-amz-json-1.1'},
      body: JSON.stringify({logGroupName: 'stolen'}),
    })
    assert.equal(res.status, 403)
    assert.equal(res.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException')
    assert.deepEqual(JSON.parse(res.body), {
      __type: 'MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    })
    const groups = await t.logs.send(new DescribeLogGroupsCommand({}))
    assert.deepEqual(groups.logGroups ?? [], [])
  })

  it('refuses an unsigned v2 call and a non-SigV4 Authorization header', async () => {
    const unsigned = await raw(t.url, {method: 'GET', path: '/v2/apis', headers: {host}})
    assert.equal(unsigned.status, 403)
    assert.equal(unsigned.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException')
    const basic = await raw(t.url, {method: 'GET', path: '/v2/apis', headers: {host, authorization: 'Basic YTpi'}})
    assert.equal(basic.status, 403)
  })

  it('names the missing parts of an incomplete SigV4 header (IncompleteSignatureException)', async () => {
    const res = await raw(t.url, {
      method: 'GET',
      path: '/restapis',
      headers: {host, authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/apigateway/aws4_request'},
    })
    assert.equal(res.status, 400)
    assert.equal(res.headers['x-amzn-errortype'], 'IncompleteSignatureException')
    const {message} = JSON.parse(res.body) as {message: string}
    assert.match(message, /'SignedHeaders'/)
    assert.match(message, /'Signature'/)
    assert.doesNotMatch(message, /'Credential'/)
  })

  it('accepts presigned-query SigV4 and refuses an incomplete one', async () => {
    const query =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fapigateway%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00'
    const ok = await raw(t.url, {method: 'GET', path: `/restapis?${query}`, headers: {host}})
    assert.equal(ok.status, 200)
    const partial = await raw(t.url, {method: 'GET', path: '/restapis?X-Amz-Algorithm=AWS4-HMAC-SHA256', headers: {host}})
    assert.equal(partial.status, 400)
    assert.match((JSON.parse(partial.body) as {message: string}).message, /must include 'X-Amz-Signature'/)
  })

  it('still serves the SDK v3 clients (v1, v2, Logs), which sign every request', async () => {
    const key = await t.v1.send(new CreateApiKeyCommand({name: 'mine', enabled: true}))
    assert.ok(key.id)
    assert.deepEqual((await t.v2.send(new GetApisCommand({}))).Items ?? [], [])
    assert.ok(await t.logs.send(new DescribeLogGroupsCommand({})))
  })

  it('keeps the health probe open to loopback callers only', async () => {
    const ok = await raw(t.url, {method: 'GET', path: '/_apigw/health', headers: {host}})
    assert.equal(ok.status, 200)
    const rebound = await raw(t.url, {method: 'GET', path: '/_apigw/health', headers: {host: 'evil.example.com'}})
    assert.equal(rebound.status, 403)
  })
})
