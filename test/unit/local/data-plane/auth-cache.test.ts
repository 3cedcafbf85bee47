/**
 * The Lambda authorizer result cache: entries by stage, authorizer and identity values (no two identity lists
 * share an entry), FlushStageAuthorizersCache by stage, the TTL on the caller's clock, and the per-ARN decisions
 * remembered for an answer (a malformed policy is not remembered, so every request fails alike).
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {AuthorizerCache, type CachedAuthorization, cachedDecision} from '../../../../src/local/data-plane/auth/cache.ts'
import type {PolicyDecision} from '../../../../src/local/data-plane/auth/policy.ts'

const answer = (principalId: string): CachedAuthorization => ({principalId, policyDocument: {}, context: {}})

describe('authorizer result cache', () => {
  it('keeps identity lists apart even when their joined text is the same', () => {
    // Given entries for identity lists whose values concatenate or join to the same text
    const cache = new AuthorizerCache()
    const lists: string[][] = [['ab'], ['a', 'b'], ['a\u0000b'], ['a,b'], ['a', ',b'], ['1:a'], ['', '1:a']]
    for (const [i, identity] of lists.entries()) cache.set('api', 'dev', 'auth', identity, answer(`p${i}`), 1000)
    // Then each list finds its own answer
    assert.equal(cache.size, lists.length)
    for (const [i, identity] of lists.entries()) assert.equal(cache.get('api', 'dev', 'auth', identity, 0)?.principalId, `p${i}`)
    assert.equal(cache.get('api', 'dev', 'other', ['ab'], 0), undefined)
  })

  it('expires entries on the given clock and flushes one stage only', () => {
    const cache = new AuthorizerCache()
    cache.set('api', 'dev', 'auth', ['t'], answer('dev'), 1000)
    cache.set('api', 'dev2', 'auth', ['t'], answer('dev2'), 1000)
    cache.set('api2', 'dev', 'auth', ['t'], answer('other api'), 1000)
    // When the clock reaches the expiry, the entry is gone
    assert.equal(cache.get('api', 'dev', 'auth', ['t'], 999)?.principalId, 'dev')
    assert.equal(cache.get('api', 'dev', 'auth', ['t'], 1000), undefined)
    // When a stage is flushed, a stage whose name starts alike and another API's same stage stay
    cache.set('api', 'dev', 'auth', ['t'], answer('dev'), 1000)
    assert.equal(cache.flushStage('api', 'dev'), 1)
    assert.equal(cache.get('api', 'dev2', 'auth', ['t'], 0)?.principalId, 'dev2')
    assert.equal(cache.get('api2', 'dev', 'auth', ['t'], 0)?.principalId, 'other api')
  })

  it('remembers a decision per answer and ARN, and nothing for a policy that throws', () => {
    const a = answer('a')
    const b = answer('b')
    let evaluated = 0
    const evaluate = (d: PolicyDecision) => () => {
      evaluated++
      return d
    }
    assert.equal(cachedDecision(a, 'arn:1', evaluate('allow')), 'allow')
    assert.equal(cachedDecision(a, 'arn:1', evaluate('deny')), 'allow')
    assert.equal(cachedDecision(a, 'arn:2', evaluate('deny')), 'deny')
    assert.equal(cachedDecision(b, 'arn:1', evaluate('implicit')), 'implicit')
    assert.equal(evaluated, 3)
    const failing = () => {
      evaluated++
      throw new Error('malformed')
    }
    assert.throws(() => cachedDecision(a, 'arn:3', failing), /malformed/)
    assert.throws(() => cachedDecision(a, 'arn:3', failing), /malformed/)
    assert.equal(evaluated, 5)
  })
})
