/** GetAccount and UpdateAccount through the SDK v3 client against the emulator. */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {GetAccountCommand, type PatchOperation, UpdateAccountCommand} from '@aws-sdk/client-api-gateway'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

type SdkError = Error & {$metadata?: {httpStatusCode?: number}}

describe('account settings (wire)', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  const update = (patchOperations: PatchOperation[]) => t.v1.send(new UpdateAccountCommand({patchOperations}))

  it("answers a fresh account with AWS's defaults", async () => {
    const account = await t.v1.send(new GetAccountCommand({}))
    assert.deepEqual(
      {
        throttleSettings: account.throttleSettings,
        features: account.features,
        apiKeyVersion: account.apiKeyVersion,
        role: account.cloudwatchRoleArn,
      },
      {throttleSettings: {burstLimit: 5000, rateLimit: 10000}, features: ['UsagePlans'], apiKeyVersion: '4', role: undefined},
    )
  })

  it('sets and clears the CloudWatch role, and the change persists', async () => {
    const role = 'arn:aws:iam::123456789012:role/apigw-logs'
    assert.equal((await update([{op: 'replace', path: '/cloudwatchRoleArn', value: role}])).cloudwatchRoleArn, role)
    assert.equal((await t.v1.send(new GetAccountCommand({}))).cloudwatchRoleArn, role)
    assert.equal((await update([{op: 'replace', path: '/cloudwatchRoleArn', value: ''}])).cloudwatchRoleArn, undefined)
  })

  it('adds and removes features and sets the local account throttle', async () => {
    assert.deepEqual((await update([{op: 'add', path: '/features', value: 'Extra'}])).features, ['UsagePlans', 'Extra'])
    assert.deepEqual((await update([{op: 'remove', path: '/features', value: 'Extra'}])).features, ['UsagePlans'])
    const throttled = await update([
      {op: 'replace', path: '/throttle/rateLimit', value: '12.5'},
      {op: 'replace', path: '/throttle/burstLimit', value: '20'},
    ])
    assert.deepEqual(throttled.throttleSettings, {burstLimit: 20, rateLimit: 12.5})
  })

  const refused: Array<{why: string; op: PatchOperation; message: RegExp}> = [
    {
      why: 'a malformed role ARN',
      op: {op: 'replace', path: '/cloudwatchRoleArn', value: 'not-an-arn'},
      message: /role ARN is not well formed/,
    },
    {
      why: 'an unknown path',
      op: {op: 'replace', path: '/apiKeyVersion', value: '5'},
      message: /^Invalid patch path {2}'\/apiKeyVersion' specified for op 'replace'/,
    },
    {why: 'a negative limit', op: {op: 'replace', path: '/throttle/burstLimit', value: '-1'}, message: /Invalid throttle value/},
  ]
  for (const r of refused) {
    it(`refuses ${r.why} and changes nothing`, async () => {
      const before = await t.v1.send(new GetAccountCommand({}))
      await assert.rejects(update([r.op]), (e: SdkError) => {
        assert.equal(e.name, 'BadRequestException')
        assert.equal(e.$metadata?.httpStatusCode, 400)
        assert.match(e.message, r.message)
        return true
      })
      const afterwards = await t.v1.send(new GetAccountCommand({}))
      assert.deepEqual(afterwards.throttleSettings, before.throttleSettings)
      assert.equal(afterwards.cloudwatchRoleArn, before.cloudwatchRoleArn)
    })
  }
})
