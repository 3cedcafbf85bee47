/**
 * Binary media types and contentHandling end to end, through real HTTP against the in-process emulator: an API with
 * `x-amazon-apigateway-binary-media-types`, an echo backend behind HTTP_PROXY and HTTP methods, a MOCK answering
 * bytes from a template, and a real Node Lambda handler behind AWS_PROXY. Bytes are compared exactly, with payloads
 * that are not valid UTF-8, following AWS's content type conversion tables
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html).
 */
import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {CreateDeploymentCommand, ImportRestApiCommand} from '@aws-sdk/client-api-gateway'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

const FIXTURES = new URL('../fixtures/functions/', import.meta.url).pathname
const fnUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`

// Every byte value, then a PNG signature: far from valid UTF-8.
const BYTES = Buffer.concat([Buffer.from(Array.from({length: 256}, (_, i) => i)), Buffer.from('89504e470d0a1a0a', 'hex')])
const BYTES_AS_TEXT = Buffer.from(BYTES.toString('utf8'), 'utf8')

type Received = {contentType: string | undefined; body: Buffer}

/** Answers the body it received, with the Content-Type named by `?type=` (else the request's). */
async function startEchoBackend(): Promise<{url: string; server: Server; received: Received[]}> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      received.push({contentType: req.headers['content-type'], body})
      const type = new URL(req.url ?? '/', 'http://x').searchParams.get('type') ?? req.headers['content-type'] ?? 'text/plain'
      res.writeHead(200, {'content-type': type})
      res.end(body)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, received}
}

const ok = {'200': {description: 'ok'}}

function http(backend: string, path: string, handling: {request?: string; response?: string}, type?: string) {
  return {
    post: {
      responses: ok,
      'x-amazon-apigateway-integration': {
        type: 'http',
        httpMethod: 'POST',
        uri: `${backend}/echo${type ? `?type=${encodeURIComponent(type)}` : ''}`,
        ...(handling.request ? {contentHandling: handling.request} : {}),
        responses: {default: {statusCode: '200', ...(handling.response ? {contentHandling: handling.response} : {})}},
      },
    },
    path,
  }
}

function spec(backend: string) {
  const methods = [
    http(backend, '/to-text', {request: 'CONVERT_TO_TEXT', response: 'CONVERT_TO_BINARY'}, 'text/plain'),
    http(backend, '/to-binary', {request: 'CONVERT_TO_BINARY', response: 'CONVERT_TO_TEXT'}, 'application/octet-stream'),
    http(backend, '/passthrough', {}, 'application/octet-stream'),
  ]
  const paths: Record<string, unknown> = {}
  for (const {path, ...item} of methods) paths[path] = item
  return {
    openapi: '3.0.1',
    info: {title: 'binary', version: '1'},
    'x-amazon-apigateway-binary-media-types': ['image/png', 'application/octet-stream'],
    paths: {
      ...paths,
      '/proxy': {
        post: {
          responses: ok,
          'x-amazon-apigateway-integration': {type: 'http_proxy', httpMethod: 'POST', uri: `${backend}/echo`},
        },
      },
      '/icon': {
        get: {
          responses: ok,
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: {'application/json': '{"statusCode": 200}'},
            responses: {
              default: {
                statusCode: '200',
                contentHandling: 'CONVERT_TO_BINARY',
                responseParameters: {'method.response.header.Content-Type': "'image/png'"},
                responseTemplates: {'application/json': BYTES.toString('base64')},
              },
            },
          },
        },
      },
      '/lambda': {
        post: {
          responses: ok,
          'x-amazon-apigateway-integration': {type: 'aws_proxy', httpMethod: 'POST', uri: fnUri('binaryFn')},
        },
      },
    },
  }
}

/** Exact byte equality, with a short message (the first bytes of each side) when they differ. */
function sameBytes(actual: Buffer, expected: Buffer): void {
  const show = (b: Buffer) => `${b.length} bytes ${b.subarray(0, 24).toString('hex')}`
  assert.ok(actual.equals(expected), `got ${show(actual)}, expected ${show(expected)}: ${actual.subarray(0, 80).toString('utf8')}`)
}

async function bytesOf(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer())
}

describe('data plane: binary media types and contentHandling', () => {
  let t: TestEmulator
  let backend: Awaited<ReturnType<typeof startEchoBackend>>
  let apiId: string
  const url = (path: string) => `${t.url}/_aws/execute-api/${apiId}/dev${path}`
  const post = (path: string, body: Buffer | string, contentType: string, accept?: string) =>
    fetch(url(path), {method: 'POST', headers: {'content-type': contentType, ...(accept ? {accept} : {})}, body})
  const lastReceived = () => backend.received.at(-1)!

  before(async () => {
    backend = await startEchoBackend()
    t = await startTestEmulator({emulator: {functionsDir: FIXTURES, functions: {binaryFn: {handler: 'binary.handler', timeout: 10}}}})
    apiId = (await t.v1.send(new ImportRestApiCommand({body: new TextEncoder().encode(JSON.stringify(spec(backend.url)))}))).id!
    await t.v1.send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'dev'}))
  })
  after(async () => {
    await t.close()
    backend.server.closeAllConnections()
    await new Promise((r) => backend.server.close(r))
  })

  it('HTTP_PROXY: a binary media type passes as bytes both ways; any other type is read as UTF-8 text', async () => {
    // When bytes are sent as image/png and asked back as image/png
    const res = await post('/proxy', BYTES, 'image/png', 'image/png')
    // Then the backend and the client see the same bytes
    assert.equal(res.status, 200)
    sameBytes(lastReceived().body, BYTES)
    sameBytes(await bytesOf(res), BYTES)
    // When the same bytes are sent as text/plain
    const text = await post('/proxy', BYTES, 'text/plain', 'text/plain')
    // Then API Gateway read them as UTF-8 on the way in and out (replacement characters), as AWS does
    sameBytes(lastReceived().body, BYTES_AS_TEXT)
    sameBytes(await bytesOf(text), BYTES_AS_TEXT)
  })

  it('HTTP: CONVERT_TO_TEXT sends binary as base64; CONVERT_TO_BINARY on the integration response decodes it back', async () => {
    const res = await post('/to-text', BYTES, 'image/png', 'image/png')
    assert.equal(res.status, 200)
    assert.equal(lastReceived().body.toString('latin1'), BYTES.toString('base64'))
    sameBytes(await bytesOf(res), BYTES)
  })

  it('HTTP: CONVERT_TO_BINARY decodes base64 text for the backend; CONVERT_TO_TEXT encodes its binary answer', async () => {
    const res = await post('/to-binary', BYTES.toString('base64'), 'text/plain', 'application/json')
    assert.equal(res.status, 200)
    sameBytes(lastReceived().body, BYTES)
    assert.equal(await res.text(), BYTES.toString('base64'))
    // And text that is not base64 cannot be converted: 500, an API configuration error
    const bad = await post('/to-binary', 'not base64 {!}', 'text/plain')
    assert.equal(bad.status, 500)
    assert.deepEqual(await bad.json(), {message: 'Internal server error'})
  })

  it('HTTP without contentHandling: binary passes through; a binary answer is bytes for a binary Accept, base64 for text', async () => {
    const binary = await post('/passthrough', BYTES, 'application/octet-stream', 'application/octet-stream')
    sameBytes(lastReceived().body, BYTES)
    sameBytes(await bytesOf(binary), BYTES)
    const asText = await post('/passthrough', BYTES, 'application/octet-stream', 'application/json')
    assert.equal(await asText.text(), BYTES.toString('base64'))
  })

  it('MOCK: a base64 response template with CONVERT_TO_BINARY answers bytes', async () => {
    const res = await fetch(url('/icon'))
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'image/png')
    sameBytes(await bytesOf(res), BYTES)
  })

  it('AWS_PROXY: binary arrives base64 with isBase64Encoded; an isBase64Encoded answer is bytes for a binary Accept', async () => {
    // When bytes are posted as image/png to a handler that answers them base64-encoded
    const res = await post('/lambda', BYTES, 'image/png', 'image/png')
    // Then the event said isBase64Encoded, and the client gets the exact bytes
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('x-event-base64'), 'true')
    sameBytes(await bytesOf(res), BYTES)
    // When the client accepts only text, the answer stays base64 text
    const text = await post('/lambda', BYTES, 'image/png', 'application/json')
    assert.equal(await text.text(), BYTES.toString('base64'))
    // And a text request arrives as text (isBase64Encoded false)
    const json = await post('/lambda', '{"a":1}', 'application/json', 'image/png')
    assert.equal(json.headers.get('x-event-base64'), 'false')
    assert.equal((await bytesOf(json)).toString('utf8'), '{"a":1}')
  })
})
