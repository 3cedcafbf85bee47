import {countByLevel, type Finding, type Level} from '../findings.ts'
import type {SpecDiff} from '../diff/types.ts'
import type {Check, CheckContext, ChecksConfig, DiffReport, Draft, IgnoreRule, RegistryEntry} from './types.ts'

/**
 * Run the checks of a registry over a structural diff. Levels come from the registry unless config.levels
 * overrides them ('off' drops an id); config.ignore moves matching findings to `ignored` with their reason.
 * Pure: the clock is config.now (defaults to the epoch, so sunset dates in the future stay in the future).
 */
export function runChecks<D = SpecDiff>(diff: D, registry: readonly RegistryEntry<D>[], config: ChecksConfig = {}): DiffReport {
  const ctx: CheckContext = {
    now: config.now ?? new Date(0),
    deprecationDays: {beta: config.deprecationDays?.beta ?? 0, stable: config.deprecationDays?.stable ?? 0},
  }
  const only = config.only ? new Set(config.only) : undefined
  const levels = new Map<string, Level>()
  const byCheck = new Map<Check<D>, true>()
  // A deprecated id names the same change as its replacement: what config says of it carries over.
  const formerIds = new Map<string, string>()
  for (const entry of registry) if (entry.deprecated) formerIds.set(entry.deprecated.replacedBy, entry.id)
  for (const entry of registry) {
    if (entry.deprecated) continue
    const former = formerIds.get(entry.id)
    if (only && !only.has(entry.id) && !(former !== undefined && only.has(former))) continue
    const level = config.levels?.[entry.id] ?? (former === undefined ? undefined : config.levels?.[former]) ?? entry.level
    if (level === 'off') continue
    levels.set(entry.id, level)
    byCheck.set(entry.check, true)
  }
  // Checks that judge a part with the others (callbacks) read the OpenAPI registry's checks only.
  ctx.checks = [...new Set(registry.filter((e) => !e.deprecated).map((e) => e.check))] as unknown as readonly Check[]
  const defaults = new Map(registry.map((e) => [e.id, config.levels?.[e.id] ?? e.level]))
  ctx.levelOf = (id) => {
    const level = defaults.get(id)
    return level === 'off' ? undefined : level
  }
  const seen = new Set<string>()
  const findings: Finding[] = []
  const ignored: Array<Finding & {reason: string}> = []
  for (const check of byCheck.keys()) {
    for (const d of check(diff, ctx)) {
      const level = levels.get(d.id)
      if (level === undefined) continue
      const key = `${d.id}\u0000${d.operation ?? ''}\u0000${d.location.file}\u0000${d.location.pointer}\u0000${d.message}`
      if (seen.has(key)) continue
      seen.add(key)
      const finding: Finding = {...d, level}
      const rule = config.ignore?.find((r) => matches(r, d, formerIds.get(d.id)))
      if (rule) ignored.push({...finding, reason: rule.reason})
      else findings.push(finding)
    }
  }
  const sorted = findings.sort(byLocation)
  return {findings: sorted, ignored: ignored.sort(byLocation), counts: countByLevel(sorted)}
}

/** The order of findings.ts sortFindings (file, line, pointer, id, message) by code unit, without localeCompare's cost. */
function byLocation(a: Finding, b: Finding): number {
  return (
    cmp(a.location.file, b.location.file) ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    cmp(a.location.pointer, b.location.pointer) ||
    cmp(a.id, b.id) ||
    cmp(a.message, b.message)
  )
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function matches(rule: IgnoreRule, d: Draft, formerId: string | undefined): boolean {
  if (rule.id !== d.id && rule.id !== formerId) return false
  if (rule.operation !== undefined && rule.operation.toUpperCase() !== (d.operation ?? '').toUpperCase()) return false
  if (rule.path !== undefined) {
    const path = d.operation?.split(' ').slice(1).join(' ') ?? ''
    if (rule.path.endsWith('*') ? !path.startsWith(rule.path.slice(0, -1)) : rule.path !== path) return false
  }
  return true
}
