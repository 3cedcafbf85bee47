/**
 * Chain step 8 (after the answer is written): one access-log event per request in the stage's format
 * (`$context.*` variables; `-` for those without a value) to the stage's log group, and the execution log
 * lines to `API-Gateway-Execution-Logs_{apiId}/{stage}` when the stage's logging level asks for them,
 * each line `(requestId) message`, as AWS writes them.
 */
import {createHash} from 'node:crypto'
import type {InvocationContext} from '../context.ts'
import {contextVariables} from '../context-vars.ts'
import type {LogWriter} from '../log-writer.ts'

const processSalt = `${process.pid}-${Date.now()}`

function streamNameFor(apiId: string, stage: string): string {
  return createHash('md5').update(`${apiId}/${stage}/${processSalt}`).digest('hex')
}

/** The log group name of a CloudWatch Logs ARN (`arn:aws:logs:r:a:log-group:NAME[:*]`). */
export function logGroupOfArn(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(arn)
  return m?.[1]
}

/** An access-log format with its `$context.*` variables filled in. */
export function renderAccessLog(format: string, context: Record<string, unknown>): string {
  return format.replace(/\$context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)/g, (_, path: string) => {
    let v: unknown = context
    for (const part of path.split('.')) {
      if (v === null || typeof v !== 'object') {
        v = undefined
        break
      }
      v = (v as Record<string, unknown>)[part]
    }
    if (v === null || v === undefined || v === '') return '-'
    return typeof v === 'object' ? JSON.stringify(v) : String(v)
  })
}

/** The stage's execution logging level for the matched method (`*\/*` or `res~1path/VERB`). */
export function loggingLevel(ctx: InvocationContext): string | undefined {
  const settings = ctx.stage?.methodSettings
  if (!settings) return undefined
  const route = ctx.route
  const key = route ? `${route.resource.path.slice(1).replace(/\//g, '~1')}/${route.declaredMethod}` : undefined
  return (key && settings[key]?.loggingLevel) || settings['*/*']?.loggingLevel
}

export function writeLogs(ctx: InvocationContext, writer: LogWriter): void {
  const stage = ctx.stage
  if (!stage || ctx.testInvoke) return
  const timestamp = ctx.deps.now().getTime()
  const settings = stage.accessLogSettings
  if (settings?.destinationArn && settings.format) {
    const group = logGroupOfArn(settings.destinationArn)
    if (group)
      writer.append(
        group,
        streamNameFor(ctx.target.apiId, stage.stageName),
        renderAccessLog(settings.format, contextVariables(ctx)),
        timestamp,
      )
  }
  const level = loggingLevel(ctx)
  if (level === 'INFO' || level === 'ERROR') {
    const group = `API-Gateway-Execution-Logs_${ctx.target.apiId}/${stage.stageName}`
    const stream = streamNameFor(ctx.target.apiId, stage.stageName)
    for (const line of executionLogLines(ctx, level)) writer.append(group, stream, `(${ctx.requestId}) ${line}`, timestamp)
  }
}

/** The execution log of a request at a level (INFO: every line; ERROR: the failures). */
export function executionLogLines(ctx: InvocationContext, level: 'INFO' | 'ERROR'): string[] {
  const lines: string[] = []
  if (level === 'INFO') {
    lines.push(`Extended Request Id: ${ctx.extendedRequestId}`)
    lines.push(`Starting execution for request: ${ctx.requestId}`)
  }
  for (const l of ctx.log) if (level === 'INFO' || l.level === 'ERROR') lines.push(l.message)
  const status = ctx.response?.status
  if (level === 'INFO' || (status !== undefined && status >= 400)) {
    if (status !== undefined && status < 400 && level === 'INFO') lines.push('Successfully completed execution')
    lines.push(`Method completed with status: ${status ?? 500}`)
  }
  return lines
}
