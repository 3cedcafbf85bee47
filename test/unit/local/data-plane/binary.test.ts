/**
 * AWS's content type conversion tables, row by row
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html).
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {
  type ContentHandling,
  convertRequestPayload,
  convertResponsePayload,
  decodeBase64,
  isBinaryMediaType,
} from '../../../../src/local/data-plane/binary.ts'

const BIN = Buffer.from([0xff, 0x00, 0x89, 0x50])
const B64 = Buffer.from(BIN.toString('base64'))
const TEXT = Buffer.from('{"a":"é"}')

describe('binary media: conversions', () => {
  const requests: Array<[string, Buffer, boolean, ContentHandling, Buffer | undefined]> = [
    ['text, no handling: UTF-8 text', TEXT, false, undefined, TEXT],
    ['text, CONVERT_TO_TEXT: text', TEXT, false, 'CONVERT_TO_TEXT', TEXT],
    ['base64 text, CONVERT_TO_BINARY: decoded', B64, false, 'CONVERT_TO_BINARY', BIN],
    ['text that is not base64, CONVERT_TO_BINARY: fails', TEXT, false, 'CONVERT_TO_BINARY', undefined],
    ['binary, no handling: bytes', BIN, true, undefined, BIN],
    ['binary, CONVERT_TO_BINARY: bytes', BIN, true, 'CONVERT_TO_BINARY', BIN],
    ['binary, CONVERT_TO_TEXT: base64', BIN, true, 'CONVERT_TO_TEXT', B64],
    ['invalid UTF-8 as text: replacement characters', BIN, false, undefined, Buffer.from(BIN.toString('utf8'))],
  ]
  for (const [name, body, binary, handling, expected] of requests)
    it(`request: ${name}`, () => assert.deepEqual(convertRequestPayload(body, binary, handling), expected))

  // [integration answer binary?, client Accept binary?, handling, expected]
  const responses: Array<[string, Buffer, boolean, boolean, ContentHandling, Buffer | undefined]> = [
    ['text, text Accept, no handling: text', TEXT, false, false, undefined, TEXT],
    ['text, text Accept, CONVERT_TO_BINARY: decoded', B64, false, false, 'CONVERT_TO_BINARY', BIN],
    ['text, text Accept, CONVERT_TO_TEXT: text', TEXT, false, false, 'CONVERT_TO_TEXT', TEXT],
    ['text, binary Accept, no handling: decoded', B64, false, true, undefined, BIN],
    ['text, binary Accept, CONVERT_TO_TEXT: text', B64, false, true, 'CONVERT_TO_TEXT', B64],
    ['binary, text Accept, no handling: base64', BIN, true, false, undefined, B64],
    ['binary, text Accept, CONVERT_TO_BINARY: bytes', BIN, true, false, 'CONVERT_TO_BINARY', BIN],
    ['binary, binary Accept, no handling: bytes', BIN, true, true, undefined, BIN],
    ['binary, binary Accept, CONVERT_TO_TEXT: base64', BIN, true, true, 'CONVERT_TO_TEXT', B64],
    ['JSON to decode for a binary Accept: fails', TEXT, false, true, undefined, undefined],
  ]
  for (const [name, body, binary, accept, handling, expected] of responses)
    it(`response: ${name}`, () => assert.deepEqual(convertResponsePayload(body, binary, accept, handling), expected))

  it('decodes base64 with whitespace, without padding and URL-safe; refuses other text', () => {
    assert.deepEqual(decodeBase64('/w CJ\nUA=='), BIN)
    assert.deepEqual(decodeBase64('_wCJUA'), BIN)
    assert.equal(decodeBase64('a'), undefined)
    assert.equal(decodeBase64('{"a":1}'), undefined)
  })

  it('matches media types with wildcards', () => {
    assert.equal(isBinaryMediaType('image/png', ['image/*']), true)
    assert.equal(isBinaryMediaType('text/plain', ['*/*']), true)
    assert.equal(isBinaryMediaType('*/*', ['image/png']), false)
    assert.equal(isBinaryMediaType('image/png', undefined), false)
  })
})
