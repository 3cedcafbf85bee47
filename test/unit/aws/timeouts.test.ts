/** Issue 19.2: the HTTP handler's connect and read timeouts become AWS_TIMEOUT with the flag to raise, and are never retried. */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {isRetryable, isTimeout, mapAwsError} from '../../../src/aws/errors.ts'

// The errors @smithy/node-http-handler rejects with (connectionTimeout, socketTimeout).
const connect = Object.assign(
  new Error(
    '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 10000 ms.',
  ),
  {name: 'TimeoutError'},
)
const read = Object.assign(
  new Error('@smithy/node-http-handler - the request socket timed out after 60000 ms of inactivity (configured by client requestHandler).'),
  {name: 'TimeoutError'},
)

describe('AWS call timeouts', () => {
  const cases: Array<[string, Error, RegExp, RegExp]> = [
    [
      'connect',
      connect,
      /no connection to the endpoint within the connect timeout/,
      /--connect-timeout SECONDS \(or APIGW_CONNECT_TIMEOUT\)/,
    ],
    ['read', read, /sent no answer within the read timeout/, /--read-timeout SECONDS \(or APIGW_READ_TIMEOUT\)/],
  ]
  for (const [what, error, message, hint] of cases) {
    it(`a ${what} timeout is AWS_TIMEOUT (exit 4), not retried`, () => {
      assert.equal(isTimeout(error), true)
      assert.equal(isRetryable(error), false)
      const mapped = mapAwsError(error, {operation: 'GetRestApis'})
      assert.equal(mapped.code, 'AWS_TIMEOUT')
      assert.equal(mapped.exitCode, 4)
      assert.match(mapped.message, message)
      assert.match(mapped.hint ?? '', hint)
    })
  }
  it('a dropped connection is still retryable', () => {
    assert.equal(isRetryable(Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'})), true)
  })
})
