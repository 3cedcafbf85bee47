/**
 * Commands that read (validate, status, plan, diff) run on every API of apigw.yaml when it has several and no
 * [API] is given: one outcome per API, in name order, each with its own exit status; an error on one API does not
 * stop the others. The command's exit status is the worst of them.
 */
import {CliError, type ErrorCode, type ExitCode, isCliError, isErrorCode} from '../errors.ts'
import {loadProject} from './project.ts'

export type ApiOutcome<T> = {
  api: string
  /** 0, or the exit code this API alone would have given. */
  status: number
  result?: T
  error?: {code: string; message: string; hint?: string; details?: Record<string, unknown>}
  /** Why the API was left out (it has no such stage). */
  skipped?: string
}

/** The APIs to run on: every API of apigw.yaml when it has several and none was named, else undefined (run as usual). */
export async function apisToRun(options: {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  specPath?: string | undefined
}): Promise<string[] | undefined> {
  if (options.api !== undefined || options.specPath !== undefined) return undefined
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath, required: false})
  if (!project) return undefined
  const names = Object.keys(project.config.apis).sort()
  return names.length > 1 ? names : undefined
}

/**
 * Run `run` on each API in turn. `gate` turns a result into the failure it stands for (findings at error level),
 * and an API without the stage asked for is skipped rather than failed. Bugs (non-CliErrors) still throw.
 */
export async function runEachApi<T>(
  apis: string[],
  run: (api: string) => Promise<T>,
  gate?: (result: T) => CliError | undefined,
): Promise<Array<ApiOutcome<T>>> {
  const outcomes: Array<ApiOutcome<T>> = []
  for (const api of apis) {
    try {
      const result = await run(api)
      const failed = gate?.(result)
      outcomes.push({api, status: failed ? failed.exitCode : 0, result, ...(failed ? {error: withoutResult(failed)} : {})})
    } catch (error) {
      if (!isCliError(error)) throw error
      if (error.code === 'UNKNOWN_STAGE') outcomes.push({api, status: 0, skipped: error.message})
      else outcomes.push({api, status: error.exitCode, error: withoutResult(error)})
    }
  }
  return outcomes
}

/** The failure of the whole run: the worst outcome's code and exit status, every outcome as the result. */
export function worstOutcome<T>(outcomes: Array<ApiOutcome<T>>): CliError | undefined {
  const failed = outcomes.filter((o) => o.status !== 0)
  if (failed.length === 0) return undefined
  const worst = failed.reduce((a, b) => (b.status > a.status ? b : a))
  const list = failed.map((o) => `${o.api} (${o.error?.code})`).join(', ')
  const code: ErrorCode = worst.error && isErrorCode(worst.error.code) ? worst.error.code : 'GATE_FAILED'
  return new CliError(code, `${failed.length} of ${outcomes.length} APIs failed: ${list}.`, {
    hint: `${worst.error?.hint ?? 'See each API above.'} Pass an API name to run on one API.`,
    exitCode: worst.status as ExitCode,
    details: {result: outcomes},
  })
}

function withoutResult(error: CliError): NonNullable<ApiOutcome<unknown>['error']> {
  const json = error.toJSON()
  if (json.details) {
    const {result: _result, ...rest} = json.details
    if (Object.keys(rest).length > 0) json.details = rest
    else delete json.details
  }
  return json
}
