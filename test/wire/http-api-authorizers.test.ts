/**
 * Authorizers of HTTP APIs through real HTTP against the in-process emulator. JWT: a JWKS/discovery server
 * fixture on 127.0.0.1 port 0 (keys made by jose), valid, tampered, expired, not-yet-valid, wrong-issuer,
 * wrong-audience and foreign-key tokens, route scopes, the JWKS fetched once. Lambda: payload 2.0 simple
 * responses and 1.0 IAM policies, identity sources, and the TTL cache on the emulator's injected clock.
 */
import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  ResetAuthorizersCacheCommand,
} from '@aws-sdk/client-apigatewayv2'
import {type CryptoKey, exportJWK, generateKeyPair, SignJWT} from 'jose'
import type {FunctionHost} from '../../src/local/data-plane/context.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`
const NOW = new Date('2026-03-01T12:00:00Z')

type Call = {name: string; event: Record<string, unknown>}

function testHost(calls: Call[]): FunctionHost {
  const json = (v: unknown) => ({statusCode: 200, payload: Buffer.from(JSON.stringify(v))})
  return {
    async invoke(ref, payload) {
      const event = JSON.parse(payload.toString('utf8')) as Record<string, unknown>
      const name = /function:([^/:]+)/.exec(ref)?.[1] ?? ref
      calls.push({name, event})
      const headers = (event.headers ?? {}) as Record<string, string>
      if (name === 'simple') return json({isAuthorized: headers['x-token'] === 'letmein', context: {user: 'ann', level: 3}})
      if (name === 'policy') {
        const token = headers['x-token']
        if (token === 'throw') return {statusCode: 200, functionError: 'Unhandled', payload: Buffer.from('{"errorMessage":"Unauthorized"}')}
        if (token === 'crash') return {statusCode: 200, functionError: 'Unhandled', payload: Buffer.from('{"errorMessage":"db down"}')}
        const effect = token === 'allow' ? 'Allow' : 'Deny'
        return json({
          principalId: 'user-1',
          policyDocument: {
            Version: '2012-10-17',
            Statement: [{Action: 'execute-api:Invoke', Effect: effect, Resource: String(event.methodArn)}],
          },
          context: {tier: 'gold'},
        })
      }
      return json({statusCode: 200, body: JSON.stringify((event.requestContext as Record<string, unknown>).authorizer ?? null)})
    },
    async close() {},
  }
}

describe('HTTP API data plane: JWT and Lambda authorizers', () => {
  let t: TestEmulator
  let idp: Server
  let issuer: string
  let privateKey: CryptoKey
  let foreignKey: CryptoKey
  let discoveryHits = 0
  let now = NOW
  const calls: Call[] = []
  let apiId: string
  const url = (path: string) => `${t.url}/_aws/execute-api/${apiId}/dev${path}`

  const token = (claims: Record<string, unknown>, options: {key?: CryptoKey; exp?: number; nbf?: number; iss?: string} = {}) => {
    const nowS = Math.floor(NOW.getTime() / 1000)
    const jwt = new SignJWT({scope: 'pets:read', ...claims})
      .setProtectedHeader({alg: 'RS256', kid: 'k1'})
      .setIssuer(options.iss ?? issuer)
      .setSubject('user-42')
      .setAudience('pets-api')
      .setIssuedAt(nowS - 10)
      .setExpirationTime(options.exp ?? nowS + 3600)
    if (options.nbf !== undefined) jwt.setNotBefore(options.nbf)
    return jwt.sign(options.key ?? privateKey)
  }

  before(async () => {
    const pair = await generateKeyPair('RS256')
    privateKey = pair.privateKey
    foreignKey = (await generateKeyPair('RS256')).privateKey
    const jwk = {...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig'}
    idp = createServer((req, res) => {
      if (req.url === '/.well-known/openid-configuration') {
        discoveryHits++
        res.writeHead(200, {'content-type': 'application/json'})
        res.end(JSON.stringify({issuer, jwks_uri: `${issuer}/jwks.json`}))
      } else if (req.url === '/jwks.json') {
        res.writeHead(200, {'content-type': 'application/json'})
        res.end(JSON.stringify({keys: [jwk]}))
      } else {
        res.writeHead(404)
        res.end()
      }
    })
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve))
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`
    t = await startTestEmulator({emulator: {functionHost: testHost(calls), now: () => now}})
    apiId = (await t.v2.send(new CreateApiCommand({Name: 'secured', ProtocolType: 'HTTP'}))).ApiId!
    const target = `integrations/${
      (
        await t.v2.send(
          new CreateIntegrationCommand({
            ApiId: apiId,
            IntegrationType: 'AWS_PROXY',
            IntegrationUri: fnArn('echo'),
            PayloadFormatVersion: '2.0',
          }),
        )
      ).IntegrationId
    }`
    const jwtId = (
      await t.v2.send(
        new CreateAuthorizerCommand({
          ApiId: apiId,
          Name: 'jwt',
          AuthorizerType: 'JWT',
          IdentitySource: ['$request.header.Authorization'],
          JwtConfiguration: {Issuer: issuer, Audience: ['pets-api']},
        }),
      )
    ).AuthorizerId!
    const simpleId = (
      await t.v2.send(
        new CreateAuthorizerCommand({
          ApiId: apiId,
          Name: 'simple',
          AuthorizerType: 'REQUEST',
          AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnArn('simple')}/invocations`,
          AuthorizerPayloadFormatVersion: '2.0',
          EnableSimpleResponses: true,
          IdentitySource: ['$request.header.x-token'],
          AuthorizerResultTtlInSeconds: 60,
        }),
      )
    ).AuthorizerId!
    const policyId = (
      await t.v2.send(
        new CreateAuthorizerCommand({
          ApiId: apiId,
          Name: 'policy',
          AuthorizerType: 'REQUEST',
          AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnArn('policy')}/invocations`,
          AuthorizerPayloadFormatVersion: '1.0',
          IdentitySource: ['$request.header.x-token'],
          AuthorizerResultTtlInSeconds: 0,
        }),
      )
    ).AuthorizerId!
    const route = (RouteKey: string, extra: Record<string, unknown>) =>
      t.v2.send(new CreateRouteCommand({ApiId: apiId, RouteKey, Target: target, ...extra}))
    await route('GET /jwt', {AuthorizationType: 'JWT', AuthorizerId: jwtId})
    await route('GET /scoped', {AuthorizationType: 'JWT', AuthorizerId: jwtId, AuthorizationScopes: ['pets:write', 'admin']})
    await route('GET /simple', {AuthorizationType: 'CUSTOM', AuthorizerId: simpleId})
    await route('GET /policy/{id}', {AuthorizationType: 'CUSTOM', AuthorizerId: policyId})
    await t.v2.send(new CreateStageCommand({ApiId: apiId, StageName: 'dev', AutoDeploy: true}))
  })
  after(async () => {
    await t.close()
    await new Promise<void>((resolve) => idp.close(() => resolve()))
  })

  it('JWT: a valid token passes and its claims and scopes reach the integration', async () => {
    const res = await fetch(url('/jwt'), {headers: {authorization: `Bearer ${await token({})}`}})
    assert.equal(res.status, 200)
    const authorizer = (await res.json()) as {jwt: {claims: Record<string, string>; scopes: string[]}}
    assert.equal(authorizer.jwt.claims.sub, 'user-42')
    assert.equal(authorizer.jwt.claims.aud, 'pets-api')
    assert.equal(authorizer.jwt.claims.iss, issuer)
    assert.equal(typeof authorizer.jwt.claims.exp, 'string')
    assert.deepEqual(authorizer.jwt.scopes, ['pets:read'])
    // Without the Bearer prefix too.
    assert.equal((await fetch(url('/jwt'), {headers: {authorization: await token({})}})).status, 200)
  })

  it('JWT: missing, tampered, expired, not-yet-valid, wrong-issuer, wrong-audience and foreign-key tokens are 401', async () => {
    const nowS = Math.floor(NOW.getTime() / 1000)
    const good = await token({})
    const [h, p, s] = good.split('.')
    const tamperedPayload = Buffer.from(JSON.stringify({...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'admin'})).toString(
      'base64url',
    )
    const cases: Array<[string, string | undefined, RegExp | undefined]> = [
      ['missing', undefined, undefined],
      ['garbage', 'not-a-jwt', /malformed/],
      ['tampered', `${h}.${tamperedPayload}.${s}`, /signature/],
      ['expired', await token({}, {exp: nowS - 60}), /expired/],
      ['not yet valid', await token({}, {nbf: nowS + 600}), /not valid yet/],
      ['wrong issuer', await token({}, {iss: 'https://elsewhere.example'}), /issuer/],
      [
        'wrong audience',
        await new SignJWT({})
          .setProtectedHeader({alg: 'RS256', kid: 'k1'})
          .setIssuer(issuer)
          .setAudience('other')
          .setExpirationTime(nowS + 60)
          .sign(privateKey),
        /audience/,
      ],
      ['foreign key', await token({}, {key: foreignKey}), /signature/],
    ]
    for (const [name, value, description] of cases) {
      const res = await fetch(url('/jwt'), value === undefined ? {} : {headers: {authorization: `Bearer ${value}`}})
      assert.equal(res.status, 401, name)
      assert.deepEqual(await res.json(), {message: 'Unauthorized'}, name)
      if (description) assert.match(res.headers.get('www-authenticate') ?? '', description, name)
    }
  })

  it('JWT: the clock decides expiry (the emulator clock moved past exp makes a valid token expire)', async () => {
    const jwt = await token({})
    assert.equal((await fetch(url('/jwt'), {headers: {authorization: jwt}})).status, 200)
    now = new Date(NOW.getTime() + 2 * 3600_000)
    try {
      assert.equal((await fetch(url('/jwt'), {headers: {authorization: jwt}})).status, 401)
    } finally {
      now = NOW
    }
  })

  it('JWT: a route with authorizationScopes needs one of them in the token (else 403 Forbidden)', async () => {
    const reader = await fetch(url('/scoped'), {headers: {authorization: await token({})}})
    assert.equal(reader.status, 403)
    assert.deepEqual(await reader.json(), {message: 'Forbidden'})
    const writer = await fetch(url('/scoped'), {headers: {authorization: await token({scope: 'pets:read pets:write'})}})
    assert.equal(writer.status, 200)
  })

  it('JWT: the discovery document and JWKS are fetched once and cached', () => {
    assert.equal(discoveryHits, 1)
  })

  it('Lambda 2.0 simple responses: isAuthorized decides, the context reaches the integration, answers are cached by TTL', async () => {
    calls.length = 0
    const missing = await fetch(url('/simple'))
    assert.equal(missing.status, 401)
    assert.deepEqual(await missing.json(), {message: 'Unauthorized'})
    assert.equal(calls.length, 0, 'a missing identity source does not call the authorizer')
    const denied = await fetch(url('/simple'), {headers: {'x-token': 'nope'}})
    assert.equal(denied.status, 403)
    assert.deepEqual(await denied.json(), {message: 'Forbidden'})
    const ok = await fetch(url('/simple'), {headers: {'x-token': 'letmein'}})
    assert.equal(ok.status, 200)
    assert.deepEqual(await ok.json(), {lambda: {user: 'ann', level: 3}})
    const auth = calls.find((c) => c.name === 'simple' && (c.event.identitySource as string[])[0] === 'letmein')!.event
    assert.equal(auth.version, '2.0')
    assert.equal(auth.type, 'REQUEST')
    assert.equal(auth.routeArn, `arn:aws:execute-api:us-east-1:000000000000:${apiId}/dev/GET/simple`)
    assert.equal(auth.routeKey, 'GET /simple')
    // Within the TTL the cached answer is used; past it the function is asked again.
    const before = calls.filter((c) => c.name === 'simple').length
    await fetch(url('/simple'), {headers: {'x-token': 'letmein'}})
    assert.equal(calls.filter((c) => c.name === 'simple').length, before)
    now = new Date(NOW.getTime() + 61_000)
    try {
      await fetch(url('/simple'), {headers: {'x-token': 'letmein'}})
      assert.equal(calls.filter((c) => c.name === 'simple').length, before + 1)
    } finally {
      now = NOW
    }
  })

  it('ResetAuthorizersCache drops the stage cached Lambda answers: the function is asked again', async () => {
    // Given a cached answer for the token
    await fetch(url('/simple'), {headers: {'x-token': 'letmein'}})
    const before = calls.filter((c) => c.name === 'simple').length
    await fetch(url('/simple'), {headers: {'x-token': 'letmein'}})
    assert.equal(calls.filter((c) => c.name === 'simple').length, before, 'the second request is answered from the cache')
    // When the stage's authorizer cache is reset (204), Then the next request calls the authorizer again
    const reset = await t.v2.send(new ResetAuthorizersCacheCommand({ApiId: apiId, StageName: 'dev'}))
    assert.equal(reset.$metadata.httpStatusCode, 204)
    const ok = await fetch(url('/simple'), {headers: {'x-token': 'letmein'}})
    assert.equal(ok.status, 200)
    assert.equal(calls.filter((c) => c.name === 'simple').length, before + 1)
    // And an unknown stage is a NotFoundException
    await assert.rejects(t.v2.send(new ResetAuthorizersCacheCommand({ApiId: apiId, StageName: 'nope'})), {name: 'NotFoundException'})
  })

  it('Lambda 1.0 IAM policies: Allow on the route ARN passes, Deny is 403, Unauthorized is 401, a crash is 500', async () => {
    calls.length = 0
    const allowed = await fetch(url('/policy/7'), {headers: {'x-token': 'allow'}})
    assert.equal(allowed.status, 200)
    assert.deepEqual(await allowed.json(), {lambda: {tier: 'gold'}})
    const event = calls.find((c) => c.name === 'policy')!.event
    assert.equal(event.version, '1.0')
    assert.equal(event.methodArn, `arn:aws:execute-api:us-east-1:000000000000:${apiId}/dev/GET/policy/7`)
    assert.equal(event.identitySource, 'allow')
    assert.equal((await fetch(url('/policy/7'), {headers: {'x-token': 'deny'}})).status, 403)
    assert.equal((await fetch(url('/policy/7'), {headers: {'x-token': 'throw'}})).status, 401)
    const crash = await fetch(url('/policy/7'), {headers: {'x-token': 'crash'}})
    assert.equal(crash.status, 500)
    assert.deepEqual(await crash.json(), {message: 'Internal Server Error'})
  })
})
