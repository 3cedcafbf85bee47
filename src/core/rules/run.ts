import type {Finding, Level} from '../findings.ts'
import {RULES} from './registry.ts'
import type {RuleContext, RuleEntry} from './types.ts'

export type LevelOverrides = Record<string, Level | 'off'>

/** Run every rule (levels from the registry, overridden by config; 'off' skips a rule). Pure but for the rules' own reads of the spec. */
export async function runRules(
  ctx: RuleContext,
  overrides: LevelOverrides = {},
  registry: readonly RuleEntry[] = RULES,
): Promise<Finding[]> {
  const findings: Finding[] = []
  for (const entry of registry) {
    const level = overrides[entry.id] ?? entry.level
    if (level === 'off') continue
    for (const f of await entry.rule(ctx)) findings.push({...f, id: entry.id, level})
  }
  return findings
}
