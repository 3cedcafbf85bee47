/** What `apigw diff` takes and answers, for OpenAPI specs and WebSocket APIs alike. */
import type {Finding, Level} from '../../core/findings.ts'

export type DiffOptions = {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  specPath?: string | undefined
  base: string
  revision?: string | undefined
  failOn: Level
  /** Directories outside the project that the specs' $refs may read (--allow-ref-outside). */
  allowRefOutside?: string[] | undefined
  /** Injected clock for sunset checks. */
  now: Date
}

export type DiffResult = {
  base: string
  revision: string
  failOn: Level
  passed: boolean
  counts: Record<Level, number>
  findings: Finding[]
  ignored: Array<Finding & {reason: string}>
}
