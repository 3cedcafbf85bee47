/**
 * AWS's recorded answers for the v1 Update* operations and VPC links
 * (test/fixtures/ground-truth/v1-updates-vpc-links.json, copied from LocalStack's AWS-validated snapshots).
 */
import {readFileSync} from 'node:fs'
import {rejectsWith} from '../helpers/rejects.ts'

export type Recorded = {status: number; body?: Record<string, unknown>; error?: string; message?: string}

const FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/ground-truth/v1-updates-vpc-links.json', import.meta.url), 'utf8')) as {
  recordings: Record<string, Record<string, Recorded>>
}

/** One recorded answer, by the start of its test's name and its snapshot key. */
export function recorded(test: string, key: string): Recorded {
  const group = Object.entries(FIXTURE.recordings).find(([name]) => name.startsWith(test))?.[1]
  const entry = group?.[key]
  if (!entry) throw new Error(`no recording ${test} / ${key}`)
  return entry
}

/** The SDK call fails as AWS's recording says (code, status, message). */
export async function failsAsRecorded(promise: Promise<unknown>, test: string, key: string): Promise<void> {
  const r = recorded(test, key)
  await rejectsWith(promise, {name: r.error!, status: r.status, message: r.message!})
}

/** An SDK answer without $metadata, for comparing with a recorded body. */
export const plain = (out: object): Record<string, unknown> => {
  const {$metadata: _m, ...rest} = out as Record<string, unknown>
  return rest
}
