import assert from 'node:assert/strict'
import {rmSync, writeFileSync, mkdirSync} from 'node:fs'
import {createServer, type IncomingMessage} from 'node:http'
import type {AddressInfo} from 'node:net'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {renderJavascriptSdk} from '../../../../src/core/sdk/javascript-client.ts'
import type {SdkOperation} from '../../../../src/core/sdk/operations.ts'
import {tempDir} from '../../../helpers/temp.ts'

const op = (method: string, path: string, name: string, extra: Partial<SdkOperation> = {}): SdkOperation => ({
  method,
  path,
  name,
  pathParams: [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]!),
  queryParams: [],
  headerParams: [],
  hasBody: false,
  ...extra,
})

type Seen = {method: string; url: string; headers: IncomingMessage['headers']; body: string}
const seen: Seen[] = []
let server: ReturnType<typeof createServer>
let base: string
let dir: string

before(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      seen.push({method: req.method ?? '', url: req.url ?? '', headers: req.headers, body})
      if (req.url?.startsWith('/dev/missing')) {
        res.writeHead(404, {'content-type': 'application/json'}).end('{"message":"Not Found"}')
        return
      }
      res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({ok: true, echo: body ? JSON.parse(body) : null}))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev`
  dir = tempDir('apigw-jssdk-')
})

after(() => {
  server.close()
  rmSync(dir, {recursive: true, force: true})
})

describe('renderJavascriptSdk', () => {
  it('writes apigClient.js and README.md under apiGateway-js-sdk/', () => {
    // Given two operations; When rendered; Then the two files of AWS's layout are there, naming the methods
    const files = renderJavascriptSdk({
      title: 'pets',
      restApiId: 'abc123',
      stageName: 'dev',
      invokeUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/dev',
      operations: [op('GET', '/pets', 'petsGet')],
      generatedAt: new Date(0),
    })
    assert.deepEqual(Object.keys(files).sort(), ['apiGateway-js-sdk/README.md', 'apiGateway-js-sdk/apigClient.js'])
    assert.match(files['apiGateway-js-sdk/README.md']!, /`petsGet\(params, body, additionalParams\)`: GET \/pets/)
  })

  it('is a working client: path, query and header parameters, API key, JSON bodies, errors', async () => {
    // Given the generated client loaded with require, aimed at a local server
    const files = renderJavascriptSdk({
      title: 'pets */ evil',
      restApiId: 'abc123',
      stageName: 'dev',
      invokeUrl: 'https://example.invalid/dev',
      operations: [
        op('GET', '/pets/{petId}', 'petsPetIdGet', {queryParams: ['fields'], headerParams: ['x-trace']}),
        op('POST', '/pets', 'petsPost', {hasBody: true}),
        op('GET', '/missing', 'missingGet'),
        op('ANY', '/files/{path+}', 'filesPathAny'),
      ],
      generatedAt: new Date(0),
    })
    mkdirSync(join(dir, 'apiGateway-js-sdk'), {recursive: true})
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
    writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}')
    const factory = createRequire(join(dir, 'x.js'))('./apiGateway-js-sdk/apigClient.js') as {
      newClient(c: object): Record<string, (...a: unknown[]) => Promise<{status: number; data: unknown}>>
    }
    const client = factory.newClient({invokeUrl: `${base}/`, apiKey: 'k-123'})
    // When each kind of call is made
    seen.length = 0
    const got = await client.petsPetIdGet!({petId: 'a b', fields: 'name', 'x-trace': 't1'})
    const posted = await client.petsPost!({}, {name: 'Rex'})
    const any = await client.filesPathAny!({path: 'a/b c'}, undefined, {method: 'delete'})
    const failed = await client.missingGet!({}).then(
      () => undefined,
      (e: Error & {response?: {status: number}}) => e,
    )
    // Then the requests carry what the spec says, and an error status rejects with the response
    assert.equal(got.status, 200)
    assert.deepEqual(got.data, {ok: true, echo: null})
    assert.equal(seen[0]!.url, '/dev/pets/a%20b?fields=name')
    assert.equal(seen[0]!.headers['x-trace'], 't1')
    assert.equal(seen[0]!.headers['x-api-key'], 'k-123')
    assert.equal(seen[1]!.method, 'POST')
    assert.equal(seen[1]!.headers['content-type'], 'application/json')
    assert.deepEqual(posted.data, {ok: true, echo: {name: 'Rex'}})
    assert.equal(seen[2]!.method, 'DELETE')
    assert.equal(seen[2]!.url, '/dev/files/a/b%20c')
    assert.equal(any.status, 200)
    assert.equal(failed?.response?.status, 404)
    await assert.rejects(
      Promise.resolve().then(() => client.petsPetIdGet!({})),
      /Missing required path parameter: petId/,
    )
  })
})
