/**
 * How a worker-thread environment hands its runtime a turn's invocations (node-environment.ts to node-runtime.ts):
 * `{t: 'invokes', v}`, where `v` holds INVOKE_FIELDS values per invocation, in order: request id, payload (the event's
 * JSON), invoked ARN, trace header ('' for none), sequence number (queue-slots.ts) and timeout (ms).
 */
export const INVOKE_FIELDS = 6
