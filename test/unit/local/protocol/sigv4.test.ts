/**
 * The data plane's SigV4 verifier (local/protocol/sigv4.ts) and its memo of verified signatures: a request verified
 * once verifies again without the signer, but only the same request: another path or signed header value (the
 * body's hash among them) under the same signature is a mismatch, another secret for the key is a mismatch, and the
 * date is checked every time. A repeat of a verified request (the same method, target, headers and body) is decided
 * without parsing it (verifyRepeat), with the key's secret and the date checked again; anything else is not a repeat.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {signExecuteApi} from '../../../../src/aws/sigv4.ts'
import {type KnownCredential, verifyRepeat, verifySigV4} from '../../../../src/local/protocol/sigv4.ts'

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

describe('repeats of a verified request', () => {
  it('answers a repeat at once, and nothing that was not verified with the same key and content', async () => {
    const request = await signed('{"c":1}', '/dev/@connections/repeat')
    assert.equal(verifyRepeat(raw(request), known(), SIGNED_AT), undefined, 'not verified yet')
    assert.equal(pick(await verifySigV4(request, known('wrong-secret'), SIGNED_AT)), 'mismatch')
    assert.equal(verifyRepeat(raw(request), known(), SIGNED_AT), undefined, 'a refused request is not remembered')
    assert.equal((await verifySigV4(request, known(), SIGNED_AT)).ok, true)
    const repeat = verifyRepeat(raw({...request, headers: [...request.headers]}), known(), SIGNED_AT)
    assert.equal(repeat?.ok && repeat.credential.accessKeyId, KEY.accessKeyId)
    // Another secret for the key now, or a key no longer known: not a repeat (verifySigV4 answers mismatch, unknown-key).
    assert.equal(verifyRepeat(raw(request), known('another-secret'), SIGNED_AT), undefined)
    assert.equal(verifyRepeat(raw(request), new Map(), SIGNED_AT), undefined)
    assert.equal(pick(await verifySigV4(request, new Map(), SIGNED_AT)), 'unknown-key')
    // Any other byte of the request (a header, even one not signed; the body; the target): not a repeat.
    assert.equal(verifyRepeat(raw({...request, headers: [...request.headers, ['user-agent', 'x']]}), known(), SIGNED_AT), undefined)
    assert.equal(verifyRepeat(raw({...request, body: Buffer.from('{"c":2}')}), known(), SIGNED_AT), undefined)
    assert.equal(verifyRepeat(raw({...request, target: '/dev/@connections/other'}), known(), SIGNED_AT), undefined)
    // The date is checked again on every repeat, both ways.
    assert.equal(pick(verifyRepeat(raw(request), known(), new Date(SIGNED_AT.getTime() + 6 * 60_000))!), 'skew')
    assert.equal(pick(verifyRepeat(raw(request), known(), new Date(SIGNED_AT.getTime() - 6 * 60_000))!), 'skew')
    assert.equal(verifyRepeat(raw(request), known(), new Date(SIGNED_AT.getTime() + 4 * 60_000))?.ok, true)
  })

  it('knows a repeat with a long body by its whole body', async () => {
    const request = await signed('x'.repeat(5000), '/dev/@connections/long')
    assert.equal((await verifySigV4(request, known(), SIGNED_AT)).ok, true)
    assert.equal(verifyRepeat(raw({...request, body: Buffer.from('x'.repeat(5000))}), known(), SIGNED_AT)?.ok, true)
    assert.equal(verifyRepeat(raw({...request, body: Buffer.from(`${'x'.repeat(4999)}y`)}), known(), SIGNED_AT), undefined)
  })
})

/** The request as node:http hands it over (verifyRepeat's form). */
function raw(request: {method: string; target: string; headers: Array<[string, string]>; body: Buffer}) {
  return {method: request.method, target: request.target, rawHeaders: request.headers.flat(), body: request.body}
}

function pick(outcome: Awaited<ReturnType<typeof verifySigV4>>): string {
  return outcome.ok ? 'ok' : outcome.problem
}
