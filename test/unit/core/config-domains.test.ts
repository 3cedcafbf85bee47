/**
 * apigw.yaml's `domains:` refused by parseConfig (what validate and every command run first): each problem named
 * with file:line:column of the key, the key path, and a hint that says what to write instead.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parseConfig} from '../../../src/core/config/config.ts'

const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/abc'

const config = (domains: string, apis = '') => `apis:
  pets: {spec: pets.yaml, stages: {prod: {}, dev: {}}}
  orders: {type: http, spec: orders.yaml, stages: {prod: {}}}
  chat:
    type: websocket
    routeSelectionExpression: $request.body.action
    routes: {$default: {}}
    stages: {prod: {}}
${apis}domains:
${domains}`

async function problem(text: string): Promise<{message: string; hint: string; details: {line: number; key: string}}> {
  try {
    await parseConfig('apigw.yaml', Buffer.from(text))
  } catch (error) {
    const e = error as {code: string; message: string; hint: string; details: {line: number; key: string}}
    assert.equal(e.code, 'CONFIG_INVALID')
    return e
  }
  throw new Error('the config was accepted')
}

describe('validate of domains:', () => {
  const cases: Array<{name: string; domains: string; line: number; key: string; message: RegExp; hint: RegExp}> = [
    {
      name: 'a domain name that is not a lowercase fully qualified name, at its key',
      domains: `  Api_Example:\n    certificateArn: ${CERT}\n    mappings: [{api: pets, stage: prod}]\n`,
      line: 10,
      key: 'domains.Api_Example',
      message: /"Api_Example" is not allowed as a key of "domains"/,
      hint: /api\.example\.com/,
    },
    {
      name: 'a certificate that is not an ACM ARN',
      domains:
        '  api.example.com:\n    certificateArn: arn:aws:iam::000000000000:server-certificate/x\n    mappings: [{api: pets, stage: prod}]\n',
      line: 11,
      key: 'domains.api.example.com.certificateArn',
      message: /does not match the allowed pattern/,
      hint: /arn:aws:acm:REGION:ACCOUNT:certificate\/ID/,
    },
    {
      name: 'a base path with characters API Gateway refuses',
      domains: `  api.example.com:\n    certificateArn: ${CERT}\n    mappings:\n      - {api: pets, stage: prod, basePath: 'v1?x'}\n`,
      line: 13,
      key: 'domains.api.example.com.mappings.0.basePath',
      message: /basePath" does not match/,
      hint: /e\.g\. v1 or shop\/orders/,
    },
    {
      name: 'a mapping to an unknown API, with did-you-mean',
      domains: `  api.example.com:\n    certificateArn: ${CERT}\n    mappings:\n      - {api: pet, stage: prod, basePath: v1}\n`,
      line: 13,
      key: 'domains.api.example.com.mappings.0.api',
      message: /maps "pet", which is no API of apigw\.yaml \(did you mean "pets"\?\)/,
      hint: /Use one of the APIs: pets, orders, chat/,
    },
    {
      name: 'a mapping to a stage the API does not declare',
      domains: `  api.example.com:\n    certificateArn: ${CERT}\n    mappings:\n      - {api: pets, stage: prd, basePath: v1}\n`,
      line: 13,
      key: 'domains.api.example.com.mappings.0.stage',
      message: /stage "prd" of pets.*did you mean "prod"/,
      hint: /Use one of pets's stages: prod, dev/,
    },
    {
      name: 'a base path used twice',
      domains: `  api.example.com:\n    certificateArn: ${CERT}\n    mappings:\n      - {api: pets, stage: prod, basePath: v1}\n      - {api: pets, stage: dev, basePath: v1}\n`,
      line: 14,
      key: 'domains.api.example.com.mappings.1.basePath',
      message: /uses the base path "v1" of mappings\[0\]/,
      hint: /its own basePath/,
    },
    {
      name: 'an EDGE certificate outside us-east-1',
      domains: `  api.example.com:\n    certificateArn: ${CERT.replace('us-east-1', 'eu-west-1')}\n    endpointType: EDGE\n    mappings: [{api: pets, stage: prod}]\n`,
      line: 11,
      key: 'domains.api.example.com.certificateArn',
      message: /is in eu-west-1, but an EDGE domain name needs a certificate in us-east-1/,
      hint: /issued in us-east-1/,
    },
    {
      name: 'an HTTP API on an EDGE domain name',
      domains: `  api.example.com:\n    certificateArn: ${CERT}\n    endpointType: EDGE\n    mappings: [{api: orders, stage: prod, basePath: shop}]\n`,
      line: 13,
      key: 'domains.api.example.com.mappings.0.api',
      message: /is EDGE, and orders is an HTTP API/,
      hint: /endpointType: REGIONAL/,
    },
    {
      name: 'TLS_1_0 on a domain name of an HTTP API',
      domains: `  api.example.com:\n    certificateArn: ${CERT}\n    securityPolicy: TLS_1_0\n    mappings: [{api: orders, stage: prod, basePath: shop}]\n`,
      line: 12,
      key: 'domains.api.example.com.securityPolicy',
      message: /supports only TLS_1_2 on domain names of HTTP and WebSocket APIs/,
      hint: /securityPolicy: TLS_1_2/,
    },
    {
      name: 'a WebSocket API next to an HTTP API on one domain name',
      domains: `  api.example.com:\n    certificateArn: ${CERT}\n    mappings:\n      - {api: orders, stage: prod, basePath: shop}\n      - {api: chat, stage: prod, basePath: chat}\n`,
      line: 14,
      key: 'domains.api.example.com.mappings.1.api',
      message: /maps the WebSocket API chat and the HTTP API orders/,
      hint: /domain name of its own/,
    },
  ]
  for (const c of cases) {
    it(c.name, async () => {
      const e = await problem(config(c.domains))
      assert.match(e.message, c.message)
      assert.match(e.message, new RegExp(`^apigw\\.yaml:${c.line}:\\d+: `))
      assert.equal(e.details.line, c.line)
      assert.equal(e.details.key, c.key)
      assert.match(e.hint, c.hint)
    })
  }

  it('accepts a REST and an HTTP API under two base paths, and a WebSocket API on its own domain name', async () => {
    const ok =
      `  api.example.com:\n    certificateArn: ${CERT}\n    mappings:\n      - {api: pets, stage: prod, basePath: v1}\n` +
      `      - {api: orders, stage: prod, basePath: shop}\n  ws.example.com:\n    certificateArn: ${CERT}\n` +
      '    mappings: [{api: chat, stage: prod, basePath: chat}]\n'
    const loaded = await parseConfig('apigw.yaml', Buffer.from(config(ok)))
    assert.deepEqual(Object.keys(loaded.config.domains ?? {}), ['api.example.com', 'ws.example.com'])
  })
})
