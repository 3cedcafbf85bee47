import type {Finding, Level} from '../findings.ts'
import type {SpecDiff} from '../diff/types.ts'

/** A finding before the registry gives it its level. */
export type Draft = Omit<Finding, 'level'>

export type CheckContext = {
  /** Injected clock for sunset checks. */
  now: Date
  /** Minimum days between deprecation and sunset, by stability level (oasdiff's defaults: 0). */
  deprecationDays: {beta: number; stable: number}
  /** Every check of the registry and the level of each id: for checks that judge a part with the others (callbacks). */
  checks?: readonly Check[]
  levelOf?: (id: string) => Level | undefined
}

/** One check function; it may emit several related ids (e.g. enum value added and removed). */
export type Check<D = SpecDiff> = (diff: D, ctx: CheckContext) => Draft[]

export type Area =
  | 'paths'
  | 'parameters'
  | 'request-body'
  | 'responses'
  | 'schema'
  | 'security'
  | 'servers'
  | 'webhooks'
  | 'info'
  | 'api-gateway'
  | 'websocket'
  | 'domains'

export type RegistryEntry<D = SpecDiff> = {
  id: string
  level: Level
  area: Area
  check: Check<D>
  /** No longer emitted: its change now carries `replacedBy`. Levels and ignore rules set for it still apply there. */
  deprecated?: {replacedBy: string}
}

export type IgnoreRule = {id: string; operation?: string; path?: string; reason: string}

export type ChecksConfig = {
  /** Override levels; 'off' drops the id. */
  levels?: Record<string, Level | 'off'>
  ignore?: IgnoreRule[]
  now?: Date
  /** Run only these ids (single-check tests, `--check`). */
  only?: string[]
  deprecationDays?: {beta?: number; stable?: number}
}

export type DiffReport = {
  findings: Finding[]
  ignored: Array<Finding & {reason: string}>
  counts: Record<Level, number>
}
