/**
 * API keys enforced on the data plane, through real HTTP: a method with apiKeyRequired needs an enabled key in
 * a usage plan attached to the API and stage, else 403 `Forbidden` (ForbiddenException) as AWS answers for a
 * missing, unknown or disabled key (shared data-plane reference, "API keys"). Changes through the control
 * plane take effect on the next request.
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  UpdateApiKeyCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import {startTrafficWorld, type TrafficWorld} from './traffic-setup.ts'

const VALUE = 'devkey-0123456789abcdef'
const OTHER = 'otherkey-0123456789abcd'

describe('API keys on the data plane', () => {
  let w: TrafficWorld
  let keyId: string
  let planId: string
  before(async () => {
    w = await startTrafficWorld()
    keyId = await w.createKey(VALUE)
    planId = await w.createPlan({stages: ['dev'], keys: [keyId]})
  })
  after(() => w.close())

  const forbidden = async (res: Response) => {
    assert.equal(res.status, 403)
    assert.equal(res.headers.get('x-amzn-errortype'), 'ForbiddenException')
    assert.deepEqual(await res.json(), {message: 'Forbidden'})
  }

  it('answers 403 Forbidden for a missing, unknown or disabled key, and serves an enabled key of the stage', async () => {
    // Given an enabled key in a plan attached to dev, and a disabled one in the same plan
    const disabledId = await w.createKey('disabled-0123456789abc', false)
    await w.t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: planId, keyId: disabledId, keyType: 'API_KEY'}))
    // When the keyed method is called without a key, with an unknown key, with the disabled key
    await forbidden(await w.call('dev', '/keyed'))
    await forbidden(await w.call('dev', '/keyed', {key: 'nobody-0123456789abcdef'}))
    await forbidden(await w.call('dev', '/keyed', {key: 'disabled-0123456789abc'}))
    // Then each is refused; the enabled key is served, whatever the header's case, and its id reaches $context
    const ok = await w.call('dev', '/keyed', {headers: {'X-API-Key': VALUE}})
    assert.equal(ok.status, 200)
    assert.deepEqual(await ok.json(), {at: 'keyed', keyId})
  })

  it('refuses a key whose plan is not attached to the stage, and serves methods without apiKeyRequired keyless', async () => {
    // Given the key's plan is attached to dev only
    // When prod's keyed method is called with it, and the open method without any key
    await forbidden(await w.call('prod', '/keyed', {key: VALUE}))
    const open = await w.call('prod', '/open')
    // Then prod refuses the key; the open method answers
    assert.equal(open.status, 200)
    assert.deepEqual(await open.json(), {at: 'open'})
  })

  it('applies key changes at once: disabled, re-enabled, unlinked, rotated and deleted keys', async () => {
    // Given a served key
    assert.equal((await w.call('dev', '/keyed', {key: VALUE})).status, 200)
    // When it is disabled, the next request is refused; re-enabled, served
    await w.t.v1.send(new UpdateApiKeyCommand({apiKey: keyId, patchOperations: [{op: 'replace', path: '/enabled', value: 'false'}]}))
    await forbidden(await w.call('dev', '/keyed', {key: VALUE}))
    await w.t.v1.send(new UpdateApiKeyCommand({apiKey: keyId, patchOperations: [{op: 'replace', path: '/enabled', value: 'true'}]}))
    assert.equal((await w.call('dev', '/keyed', {key: VALUE})).status, 200)
    // When a rotated key is created and linked, both work; when the old one leaves the plan, only the new one
    const newId = await w.createKey(OTHER)
    await forbidden(await w.call('dev', '/keyed', {key: OTHER}))
    await w.t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: planId, keyId: newId, keyType: 'API_KEY'}))
    assert.equal((await w.call('dev', '/keyed', {key: OTHER})).status, 200)
    await w.t.v1.send(new DeleteUsagePlanKeyCommand({usagePlanId: planId, keyId}))
    await forbidden(await w.call('dev', '/keyed', {key: VALUE}))
    // When the plan gains prod, the new key opens prod too; when the key is deleted, it opens nothing
    await w.t.v1.send(
      new UpdateUsagePlanCommand({usagePlanId: planId, patchOperations: [{op: 'add', path: '/apiStages', value: `${w.apiId}:prod`}]}),
    )
    assert.equal((await w.call('prod', '/keyed', {key: OTHER})).status, 200)
    await w.t.v1.send(new DeleteApiKeyCommand({apiKey: newId}))
    await forbidden(await w.call('dev', '/keyed', {key: OTHER}))
  })
})
