/**
 * The data plane's SigV4 verifier (local/protocol/sigv4.ts) and its memo of verified signatures: a request verified
 * once verifies again without the signer, but only the same request: another path or signed header value (the
 * body's hash among them) under the same signature is a mismatch, another secret for the key is a mismatch, and the
 * date is checked every time.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {signExecuteApi} from '../../../../src/aws/sigv4.ts'
import {type KnownCredential, verifySigV4} from '../../../../src/local/protocol/sigv4.ts'

const KEY: KnownCredential = {accessKeyId: 'AKIDMEMO', secretAccessKey: 'memo-secret', profile: 'memo'}
const known = (secret = KEY.secretAccessKey) => new Map([[KEY.accessKeyId, {...KEY, secretAccessKey: secret}]])
const SIGNED_AT = new Date(Date.UTC(2026, 11, 5, 12, 0, 0))

async function signed(body: string, target = '/dev/@connections/abc') {
  const headers = await signExecuteApi({
    method: 'POST',
    url: `http://127.0.0.1:4567${target}`,
    headers: [['content-type', 'application/json']],
    body: Buffer.from(body),
    region: 'us-east-1',
    credentials: KEY,
    signingDate: SIGNED_AT,
  })
  return {
    method: 'POST',
    target,
    // What the client sends: the Host and every header it signed (content-type, x-amz-date, authorization...).
    headers: [['host', '127.0.0.1:4567'], ...headers] as Array<[string, string]>,
    body: Buffer.from(body),
  }
}

describe('SigV4 verification and its memo', () => {
  it('verifies the same request twice, and refuses the same signature over anything else', async () => {
    const request = await signed('{"a":1}')
    for (let i = 0; i < 2; i++) assert.equal((await verifySigV4(request, known(), SIGNED_AT)).ok, true)
    // (The body is bound through the signed x-amz-content-sha256 header, whose value SigV4 signs in its place.)
    const otherHash = {
      ...request,
      headers: request.headers.map(([k, v]): [string, string] => [k, k === 'x-amz-content-sha256' ? '0'.repeat(64) : v]),
    }
    assert.deepEqual(pick(await verifySigV4(otherHash, known(), SIGNED_AT)), 'mismatch')
    assert.deepEqual(pick(await verifySigV4({...request, target: '/dev/@connections/xyz'}, known(), SIGNED_AT)), 'mismatch')
    const otherType = {...request, headers: request.headers.map(([k, v]): [string, string] => [k, k === 'content-type' ? 'text/plain' : v])}
    assert.deepEqual(pick(await verifySigV4(otherType, known(), SIGNED_AT)), 'mismatch')
    assert.deepEqual(pick(await verifySigV4(request, known('another-secret'), SIGNED_AT)), 'mismatch')
  })

  it('checks the date of a remembered signature every time', async () => {
    const request = await signed('{"b":1}')
    assert.equal((await verifySigV4(request, known(), SIGNED_AT)).ok, true)
    assert.deepEqual(pick(await verifySigV4(request, known(), new Date(SIGNED_AT.getTime() + 6 * 60_000))), 'skew')
  })
})

function pick(outcome: Awaited<ReturnType<typeof verifySigV4>>): string {
  return outcome.ok ? 'ok' : outcome.problem
}
