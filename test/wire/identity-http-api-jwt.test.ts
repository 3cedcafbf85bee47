/**
 * The local identity provider as an HTTP API JWT authorizer's issuer: an authorizer whose issuer is the
 * emulator's own `/_aws/identity/issuers/NAME` finds the key set through the discovery document served there, and
 * accepts the tokens minted for that issuer (what `apigw local token --issuer NAME` prints), refusing another
 * issuer's and an expired one.
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import type {FunctionHost} from '../../src/local/data-plane/context.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

const echo: FunctionHost = {
  async invoke(_ref, payload) {
    const event = JSON.parse(payload.toString('utf8')) as {requestContext: {authorizer?: unknown}}
    return {
      statusCode: 200,
      payload: Buffer.from(JSON.stringify({statusCode: 200, body: JSON.stringify(event.requestContext.authorizer ?? null)})),
    }
  },
  async close() {},
}

describe('local identity provider: issuer of HTTP API JWT authorizers', () => {
  let t: TestEmulator
  let apiId: string
  const mint = async (issuer: string, body: Record<string, unknown>) => {
    const res = await fetch(`${t.url}/_aws/identity/issuers/${issuer}/tokens`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify(body),
    })
    return ((await res.json()) as {token: string}).token
  }

  before(async () => {
    t = await startTestEmulator({emulator: {functionHost: echo}})
    apiId = (await t.v2.send(new CreateApiCommand({Name: 'jwt-local', ProtocolType: 'HTTP'}))).ApiId!
    const integration = await t.v2.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
        PayloadFormatVersion: '2.0',
      }),
    )
    const authorizer = await t.v2.send(
      new CreateAuthorizerCommand({
        ApiId: apiId,
        Name: 'local',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {Issuer: `${t.url}/_aws/identity/issuers/main`, Audience: ['my-client']},
      }),
    )
    await t.v2.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: 'GET /me',
        Target: `integrations/${integration.IntegrationId}`,
        AuthorizationType: 'JWT',
        AuthorizerId: authorizer.AuthorizerId,
      }),
    )
    await t.v2.send(new CreateStageCommand({ApiId: apiId, StageName: 'dev', AutoDeploy: true}))
  })
  after(() => t.close())

  it('accepts a token of the local issuer and refuses another issuer’s and an expired one', async () => {
    const url = `${t.url}/_aws/execute-api/${apiId}/dev/me`
    const good = await fetch(url, {headers: {authorization: `Bearer ${await mint('main', {claims: {aud: 'my-client', sub: 'u1'}})}`}})
    assert.equal(good.status, 200)
    const body = (await good.json()) as {jwt: {claims: Record<string, string>}}
    assert.equal(body.jwt.claims.sub, 'u1')
    const other = await fetch(url, {headers: {authorization: `Bearer ${await mint('other', {claims: {aud: 'my-client'}})}`}})
    assert.equal(other.status, 401)
    const expired = await fetch(url, {
      headers: {authorization: `Bearer ${await mint('main', {claims: {aud: 'my-client'}, expiresInSeconds: -60})}`},
    })
    assert.equal(expired.status, 401)
  })
})
