/**
 * An execution environment: one process or worker thread running one function (a Node runtime or a Runtime API
 * command), running one invocation at a time. An environment may take further invocations while it runs one
 * (`depth`): they wait in its queue and run in turn, which saves the round trip between two invocations, not
 * Lambda's one-at-a-time. The pool (pool.ts) owns timeouts, logs' START/END/REPORT lines and reuse.
 */

export type Invocation = {
  requestId: string
  /** The event: JSON as bytes, or as text when the caller built it as text (a Node runtime takes text). */
  payload: Buffer | string
  /** When the invocation times out (ms since the epoch), counted from when it was given to the environment. */
  deadline: number
  /** The function's timeout: an environment that queues counts it from when the invocation starts. */
  timeoutMs: number
  invokedArn: string
  traceId?: string | undefined
}

/**
 * What an invocation produced: the payload Lambda would answer, and whether it is a function error; how long it ran
 * when the runtime measured it. `notRun`: it never started (taken back from a queue, or the environment ended
 * before its turn), so it can run elsewhere.
 */
export type Outcome = {payload: Buffer; error: boolean; maxMemoryMb?: number; durationMs?: number; notRun?: boolean}

export type InitResult = {ok: true; deps: string[]} | {ok: false; payload: Buffer}

/** An invocation's event as bytes (a Runtime API command and the Lambda Invoke API take bytes). */
export function payloadBytes(payload: Buffer | string): Buffer {
  return typeof payload === 'string' ? Buffer.from(payload) : payload
}

export interface ExecutionEnvironment {
  /** The log stream of this environment: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
  readonly streamName: string
  readonly alive: boolean
  /** The runtime's process id, once started. */
  readonly pid: number | undefined
  /** Start the process and run the init phase. */
  init(): Promise<InitResult>
  /** How many invocations the environment takes at once, the running one included (1 when absent). */
  readonly depth?: number
  /**
   * Run one invocation; `started` is called when the runtime starts it (for the START log line), and `answered`, when
   * the environment supports it, the moment its answer arrives, before the next invocation's START (the END and REPORT
   * lines of queued invocations stay in order with the STARTs that follow them).
   */
  invoke(invocation: Invocation, started: () => void, answered?: (outcome: Outcome) => void): Promise<Outcome>
  /** When an invocation given to this environment started (ms since the epoch); undefined while it waits its turn. */
  startedAt?(requestId: string): number | undefined
  /** Take back an invocation still waiting its turn: true when it will not run here (its invoke() answers notRun). */
  reclaim?(requestId: string): boolean
  /**
   * Whether the runtime has answered every invocation it was given, though the answers may not have been read yet
   * (so the environment frees up as soon as this process gets to it); undefined when the runtime cannot tell.
   */
  hasAnswered?(): boolean | undefined
  /** Resolves once the output of the last invocation has arrived (the runtime asked for the next event, or exited). */
  settled(): Promise<void>
  /** SIGKILL the process (and its process group) and free its resources. */
  kill(): void
}

/** AWS's payload when the runtime process dies mid-invocation. */
export function exitErrorPayload(requestId: string, code: number | null, signal: NodeJS.Signals | null): Buffer {
  const how = signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal.replace(/^SIG/, '').toLowerCase()}` : `exit status ${code ?? 0}`
  return Buffer.from(
    JSON.stringify({errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${how}`}),
  )
}

/** Splits a byte stream into lines, keeping a partial last line until the next chunk (or `end`). */
export function lineSplitter(onLine: (line: string) => void): {push(chunk: Buffer | string): void; end(): void} {
  let rest = ''
  return {
    push(chunk) {
      const text = rest + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'))
      const lines = text.split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) onLine(line.replace(/\r$/, ''))
    },
    end() {
      if (rest !== '') onLine(rest)
      rest = ''
    },
  }
}
