import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {SIGNED, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

// Every hostile request gets AWS's error shape (status, x-amzn-ErrorType, a JSON message), never a crash or a hang.
describe('emulator: hostile requests', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  const logs = {'x-amz-target': 'Logs_20140328.CreateLogGroup', 'content-type': 'application/x-amz-json-1.1'}
  const cases: Array<{
    name: string
    method: string
    path: string
    body?: string
    headers?: Record<string, string>
    status: number
    type: string
    message: RegExp
  }> = [
    {
      name: 'malformed JSON (v1)',
      method: 'POST',
      path: '/restapis',
      body: '{"name": ',
      status: 400,
      type: 'SerializationException',
      message: /not valid JSON/,
    },
    {
      name: 'a JSON array body (v1)',
      method: 'POST',
      path: '/restapis',
      body: '[1]',
      status: 400,
      type: 'SerializationException',
      message: /must be a JSON object/,
    },
    {
      name: 'a number for a string member (v1)',
      method: 'POST',
      path: '/restapis',
      body: '{"name": 123}',
      status: 400,
      type: 'SerializationException',
      message: /^class com\.amazon\.coral\.value\.json\.numbers\.TruncatingBigNumber can not be converted to an String$/,
    },
    {
      name: 'a list for a string member (v1)',
      method: 'POST',
      path: '/apikeys',
      body: '{"name": ["a"]}',
      status: 400,
      type: 'SerializationException',
      message: /Start of list found where not expected/,
    },
    {
      name: 'a string for a boolean member (v1)',
      method: 'POST',
      path: '/apikeys',
      body: '{"name": "k", "enabled": 5}',
      status: 400,
      type: 'SerializationException',
      message: /can not be converted to an Boolean/,
    },
    {
      name: 'a wrong member type (v2)',
      method: 'POST',
      path: '/v2/apis',
      body: '{"name": ["x"], "protocolType": "HTTP"}',
      status: 400,
      type: 'BadRequestException',
      message: /name/,
    },
    {
      name: 'malformed JSON (Logs)',
      method: 'POST',
      path: '/',
      body: '{bad',
      headers: logs,
      status: 400,
      type: 'SerializationException',
      message: /not valid JSON/,
    },
    {
      name: 'a wrong member type (Logs)',
      method: 'POST',
      path: '/',
      body: '{"logGroupName": 5}',
      headers: logs,
      status: 400,
      type: 'SerializationException',
      message: /logGroupName/,
    },
    {
      name: 'an unknown route',
      method: 'GET',
      path: '/nothing/here',
      status: 404,
      type: 'UnknownOperationException',
      message: /No operation matches GET \/nothing\/here/,
    },
    {
      name: 'a known path with an unknown method',
      method: 'PUT',
      path: '/apikeys',
      status: 404,
      type: 'UnknownOperationException',
      message: /Method PUT is not allowed/,
    },
    {
      name: 'an unknown Logs operation',
      method: 'POST',
      path: '/',
      body: '{}',
      headers: {'x-amz-target': 'Logs_20140328.MakeCoffee'},
      status: 400,
      type: 'UnknownOperationException',
      message: /MakeCoffee/,
    },
    {
      name: 'a known but unimplemented operation',
      method: 'GET',
      path: '/v2/portals',
      status: 501,
      type: 'NotImplementedException',
      message: /ListPortals is not supported by the apigw local emulator yet/,
    },
  ]
  for (const c of cases) {
    it(`answers ${c.name} with ${c.status} ${c.type}`, async () => {
      const res = await fetch(`${t.url}${c.path}`, {
        method: c.method,
        body: c.body,
        headers: {...SIGNED, 'content-type': 'application/json', ...c.headers},
      })
      assert.equal(res.status, c.status)
      assert.equal(res.headers.get('x-amzn-errortype'), c.type)
      assert.ok(res.headers.get('x-amzn-requestid'))
      const body = (await res.json()) as {message: string}
      assert.match(body.message, c.message)
    })
  }

  it('keeps serving after all of them', async () => {
    const res = await fetch(`${t.url}/restapis`, {headers: SIGNED})
    assert.equal(res.status, 200)
  })

  it('answers a request whose body stops mid-way without hanging the server', async () => {
    // Given a client that declares 1 MB but sends 10 bytes and hangs up
    const {connect} = await import('node:net')
    const url = new URL(t.url)
    const socket = connect(Number(url.port), url.hostname)
    await new Promise<void>((resolve) => socket.on('connect', resolve))
    socket.write(
      `POST /restapis HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${SIGNED.authorization}\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n{"name":"a`,
    )
    socket.end()
    await new Promise((resolve) => setTimeout(resolve, 200))
    socket.destroy()
    // Then the next request is served
    const res = await fetch(`${t.url}/restapis`, {headers: SIGNED})
    assert.equal(res.status, 200)
  })
})
