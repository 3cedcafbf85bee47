/**
 * Policy evaluation as API Gateway applies it to Lambda authorizer answers and resource policies: IAM wildcards,
 * explicit Deny over Allow, NotResource, principals, conditions (CIDRs by node:net, missing keys by IAM's rules),
 * malformed documents; and the authorizer answer's shape checks.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parseAnswer} from '../../../../src/local/data-plane/auth/lambda-authorizer.ts'
import {evaluatePolicy, PolicyMalformed, wildcardMatch} from '../../../../src/local/data-plane/auth/policy.ts'

const ARN = 'arn:aws:execute-api:us-east-1:000000000000:abc123/dev/GET/pets/7'
const doc = (...Statement: unknown[]) => ({Version: '2012-10-17', Statement})
const allow = (Resource: unknown, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action: 'execute-api:Invoke',
  Resource,
  ...extra,
})
const deny = (Resource: unknown, extra: Record<string, unknown> = {}) => ({
  Effect: 'Deny',
  Action: 'execute-api:Invoke',
  Resource,
  ...extra,
})

describe('data-plane auth: policies', () => {
  it('wildcards: * spans slashes, ? is one character, everything else is literal', () => {
    const cases: Array<[string, string, boolean]> = [
      ['arn:aws:execute-api:*:*:abc123/*', ARN, true],
      ['arn:aws:execute-api:us-east-1:000000000000:abc123/*/GET/pets/?', ARN, true],
      ['arn:aws:execute-api:us-east-1:000000000000:abc123/*/GET/pets', ARN, false],
      ['arn:aws:execute-api:us-east-1:000000000000:abc123/dev/POST/*', ARN, false],
      [
        'arn:aws:execute-api:us-east-1:000000000000:abc123/dev/GET/pets/(7)',
        'arn:aws:execute-api:us-east-1:000000000000:abc123/dev/GET/pets/(7)',
        true,
      ],
      ['a.c', 'abc', false],
    ]
    for (const [pattern, value, expected] of cases) assert.equal(wildcardMatch(pattern, value), expected, pattern)
  })

  it('decisions: Allow, explicit Deny wins, no match is implicit, NotResource, a single Statement object', () => {
    const cases: Array<[unknown, string]> = [
      [doc(allow(ARN)), 'allow'],
      [doc(allow('*'), deny(ARN)), 'deny'],
      [doc(allow('arn:aws:execute-api:*:*:other/*')), 'implicit'],
      [doc({Effect: 'Allow', Action: 'execute-api:Invoke', NotResource: 'arn:aws:execute-api:*:*:abc123/*/POST/*'}), 'allow'],
      [{Version: '2012-10-17', Statement: allow([ARN])}, 'allow'],
      [doc({Effect: 'Allow', Action: 'execute-api:*', Resource: ARN}), 'allow'],
      [doc({Effect: 'Allow', Action: 'execute-api:ManageConnections', Resource: ARN}), 'implicit'],
      [JSON.stringify(doc(allow(ARN))), 'allow'],
    ]
    for (const [policy, expected] of cases) assert.equal(evaluatePolicy(policy, {action: 'execute-api:Invoke', resource: ARN}), expected)
  })

  it('resource policies: principals, execute-api:/ shorthand and conditions (IAM rules for missing keys)', () => {
    const expandResource = (r: string) =>
      r.startsWith('execute-api:/') ? `arn:aws:execute-api:us-east-1:000000000000:abc123/${r.slice(13)}` : r
    const req = (conditionKeys: Record<string, string>, iam = false) => ({
      action: 'execute-api:Invoke',
      resource: ARN,
      expandResource,
      conditionKeys,
      principal: iam
        ? ({kind: 'iam', arn: 'arn:aws:iam::000000000000:user/dev', accountId: '000000000000'} as const)
        : ({kind: 'anonymous'} as const),
    })
    const ip = doc(allow('execute-api:/*', {Principal: '*', Condition: {IpAddress: {'aws:SourceIp': ['10.0.0.0/8', '127.0.0.1']}}}))
    assert.equal(evaluatePolicy(ip, req({'aws:sourceip': '10.1.2.3'})), 'allow')
    assert.equal(evaluatePolicy(ip, req({'aws:sourceip': '127.0.0.1'})), 'allow')
    assert.equal(evaluatePolicy(ip, req({'aws:sourceip': '192.168.0.1'})), 'implicit')
    const vpce = doc(
      allow('*', {Principal: '*'}),
      deny('execute-api:/*', {Principal: '*', Condition: {StringNotEquals: {'aws:SourceVpce': 'vpce-1'}}}),
    )
    assert.equal(evaluatePolicy(vpce, req({})), 'deny', 'a missing key makes a negated operator hold')
    assert.equal(evaluatePolicy(vpce, req({'aws:sourcevpce': 'vpce-1'})), 'allow')
    const ifExists = doc(allow('*', {Principal: '*', Condition: {StringEqualsIfExists: {'aws:SourceVpce': 'vpce-1'}}}))
    assert.equal(evaluatePolicy(ifExists, req({})), 'allow')
    const user = doc(allow('execute-api:/*', {Principal: {AWS: 'arn:aws:iam::000000000000:user/dev'}}))
    assert.equal(evaluatePolicy(user, req({}, true)), 'allow')
    assert.equal(evaluatePolicy(user, req({})), 'implicit', 'an anonymous caller is no IAM user')
    const account = doc(allow('execute-api:/*', {Principal: {AWS: ['000000000000']}}))
    assert.equal(evaluatePolicy(account, req({}, true)), 'allow')
  })

  it('malformed documents throw PolicyMalformed', () => {
    for (const bad of [
      'not json',
      {},
      doc(),
      doc({Effect: 'Maybe', Action: '*', Resource: '*'}),
      doc({Effect: 'Allow', Resource: '*'}),
      doc(allow(7)),
    ]) {
      assert.throws(() => evaluatePolicy(bad, {action: 'execute-api:Invoke', resource: ARN}), PolicyMalformed)
    }
  })

  it('authorizer answers: principalId and policyDocument required, context values scalar', () => {
    const good = parseAnswer(
      JSON.stringify({principalId: 7, policyDocument: doc(allow('*')), context: {a: 'x', n: 1, b: false}, usageIdentifierKey: 'k'}),
    )
    assert.deepEqual(good, {principalId: '7', policyDocument: doc(allow('*')), context: {a: 'x', n: 1, b: false}, usageIdentifierKey: 'k'})
    for (const bad of [
      'nope',
      '[]',
      JSON.stringify({policyDocument: doc(allow('*'))}),
      JSON.stringify({principalId: 'a'}),
      JSON.stringify({principalId: 'a', policyDocument: {Statement: []}}),
      JSON.stringify({principalId: 'a', policyDocument: doc(allow('*')), context: {o: {}}}),
      JSON.stringify({principalId: 'a', policyDocument: doc(allow('*')), context: {l: [1]}}),
    ]) {
      assert.equal(typeof parseAnswer(bad), 'string', bad)
    }
  })
})
