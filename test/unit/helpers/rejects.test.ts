// The shared rejectsWith helper fails when the error differs, so tests built on it can fail.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {CliError} from '../../../src/errors.ts'
import {rejectsWith} from '../../helpers/rejects.ts'

const sdkError = () =>
  Object.assign(new Error('Invalid API identifier specified'), {name: 'NotFoundException', $metadata: {httpStatusCode: 404}})

describe('rejectsWith', () => {
  it('passes on the expected SDK error and CliError, and returns the error', async () => {
    const e = await rejectsWith(Promise.reject(sdkError()), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid API identifier specified',
    })
    assert.equal(e.name, 'NotFoundException')
    await rejectsWith(Promise.reject(new CliError('UNKNOWN_KEY', 'No key cj.', {hint: 'Run `apigw keys list`.'})), {
      code: 'UNKNOWN_KEY',
      exitCode: 2,
      text: /keys list/,
      hint: true,
    })
  })

  const wrong: Array<[string, Promise<unknown>, Parameters<typeof rejectsWith>[1]]> = [
    ['a promise that resolves', Promise.resolve(1), {name: 'NotFoundException'}],
    ['another error name', Promise.reject(sdkError()), {name: 'ConflictException'}],
    ['another status', Promise.reject(sdkError()), {status: 400}],
    ['another exact message', Promise.reject(sdkError()), {message: 'Invalid API identifier'}],
    ['an SDK error where a CliError is expected', Promise.reject(sdkError()), {code: 'AWS_NOT_FOUND'}],
    ['a CliError without a hint', Promise.reject(new CliError('USAGE', 'Bad.')), {code: 'USAGE', hint: true}],
  ]
  for (const [title, promise, expected] of wrong) {
    it(`fails on ${title}`, async () => {
      await assert.rejects(rejectsWith(promise, expected), assert.AssertionError)
    })
  }
})
