/** Helpers of the local function host's tests: a payload as JSON both ways, and polling for a condition. */
import type {InvokeResult} from '../../src/local/data-plane/functions/index.ts'

export type Json = Record<string, unknown>

/** The payload a function answered, parsed. */
export const json = (r: InvokeResult): Json => JSON.parse(r.payload.toString('utf8')) as Json

/** An invocation's payload. */
export const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value))

/** Poll `probe` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
