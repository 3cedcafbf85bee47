/** Which buckets a request meets, in AWS's order: plan per-method, plan, stage method settings, account. */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {MethodSettingDoc} from '../../../../../src/local/control-plane/v1/lookup.ts'
import type {UsagePlanDoc} from '../../../../../src/local/control-plane/v1/usage-plans.ts'
import {methodSettingKey, planLimit, ThrottleCheckMemo, throttleChecks} from '../../../../../src/local/data-plane/traffic/limits.ts'

const setting = (rate: number, burst: number): MethodSettingDoc => ({
  metricsEnabled: false,
  dataTraceEnabled: false,
  throttlingBurstLimit: burst,
  throttlingRateLimit: rate,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
})

const plan: UsagePlanDoc = {
  id: 'p1',
  name: 'p',
  createdDate: 0,
  throttle: {rateLimit: 5, burstLimit: 10},
  apiStages: [{apiId: 'a', stage: 'dev', throttle: {'/pets/GET': {rateLimit: 1, burstLimit: 2}}}],
}
const base = {apiId: 'a', stageName: 'dev', resourceId: 'r1', account: {rateLimit: 10_000, burstLimit: 5_000}}

describe('throttle limits', () => {
  it('orders the key per-method limit, the plan limit, the stage setting and the account', () => {
    const checks = throttleChecks({
      ...base,
      resourcePath: '/pets',
      verbs: ['GET'],
      methodSettings: {'pets/GET': setting(3, 4), '*/*': setting(100, 200)},
      key: {id: 'k1', plan},
    })
    assert.deepEqual(
      checks.map((c) => [c.id, c.limit]),
      [
        ['plan-method p1 k1 a:dev /pets/GET', {rateLimit: 1, burstLimit: 2}],
        ['plan p1 k1', {rateLimit: 5, burstLimit: 10}],
        ['stage a dev /pets GET', {rateLimit: 3, burstLimit: 4}],
        ['account', {rateLimit: 10_000, burstLimit: 5_000}],
      ],
    )
    assert.equal(
      checks[1]!.describe,
      'Key throttle limit exceeded for Usage Plan ID p1, RestApi a, Stage dev, Resource r1, HttpMethod GET. Limit: 5.00 Burst: 10',
    )
  })

  it('falls back to the stage default */* per method, and applies no plan without a key', () => {
    const checks = throttleChecks({...base, resourcePath: '/', verbs: ['POST', 'ANY'], methodSettings: {'*/*': setting(7, 8)}})
    assert.deepEqual(
      checks.map((c) => c.id),
      ['stage a dev / POST', 'account'],
    )
    assert.equal(methodSettingKey('/', 'GET'), '/GET')
    assert.equal(methodSettingKey('/a/{b}', 'GET'), 'a/{b}/GET')
  })

  it('reads a plan throttle with one member set as documented in LIMITATIONS.md', () => {
    assert.equal(planLimit(undefined), undefined)
    assert.equal(planLimit({}), undefined)
    assert.deepEqual(planLimit({rateLimit: 2.5}), {rateLimit: 2.5, burstLimit: 3})
    assert.deepEqual(planLimit({burstLimit: 4}), {rateLimit: Number.POSITIVE_INFINITY, burstLimit: 4})
  })

  it('remembers the checks of a method and key while the stage, plan and account documents are the same objects', () => {
    // Given a memo and the documents of one version of the store
    const memo = new ThrottleCheckMemo()
    const methodSettings = {'pets/GET': setting(3, 4)}
    const input = {...base, resourcePath: '/pets', verbs: ['GET'], methodSettings, key: {id: 'k1', plan}}
    const first = memo.checks(input)
    // Then the same documents give the same checks, and another key its own
    assert.equal(memo.checks({...input}), first)
    assert.deepEqual(
      memo.checks({...input, key: {id: 'k2', plan}}).map((c) => c.id),
      ['plan-method p1 k2 a:dev /pets/GET', 'plan p1 k2', 'stage a dev /pets GET', 'account'],
    )
    // When the plan changes (another object), its new limit is read at once
    const changed = memo.checks({...input, key: {id: 'k1', plan: {...plan, throttle: {rateLimit: 50, burstLimit: 60}}}})
    assert.notEqual(changed, first)
    assert.deepEqual(changed[1]!.limit, {rateLimit: 50, burstLimit: 60})
    // And so do a changed stage setting and a changed account limit
    assert.deepEqual(memo.checks({...input, methodSettings: {'pets/GET': setting(30, 40)}})[2]!.limit, {rateLimit: 30, burstLimit: 40})
    assert.deepEqual(memo.checks({...input, account: {rateLimit: 1, burstLimit: 2}})[3]!.limit, {rateLimit: 1, burstLimit: 2})
  })
})
