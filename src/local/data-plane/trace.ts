/**
 * X-Ray trace ids of data-plane requests, as API Gateway makes them: a client's `X-Amzn-Trace-Id` keeps its Root
 * (and its Sampled decision), otherwise a new Root `1-{8 hex digits of the epoch second}-{24 hex digits}` is made.
 * With tracing on (the stage's `tracingEnabled`) the header sent to the integration names API Gateway's own
 * segment as Parent (16 hex digits) and is sampled unless the client said Sampled=0 (the emulator samples every
 * request; AWS's default rule samples the first request of each second and 5 % of the rest); with tracing off
 * only the Root is passed on. `$context.xrayTraceId` is the Root when tracing is on, else empty.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 */
import type {InvocationContext, TraceContext} from './context.ts'

export type {TraceContext}
import {getFirst, type HeaderList} from './headers.ts'
import {randomHex} from './random.ts'

const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/

/** The trace of a request: from the client's header when it carries a valid Root, else a new one. */
export function traceOf(headers: HeaderList, nowMs: number, tracing: boolean): TraceContext {
  const incoming = getFirst(headers, 'x-amzn-trace-id')
  const fields = new Map<string, string>()
  if (incoming)
    for (const part of incoming.split(';')) {
      const eq = part.indexOf('=')
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
    }
  const given = fields.get('Root')
  const root =
    given && ROOT.test(given)
      ? given
      : `1-${Math.floor(nowMs / 1000)
          .toString(16)
          .padStart(8, '0')}-${randomHex(12)}`
  const sampled = tracing && fields.get('Sampled') !== '0'
  return {root, segment: randomHex(8), sampled, tracing}
}

/** The `X-Amzn-Trace-Id` value sent to an integration (and answered to the client by Lambda integrations). */
export function traceHeader(trace: TraceContext): string {
  return trace.tracing ? `Root=${trace.root};Parent=${trace.segment};Sampled=${trace.sampled ? 1 : 0}` : `Root=${trace.root}`
}

/** `$context.xrayTraceId`: the Root with tracing on, else undefined. */
export function xrayTraceId(trace: TraceContext | undefined): string | undefined {
  return trace?.tracing ? trace.root : undefined
}

/** The trace of a REST request, made once (on the stage's tracingEnabled) and kept on the context. */
export function requestTrace(ctx: InvocationContext): TraceContext {
  ctx.trace ??= traceOf(ctx.request.headers, ctx.requestTime.getTime(), ctx.stage?.tracingEnabled === true)
  return ctx.trace
}
