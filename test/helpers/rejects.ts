/**
 * The one assertion for "this promise fails like this", for AWS SDK errors from the emulator (name, HTTP status,
 * AWS's message) and for the CLI's own CliError (code, exit code, message or hint). Returns the error for more checks.
 */
import assert from 'node:assert/strict'
import {CliError} from '../../src/errors.ts'

export type Expected = {
  /** The SDK error's name (AWS's error code), e.g. 'NotFoundException'. */
  name?: string
  /** The HTTP status AWS (or the emulator) answered. */
  status?: number
  /** The CliError's code, e.g. 'UNKNOWN_KEY'. */
  code?: string
  /** The CliError's exit code. */
  exitCode?: number
  /** The message: a string is compared whole, a RegExp matched. */
  message?: string | RegExp
  /** Matched against the message and the hint together. */
  text?: RegExp
  /** The error carries a hint (CliError). */
  hint?: boolean
}

type Failure = Error & {code?: string; hint?: string; exitCode?: number; $metadata?: {httpStatusCode?: number}}

export async function rejectsWith<E extends Error = Failure>(promise: Promise<unknown>, expected: Expected): Promise<E> {
  let caught: unknown
  await assert.rejects(promise, (e: unknown) => {
    caught = e
    return true
  })
  assert.ok(caught instanceof Error, `expected an Error, got ${String(caught)}`)
  const e: Failure = caught
  if (expected.code !== undefined || expected.exitCode !== undefined || expected.hint) {
    assert.equal(e instanceof CliError, true, `expected a CliError, got ${e.name}: ${e.message}`)
  }
  if (expected.name !== undefined) assert.equal(e.name, expected.name, e.message)
  if (expected.status !== undefined) assert.equal(e.$metadata?.httpStatusCode, expected.status, e.message)
  if (expected.code !== undefined) assert.equal(e.code, expected.code, e.message)
  if (expected.exitCode !== undefined) assert.equal(e.exitCode, expected.exitCode, e.message)
  if (typeof expected.message === 'string') assert.equal(e.message, expected.message)
  else if (expected.message) assert.match(e.message, expected.message)
  if (expected.text) assert.match(`${e.message} ${e.hint ?? ''}`, expected.text)
  if (expected.hint) assert.ok(e.hint, `every error has a hint: ${e.message}`)
  return e as unknown as E
}
