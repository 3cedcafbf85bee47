/**
 * The function host's contract with the data plane (integrations/lambda.ts) and the emulator's server:
 * a Lambda function defined in apigw.yaml (`functions:`), an invocation, and what it answers, in the
 * terms of Lambda's Invoke API (status code, payload, X-Amz-Function-Error).
 */

/** One entry of apigw.yaml's `functions:` (the JSON Schema in schemas/apigw.schema.json checks it). */
export type FunctionDefinition = {
  /** Node handler `path/file.export`, relative to apigw.yaml (.js, .mjs, .cjs, .ts, .mts, .cts); with `command`, passed as `_HANDLER`. */
  handler?: string | undefined
  /** Any runtime speaking the Lambda Runtime API: a string (run by /bin/sh) or an argv list. */
  command?: string | string[] | undefined
  /** Seconds, 1 to 900 (Lambda's default: 3). */
  timeout?: number | undefined
  environment?: Record<string, string | number | boolean> | undefined
  /** MB, 128 to 10240 (Lambda's default: 128); caps the Node heap as Lambda's Node runtime does. */
  memorySize?: number | undefined
}

export type InvocationType = 'RequestResponse' | 'Event'

export type InvokeOptions = {
  invocationType?: InvocationType
  requestId?: string
  /** API Gateway's X-Amzn-Trace-Id for this call: the function sees it as `_X_AMZN_TRACE_ID`, as on Lambda. */
  traceId?: string
}

/** What Lambda's Invoke API answers: 200 (or 202 for Event) and the payload; errors carry `functionError`. */
export type InvokeResult = {
  statusCode: number
  payload: Buffer
  functionError?: 'Unhandled' | 'Handled'
  /** The tail of the invocation's log (Invoke API `X-Amz-Log-Result`, decoded), when the runner has it. */
  logs?: string
}

export type FunctionHost = {
  /**
   * Invoke a function by name or by any Lambda ARN form (`arn:aws:lambda:REGION:ACCT:function:NAME[:ALIAS]`,
   * `ACCT:function:NAME`, `NAME:ALIAS`) or API Gateway integration URI
   * (`arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations`).
   * Rejects with FunctionNotFoundError when the function is neither local nor known to --lambda-endpoint,
   * and FunctionEndpointError when --lambda-endpoint cannot be reached.
   */
  invoke(functionRef: string, payload: Buffer | string, opts?: InvokeOptions): Promise<InvokeResult>
  /** True when apigw.yaml defines the function locally. */
  isLocal(functionRef: string): boolean
  close(): Promise<void>
}

/** A log event written to the emulator's Logs store. */
export type LogEvent = {timestamp: number; message: string}

/** Where function output goes: `/aws/lambda/NAME`, one stream per execution environment. */
export type LogSink = {
  write(group: string, stream: string, events: LogEvent[]): void
  flush(): Promise<void>
}

/** No function of that name locally, and no --lambda-endpoint that knows it. */
export class FunctionNotFoundError extends Error {
  readonly functionName: string
  readonly hint: string
  constructor(functionName: string, message: string, hint: string) {
    super(message)
    this.name = 'FunctionNotFoundError'
    this.functionName = functionName
    this.hint = hint
  }
}

/** --lambda-endpoint could not be reached, or answered something that is not the Invoke API. */
export class FunctionEndpointError extends Error {
  readonly functionName: string
  readonly hint: string
  constructor(functionName: string, message: string, hint: string, options?: {cause?: unknown}) {
    super(message, options)
    this.name = 'FunctionEndpointError'
    this.functionName = functionName
    this.hint = hint
  }
}
