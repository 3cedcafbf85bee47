import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import {CliError, ERROR_CODES, type ErrorCode, EXIT, exitCodeFor, isErrorCode} from '../../src/errors.ts'

describe('exitCodeFor', () => {
  const table: Array<[ErrorCode, number]> = [
    ['VALIDATION_FAILED', EXIT.GATE],
    ['USAGE', EXIT.USAGE],
    ['NON_INTERACTIVE', EXIT.USAGE],
    ['SPEC_NOT_FOUND', EXIT.INPUT],
    ['CONFIG_INVALID', EXIT.INPUT],
    ['CONFIG_PARSE_ERROR', EXIT.INPUT],
    ['AWS_NOT_FOUND', EXIT.AWS],
    ['LOCAL_PORT_IN_USE', EXIT.LOCAL],
    ['INTERNAL', EXIT.BUG],
    ['CANCELLED', EXIT.CANCELLED],
  ]
  for (const [code, exit] of table) {
    it(`maps ${code} to exit ${exit}`, () => {
      // Given a code, When it is classified, Then its family decides the exit code
      assert.equal(exitCodeFor(code), exit)
      assert.equal(new CliError(code, 'x').exitCode, exit)
    })
  }
  it('knows its codes and nothing else', () => {
    assert.equal(isErrorCode('AWS_NOT_FOUND'), true)
    assert.equal(isErrorCode('AWS_SOMETHING_NEW'), false)
    assert.equal(isErrorCode('toString'), false)
  })
  it('serialises code, message and hint for the JSON envelope', () => {
    const e = new CliError('SPEC_NOT_FOUND', 'No OpenAPI file at a.yaml.', {hint: 'Pass --spec.'})
    assert.deepEqual(e.toJSON(), {code: 'SPEC_NOT_FOUND', message: 'No OpenAPI file at a.yaml.', hint: 'Pass --spec.'})
  })
})

describe("the README's error table", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const rows = new Map([...readme.matchAll(/^\| `([A-Z0-9_]+)` \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])]))
  it('lists every error code with its exit code, and no other', () => {
    // Given the codes CliError accepts / When the README table is read / Then both list the same codes and exits
    const expected = new Map(Object.entries(ERROR_CODES).map(([code, v]) => [code, v.exit as number]))
    assert.deepEqual([...rows].sort(), [...expected].sort())
  })
})
