/**
 * Access logs of HTTP API stages: one event per request in the stage's `accessLogSettings.format`
 * (`$context.*` variables, `-` for those without a value) to its log group, written behind. HTTP APIs
 * have no execution logs.
 */
import {createHash} from 'node:crypto'
import {logGroupOfArn, renderAccessLog} from '../handlers/access-log.ts'
import type {LogWriter} from '../log-writer.ts'
import {contextVariables, type HttpApiContext} from './context.ts'

const processSalt = `${process.pid}-${Date.now()}`

export function writeAccessLog(ctx: HttpApiContext, writer: LogWriter): void {
  const settings = ctx.stage?.accessLogSettings
  if (!settings?.destinationArn || !settings.format) return
  const group = logGroupOfArn(settings.destinationArn)
  if (!group) return
  const stream = createHash('md5').update(`${ctx.apiId}/${ctx.stageName}/${processSalt}`).digest('hex')
  writer.append(group, stream, renderAccessLog(settings.format, contextVariables(ctx)), ctx.deps.now().getTime())
}
