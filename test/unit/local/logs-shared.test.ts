import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {eventIdOf} from '../../../src/local/control-plane/logs/events.ts'
import {constraintError, decodeToken, encodeToken, groupNameFromIdentifier} from '../../../src/local/control-plane/logs/shared.ts'
import {AwsError} from '../../../src/local/protocol/aws-error.ts'

describe('CloudWatch Logs helpers', () => {
  const identifiers: Array<{identifier: string; name: string}> = [
    {identifier: '/aws/lambda/fn', name: '/aws/lambda/fn'},
    {identifier: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fn', name: '/aws/lambda/fn'},
    {identifier: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fn:*', name: '/aws/lambda/fn'},
  ]
  for (const c of identifiers) {
    it(`reads the group name from ${c.identifier}`, () => {
      // Given a logGroupIdentifier (name, ARN, ARN with :*), Then the name comes out
      assert.equal(groupNameFromIdentifier(c.identifier), c.name)
    })
  }

  it('round-trips a page token and refuses anything else with AWS message', () => {
    // Given a token, When decoded, Then the values come back; a foreign string is InvalidParameterException
    assert.deepEqual(decodeToken(encodeToken({t: 5, s: 7})), {v: 1, t: 5, s: 7})
    for (const bad of ['invalid-token', '', Buffer.from('{"v":2}').toString('base64url'), Buffer.from('[1]').toString('base64url')]) {
      assert.throws(
        () => decodeToken(bad),
        (e: unknown) =>
          e instanceof AwsError && e.code === 'InvalidParameterException' && e.message === 'The specified nextToken is invalid.',
      )
    }
  })

  it('words constraint errors as AWS does', () => {
    assert.equal(
      constraintError(10001, 'limit', 'Member must have value less than or equal to 10000').message,
      "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
    )
    assert.equal(
      constraintError(null, 'logGroupName', 'Member must not be null').message,
      "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null",
    )
  })

  it('makes eventIds 56 digits long and ordered like the rows', () => {
    assert.match(eventIdOf(1), /^0{55}1$/)
    assert.ok(eventIdOf(9) < eventIdOf(10))
  })
})
