import {escapePointerToken} from '../findings.ts'
import {closest} from '../words.ts'
import {listOperations} from './operations.ts'
import type {Rule, RuleFinding} from './types.ts'

/**
 * A per-method throttle of a usage plan (`usagePlans.<plan>.methods: {'GET /pets': …}` in apigw.yaml) names a
 * method of the spec: UpdateUsagePlan refuses a throttle for a resource or method the API does not have, so
 * the deploy fails half-way.
 */
export const usagePlanMethodUnknown: Rule = ({spec, project}) => {
  if (!project) return []
  const operations = listOperations(spec)
  const normalise = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p)
  const known = new Set(operations.map((o) => `${o.method} ${normalise(o.path)}`))
  const paths = new Set(operations.map((o) => normalise(o.path)))
  const anyOn = new Set(operations.filter((o) => o.method === 'ANY').map((o) => normalise(o.path)))
  const out: RuleFinding[] = []
  for (const [plan, config] of Object.entries(project.usagePlans ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const key of Object.keys(config.methods ?? {})) {
      const m = /^([A-Za-z]+|\*) +(\/\S*)$/.exec(key.trim())
      if (!m || m[2]!.includes('*')) continue
      const method = m[1]!.toUpperCase()
      const path = normalise(m[2]!)
      if (method === '*' ? paths.has(path) : known.has(`${method} ${path}`) || anyOn.has(path)) continue
      const methodsOnPath = operations.filter((o) => normalise(o.path) === path).map((o) => o.method)
      const guess = paths.has(path) ? undefined : closest(path, [...paths])
      const what = paths.has(path)
        ? `no ${method} on ${path} (it has ${methodsOnPath.join(', ')})`
        : `no path ${path}${guess ? ` (did you mean ${guess}?)` : ''}`
      out.push({
        message: `Usage plan "${plan}" throttles ${key}, but the spec has ${what}; UpdateUsagePlan refuses it.`,
        hint: `Fix or remove apis.${project.api}.usagePlans.${plan}.methods."${key}" in apigw.yaml.`,
        location: {
          file: project.file,
          pointer: `#/apis/${escapePointerToken(project.api)}/usagePlans/${escapePointerToken(plan)}/methods/${escapePointerToken(key)}`,
        },
      })
    }
  }
  return out
}
