import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {CliError, EXIT, exitCodeFor} from '../../src/errors.ts'

describe('exitCodeFor', () => {
  const table: Array<[string, number]> = [
    ['VALIDATION_FAILED', EXIT.GATE],
    ['USAGE', EXIT.USAGE],
    ['SPEC_NOT_FOUND', EXIT.INPUT],
    ['CONFIG_INVALID', EXIT.INPUT],
    ['AWS_NOT_FOUND', EXIT.AWS],
    ['AWS_SOMETHING_NEW', EXIT.AWS],
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
  it('serialises code, message and hint for the JSON envelope', () => {
    const e = new CliError('SPEC_NOT_FOUND', 'No OpenAPI file at a.yaml.', {hint: 'Pass --spec.'})
    assert.deepEqual(e.toJSON(), {code: 'SPEC_NOT_FOUND', message: 'No OpenAPI file at a.yaml.', hint: 'Pass --spec.'})
  })
})
