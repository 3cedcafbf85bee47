/**
 * How a worker-thread environment hands its runtime a turn's invocations (node-environment.ts to node-runtime.ts):
 * `{t: 'invokes', v}`, where `v` holds INVOKE_FIELDS values per invocation, in order: request id, payload (the event's
 * JSON), invoked ARN, trace header ('' for none), sequence number (queue-slots.ts) and timeout (ms).
 */
export const INVOKE_FIELDS = 6

/**
 * How the runtime answers back: consecutive answers with a result (no error) of one turn go as `{t: 'dones', v}`,
 * DONE_FIELDS values each, in order: request id, result (JSON text), max memory used (MB) and duration (ms).
 */
export const DONE_FIELDS = 4
