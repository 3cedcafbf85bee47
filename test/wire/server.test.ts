import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {GetRestApisCommand} from '@aws-sdk/client-api-gateway'
import {SIGNED, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

describe('emulator server', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  it('answers a health probe', async () => {
    const res = await fetch(`${t.url}/_apigw/health`)
    assert.equal(res.status, 200)
    assert.equal(((await res.json()) as {ok: boolean}).ok, true)
  })

  it('answers an unknown route with UnknownOperationException in AWS error shape', async () => {
    // Given a path no operation has, When it is called, Then the error is typed in x-amzn-ErrorType
    const res = await fetch(`${t.url}/no/such/thing`, {headers: SIGNED})
    assert.equal(res.status, 404)
    assert.equal(res.headers.get('x-amzn-errortype'), 'UnknownOperationException')
    assert.ok(res.headers.get('x-amzn-requestid'))
    assert.match(((await res.json()) as {message: string}).message, /No operation matches GET/)
  })

  it('answers an unknown Logs target with UnknownOperationException', async () => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: {...SIGNED, 'x-amz-target': 'Logs_20140328.Nope', 'content-type': 'application/x-amz-json-1.1'},
      body: '{}',
    })
    assert.equal(res.status, 400)
    assert.equal(((await res.json()) as {__type: string}).__type, 'UnknownOperationException')
  })

  it('refuses a body over 10 MB with 413 and no crash', async () => {
    const res = await fetch(`${t.url}/restapis`, {method: 'POST', headers: SIGNED, body: Buffer.alloc(10 * 1024 * 1024 + 1, 97)})
    assert.equal(res.status, 413)
    assert.equal(res.headers.get('x-amzn-errortype'), 'RequestEntityTooLargeException')
    const again = await fetch(`${t.url}/_apigw/health`)
    assert.equal(again.status, 200)
  })

  it('serves GetRestApis to the SDK v3 client: an empty list on the wire as {"item": []}', async () => {
    // Given a fresh emulator, When the SDK lists REST APIs, Then it gets 200 and no items
    const out = await t.v1.send(new GetRestApisCommand({}))
    assert.equal(out.$metadata.httpStatusCode, 200)
    assert.deepEqual(out.items, [])
    // And on the wire the collection member is `item` (AWS's v1 naming), with a request id
    const res = await fetch(`${t.url}/restapis`, {headers: SIGNED})
    assert.ok(res.headers.get('x-amzn-requestid'))
    assert.deepEqual(await res.json(), {item: []})
  })
})
