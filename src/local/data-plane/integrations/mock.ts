/**
 * MOCK integrations: the status comes from the request template's output (or the passed-through body),
 * which must hold an integer `statusCode`. AWS also accepts the non-JSON `{statusCode: 200}` that CDK's
 * CORS preflight emits, so a JSON parse failure falls back to reading the member leniently.
 */
import type {InvocationContext} from '../context.ts'
import {logError} from '../context.ts'
import {GatewayError} from '../gateway-responses.ts'

export function invokeMock(ctx: InvocationContext): void {
  const text = ctx.integrationRequest?.body.toString('utf8') ?? ''
  const status = statusCodeOf(text)
  if (status === undefined) {
    logError(
      ctx,
      'Execution failed due to configuration error: Unable to parse statusCode. ' +
        'It should be an integer that is defined in the request template.',
    )
    throw new GatewayError('API_CONFIGURATION_ERROR')
  }
  ctx.integrationResult = {status, headers: [], body: Buffer.alloc(0)}
}

/** The integer `statusCode` of a MOCK request template's output, or undefined. */
export function statusCodeOf(text: string): number | undefined {
  try {
    const value = JSON.parse(text) as unknown
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const code = (value as Record<string, unknown>).statusCode
      if (typeof code === 'number' && Number.isInteger(code)) return code
      if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code)
      return undefined
    }
  } catch {
    // Lenient: `{statusCode: 200}` (unquoted member name).
    const m = /^\s*\{[\s\S]*?["']?statusCode["']?\s*:\s*["']?(\d+)["']?/.exec(text)
    if (m) return Number(m[1])
  }
  return undefined
}
