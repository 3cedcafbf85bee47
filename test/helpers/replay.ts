/**
 * Replay AWS ground-truth recordings (corpus/aws-ground-truth/*.json) against the emulator: turn an SDK v3
 * call into the boto3-shaped dict the recordings hold, and compare it with the recorded response after
 * normalising ids and dates.
 *
 * - A placeholder (`<id:1>`, `<name:2>`, `<region>`…) binds to the first value seen and must then be the
 *   same everywhere in the test; placeholders inside strings (`Invalid API identifier specified 111111111111:<id:1>`)
 *   bind too.
 * - `datetime` matches any timestamp (a Date from the SDK, or a number).
 * - Recorded objects where the wire has a JSON string (requestTemplates, GetExport bodies) match the parsed string.
 * - The recorded account id 111111111111 stands for the emulator's account id.
 * - Every other member, status code, error code and message must be equal; extra or missing members fail.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'

/** The fixture copies of the recordings (test/fixtures/ground-truth, see its SOURCE.md). */
export const CORPUS_DIR = new URL('../fixtures/ground-truth', import.meta.url).pathname
export const RECORDED_ACCOUNT_ID = '111111111111'

export type RecordedCall = {
  test_id: string
  key: string
  operation: string
  request: Record<string, unknown>
  response: Record<string, unknown>
}
export type Recording = {title: string; calls: RecordedCall[]; inputs?: Record<string, {source_path: string; content: unknown}>}

/** Load a recording by path, or by file name from the fixture copies. */
export function loadRecording(fileOrPath: string): Recording {
  const path = fileOrPath.includes('/') ? fileOrPath : `${CORPUS_DIR}/${fileOrPath}`
  return JSON.parse(readFileSync(path, 'utf8')) as Recording
}

/** The recorded call with this snapshot key (and test id substring, when keys repeat across tests). */
export function recordedCall(recording: Recording, key: string, testId?: string): RecordedCall {
  const call = recording.calls.find((c) => c.key === key && (testId === undefined || c.test_id.includes(testId)))
  assert.ok(call, `no recorded call ${key}${testId ? ` in ${testId}` : ''}`)
  return call
}

/** Placeholder → value, per recorded test. */
export class Bindings {
  readonly values = new Map<string, string>()
  constructor(initial: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, v)
  }
  /** The value a placeholder was bound to (for building later requests). */
  get(placeholder: string): string {
    const v = this.values.get(placeholder)
    assert.ok(v !== undefined, `placeholder ${placeholder} is not bound yet`)
    return v
  }
  bind(placeholder: string, actual: string, where: string): void {
    const seen = this.values.get(placeholder)
    if (seen === undefined) this.values.set(placeholder, actual)
    else assert.equal(actual, seen, `${where}: ${placeholder} was ${seen}, now ${actual}`)
  }
}

export type CompareOptions = {
  /** The emulator's account id, written where the recording has 111111111111. */
  accountId?: string
  /** Literal tokens the recorder masked (e.g. `date`), matching any text. */
  wildcards?: string[]
  /** Members (by key) not compared at all. */
  ignoreKeys?: string[]
}

const PLACEHOLDER = /<[a-z][a-z0-9-]*(?::\d+)?>/g

type Result = Record<string, unknown>

/**
 * Run an SDK call and shape its outcome like a boto3 response: output members plus
 * `ResponseMetadata.HTTPStatusCode`, or for an error `{Error: {Code, Message}, message, ResponseMetadata}`.
 */
export async function callAsBoto(promise: Promise<unknown>): Promise<Result> {
  try {
    const out = (await promise) as Result & {$metadata?: {httpStatusCode?: number}}
    const {$metadata, ...members} = out
    for (const [k, v] of Object.entries(members)) if (v === undefined) delete members[k]
    if (members.body instanceof Uint8Array) members.body = Buffer.from(members.body).toString('utf8')
    return {...members, ResponseMetadata: {HTTPHeaders: {}, HTTPStatusCode: $metadata?.httpStatusCode}}
  } catch (error) {
    const e = error as Error & {$metadata?: {httpStatusCode?: number}; $fault?: string}
    if (!e.$metadata) throw error
    return {
      Error: {Code: e.name, Message: e.message},
      message: e.message,
      ResponseMetadata: {HTTPHeaders: {}, HTTPStatusCode: e.$metadata.httpStatusCode},
    }
  }
}

/** Assert that `actual` (from callAsBoto) matches the recorded boto3 response. */
export function assertMatchesRecording(
  actual: Result,
  recorded: Result,
  bindings: Bindings,
  options: CompareOptions = {},
  label = 'response',
): void {
  const rec = structuredClone(recorded)
  // botocore does not fill a top-level `message` for unmodelled errors (ValidationException); the SDK's shape has none either.
  if (isObj(rec.Error) && !('message' in rec)) delete (actual as Result).message
  compare(actual, rec, bindings, options, label)
}

function isObj(v: unknown): v is Result {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date)
}

function compare(actual: unknown, recorded: unknown, bindings: Bindings, options: CompareOptions, where: string): void {
  if (recorded === 'datetime') {
    assert.ok(actual instanceof Date || typeof actual === 'number', `${where}: expected a timestamp, got ${JSON.stringify(actual)}`)
    return
  }
  if (typeof recorded === 'string') {
    assert.equal(typeof actual, 'string', `${where}: expected a string like ${JSON.stringify(recorded)}, got ${JSON.stringify(actual)}`)
    matchString(actual as string, recorded, bindings, options, where)
    return
  }
  if (Array.isArray(recorded)) {
    assert.ok(Array.isArray(actual), `${where}: expected a list, got ${JSON.stringify(actual)}`)
    assert.equal(
      actual.length,
      recorded.length,
      `${where}: list length ${actual.length} ≠ recorded ${recorded.length}: ${JSON.stringify(actual)}`,
    )
    for (const [i, r] of recorded.entries()) compare(actual[i], r, bindings, options, `${where}[${i}]`)
    return
  }
  if (isObj(recorded)) {
    let value = actual
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value)
      } catch {
        assert.fail(`${where}: expected an object like ${JSON.stringify(recorded)}, got the string ${JSON.stringify(actual)}`)
      }
    }
    assert.ok(isObj(value), `${where}: expected an object, got ${JSON.stringify(actual)}`)
    const ignored = new Set(options.ignoreKeys ?? [])
    const recKeys = Object.keys(recorded).filter((k) => !ignored.has(k) && k !== 'HTTPHeaders')
    const actKeys = Object.keys(value).filter((k) => !ignored.has(k) && k !== 'HTTPHeaders')
    assert.deepEqual([...actKeys].sort(), [...recKeys].sort(), `${where}: members differ`)
    for (const k of recKeys) compare(value[k], recorded[k], bindings, options, `${where}.${k}`)
    return
  }
  if (typeof recorded === 'number' && typeof actual === 'number') {
    assert.equal(actual, recorded, `${where}`)
    return
  }
  assert.deepEqual(actual, recorded, where)
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function matchString(actual: string, recorded: string, bindings: Bindings, options: CompareOptions, where: string): void {
  const accountId = options.accountId ?? '000000000000'
  const expected = recorded.split(RECORDED_ACCOUNT_ID).join(accountId)
  const tokens: string[] = []
  let pattern = ''
  let last = 0
  const wildcardRe = options.wildcards?.length
    ? new RegExp(`(${[PLACEHOLDER.source, ...options.wildcards.map(escapeRegex)].join('|')})`, 'g')
    : new RegExp(`(${PLACEHOLDER.source})`, 'g')
  for (const m of expected.matchAll(wildcardRe)) {
    pattern += escapeRegex(expected.slice(last, m.index))
    const token = m[0]
    if (token.startsWith('<')) {
      const bound = bindings.values.get(token)
      if (bound !== undefined) pattern += escapeRegex(bound)
      else {
        tokens.push(token)
        pattern += '(.+?)'
      }
    } else pattern += '.+?'
    last = (m.index ?? 0) + token.length
  }
  pattern += escapeRegex(expected.slice(last))
  if (pattern === escapeRegex(expected)) {
    assert.equal(actual, expected, where)
    return
  }
  const found = new RegExp(`^${pattern}$`, 's').exec(actual)
  assert.ok(found, `${where}: ${JSON.stringify(actual)} does not match recorded ${JSON.stringify(recorded)}`)
  // A placeholder appearing twice in one string is bound at its first capture and checked at the others.
  for (const [i, token] of tokens.entries()) bindings.bind(token, found[i + 1]!, where)
}
