import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {isLoopbackHost, sigV4Problem} from '../../../src/local/protocol/boundary.ts'

describe('control-plane boundary: loopback Host names', () => {
  const cases: Array<[string | undefined, boolean]> = [
    ['localhost', true],
    ['localhost:4567', true],
    ['LOCALHOST:4567', true],
    ['localhost.', true],
    ['abc123.execute-api.localhost:4567', true],
    ['127.0.0.1', true],
    ['127.0.0.1:80', true],
    ['127.255.0.9:1', true],
    ['[::1]', true],
    ['[::1]:4567', true],
    [undefined, false],
    ['', false],
    ['evil.example.com', false],
    ['localhost.evil.example.com', false],
    ['evil-localhost', false],
    ['127.0.0.1.nip.io', false],
    ['127.0.0.256', false],
    ['0.0.0.0', false],
    ['10.0.0.1:4567', false],
    ['[::2]:4567', false],
    ['[::1]x', false],
    ['localhost:port', false],
    ['local host', false],
  ]
  for (const [host, ok] of cases) {
    it(`${JSON.stringify(host)} is ${ok ? '' : 'not '}loopback`, () => {
      assert.equal(isLoopbackHost(host), ok)
    })
  }
})

describe('control-plane boundary: SigV4 shape', () => {
  const none = new URLSearchParams()
  const full = 'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/logs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc'
  it('accepts a complete Authorization header, as the SDKs and the AWS CLI send it', () => {
    assert.equal(sigV4Problem(full, none), undefined)
    assert.equal(sigV4Problem(full.replaceAll(', ', ','), none), undefined)
  })
  it('calls a missing or non-SigV4 header missing, and names the missing parts of a partial one', () => {
    assert.equal(sigV4Problem(undefined, none)?.kind, 'missing')
    assert.equal(sigV4Problem('Bearer x', none)?.kind, 'missing')
    assert.equal(sigV4Problem('AWS4-HMAC-SHA256', none)?.kind, 'missing')
    const partial = sigV4Problem('AWS4-HMAC-SHA256 Credential=AKID/2026/us-east-1/apigateway/aws4_request, Signature=1', none)
    assert.equal(partial?.kind, 'incomplete')
    assert.match(partial!.detail, /'Credential'/)
    assert.match(partial!.detail, /'SignedHeaders'/)
    assert.doesNotMatch(partial!.detail, /'Signature'/)
  })
  it('accepts a complete presigned query string and names what a partial one lacks', () => {
    const q = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKID/20260101/us-east-1/apigateway/aws4_request',
      'X-Amz-Date': '20260101T000000Z',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': 'ab',
    })
    assert.equal(sigV4Problem(undefined, q), undefined)
    q.delete('X-Amz-Date')
    assert.match(sigV4Problem(undefined, q)!.detail, /must include 'X-Amz-Date'/)
  })
})
