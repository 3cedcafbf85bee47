/**
 * HTTP API stages through real HTTP against the in-process emulator: IAM authorization of `AWS_IAM` routes
 * (requests signed by @smithy/signature-v4 with the default `test`/`test` credentials; the caller in payload
 * 2.0's `authorizer.iam` and 1.0's `identity`; 403s for unsigned and wrongly signed requests), and the
 * account-level throttle (lowered with UpdateAccount) shared with REST stages, on the emulator's injected clock.
 */
import assert from 'node:assert/strict'
import {createHash, createHmac} from 'node:crypto'
import {after, before, describe, it} from 'node:test'
import {CreateDeploymentCommand, ImportRestApiCommand, UpdateAccountCommand} from '@aws-sdk/client-api-gateway'
import {CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand} from '@aws-sdk/client-apigatewayv2'
import {SignatureV4} from '@smithy/signature-v4'
import type {FunctionHost} from '../../src/local/data-plane/context.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

const sha256Class = class {
  private h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>
  constructor(secret?: Uint8Array | string) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret)
  }
  update(d: Uint8Array | string) {
    this.h.update(d)
  }
  async digest() {
    return new Uint8Array(this.h.digest())
  }
} as never

/** A function that answers the event's requestContext. */
const host: FunctionHost = {
  async invoke(_ref, payload) {
    const event = JSON.parse(payload.toString('utf8')) as {requestContext: unknown}
    return {statusCode: 200, payload: Buffer.from(JSON.stringify({statusCode: 200, body: JSON.stringify(event.requestContext)}))}
  },
  async close() {},
}

describe('HTTP API data plane: AWS_IAM routes and the account throttle', () => {
  let t: TestEmulator
  let apiId: string
  let restId: string
  let now = new Date('2026-03-01T12:00:00Z')
  const url = (path: string) => `${t.url}/_aws/execute-api/${apiId}/dev${path}`
  const restUrl = (path: string) => `${t.url}/_aws/execute-api/${restId}/dev${path}`

  const sign = async (path: string, opts: {secret?: string; method?: string; body?: string} = {}) => {
    const target = new URL(url(path))
    const signer = new SignatureV4({
      credentials: {accessKeyId: 'test', secretAccessKey: opts.secret ?? 'test'},
      region: 'us-east-1',
      service: 'execute-api',
      sha256: sha256Class,
    })
    const method = opts.method ?? 'GET'
    const signed = await signer.sign(
      {
        method,
        protocol: 'http:',
        hostname: target.hostname,
        port: Number(target.port),
        path: target.pathname,
        query: Object.fromEntries(target.searchParams),
        headers: {host: target.host, ...(opts.body ? {'content-type': 'application/json'} : {})},
        ...(opts.body ? {body: opts.body} : {}),
      },
      {signingDate: now},
    )
    return fetch(target, {method, headers: signed.headers as Record<string, string>, ...(opts.body ? {body: opts.body} : {})})
  }

  before(async () => {
    t = await startTestEmulator({emulator: {functionHost: host, now: () => now}})
    apiId = (await t.v2.send(new CreateApiCommand({Name: 'iam', ProtocolType: 'HTTP'}))).ApiId!
    const integration = async (version: string) =>
      `integrations/${
        (
          await t.v2.send(
            new CreateIntegrationCommand({
              ApiId: apiId,
              IntegrationType: 'AWS_PROXY',
              IntegrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
              PayloadFormatVersion: version,
            }),
          )
        ).IntegrationId
      }`
    const v2 = await integration('2.0')
    const v1 = await integration('1.0')
    const route = (RouteKey: string, Target: string, AuthorizationType: 'NONE' | 'AWS_IAM' = 'NONE') =>
      t.v2.send(new CreateRouteCommand({ApiId: apiId, RouteKey, Target, AuthorizationType}))
    await route('GET /iam', v2, 'AWS_IAM')
    await route('POST /iam', v2, 'AWS_IAM')
    await route('GET /iam1', v1, 'AWS_IAM')
    await route('GET /open', v2)
    await t.v2.send(new CreateStageCommand({ApiId: apiId, StageName: 'dev', AutoDeploy: true}))
    const spec = {
      openapi: '3.0.1',
      info: {title: 'rest', version: '1'},
      paths: {
        '/open': {
          get: {
            responses: {'200': {description: 'ok'}},
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: {'application/json': '{"statusCode": 200}'},
              responses: {default: {statusCode: '200'}},
            },
          },
        },
      },
    }
    restId = (await t.v1.send(new ImportRestApiCommand({body: Buffer.from(JSON.stringify(spec))}))).id!
    await t.v1.send(new CreateDeploymentCommand({restApiId: restId, stageName: 'dev'}))
  })
  after(() => t.close())

  it('a request signed with known credentials reaches the function with the caller in authorizer.iam (2.0)', async () => {
    const res = await sign('/iam?b=2&a=1')
    assert.equal(res.status, 200)
    const context = (await res.json()) as {authorizer: unknown}
    assert.deepEqual(context.authorizer, {
      iam: {
        accessKey: 'test',
        accountId: '000000000000',
        callerId: 'test',
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: 'arn:aws:iam::000000000000:user/test',
        userId: 'test',
      },
    })
    const post = await sign('/iam', {method: 'POST', body: '{"a":1}'})
    assert.equal(post.status, 200)
  })

  it('payload 1.0 carries the caller in requestContext.identity', async () => {
    const res = await sign('/iam1')
    assert.equal(res.status, 200)
    const {identity} = (await res.json()) as {identity: Record<string, unknown>}
    assert.equal(identity.accessKey, 'test')
    assert.equal(identity.accountId, '000000000000')
    assert.equal(identity.userArn, 'arn:aws:iam::000000000000:user/test')
    assert.equal(identity.user, 'test')
    assert.equal(identity.caller, 'test')
  })

  it('unsigned is 403 Forbidden; a wrong secret is 403 with the signature-mismatch message', async () => {
    const unsigned = await fetch(url('/iam'))
    assert.equal(unsigned.status, 403)
    assert.deepEqual(await unsigned.json(), {message: 'Forbidden'})
    assert.equal(unsigned.headers.get('x-amzn-errortype'), null)
    const wrong = await sign('/iam', {secret: 'nope'})
    assert.equal(wrong.status, 403)
    assert.match(((await wrong.json()) as {message: string}).message, /^The request signature we calculated does not match/)
    // A route without authorization is still open.
    assert.equal((await fetch(url('/open'))).status, 200)
  })

  it("the account's limit applies to HTTP API stages, in one bucket with REST stages", async () => {
    // Given an account limit of 1 rps and a burst of 3
    await t.v1.send(
      new UpdateAccountCommand({
        patchOperations: [
          {op: 'replace', path: '/throttle/rateLimit', value: '1'},
          {op: 'replace', path: '/throttle/burstLimit', value: '3'},
        ],
      }),
    )
    try {
      // When two HTTP API requests and one REST request spend the burst
      now = new Date(now.getTime() + 60_000)
      assert.equal((await fetch(url('/open'))).status, 200)
      assert.equal((await fetch(restUrl('/open'))).status, 200)
      assert.equal((await fetch(url('/open'))).status, 200)
      // Then both APIs are throttled until the clock refills a token
      const refused = await fetch(url('/open'))
      assert.equal(refused.status, 429)
      assert.deepEqual(await refused.json(), {message: 'Too Many Requests'})
      assert.equal((await fetch(restUrl('/open'))).status, 429)
      now = new Date(now.getTime() + 1000)
      assert.equal((await fetch(url('/open'))).status, 200)
      assert.equal((await fetch(restUrl('/open'))).status, 429)
    } finally {
      await t.v1.send(
        new UpdateAccountCommand({
          patchOperations: [
            {op: 'replace', path: '/throttle/rateLimit', value: '10000'},
            {op: 'replace', path: '/throttle/burstLimit', value: '5000'},
          ],
        }),
      )
    }
  })
})
