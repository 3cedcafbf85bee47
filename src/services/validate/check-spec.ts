/**
 * The rules over a spec already loaded, with findings located: what `validate` reports and what `deploy`
 * checks before it sends anything.
 */
import {readFileSync} from 'node:fs'
import type {ApiConfig, LoadedConfig} from '../../core/config/config.ts'
import {countByLevel, type Finding, type Level, sortFindings} from '../../core/findings.ts'
import {runRules} from '../../core/rules/run.ts'
import type {ApiType} from '../../core/rules/types.ts'
import type {Spec, SpecVersion} from '../../core/spec/load.ts'
import {createLocator} from '../../core/spec/locate.ts'
import {relativePath} from '../project.ts'

export type ValidateResult = {
  api: string | null
  type: ApiType | 'websocket'
  /** The spec file, or apigw.yaml for a WebSocket API (declared there). */
  spec: string
  /** The OpenAPI version; null for a WebSocket API. */
  version: SpecVersion | null
  valid: boolean
  counts: Record<Level, number>
  findings: Finding[]
}

/** The rules over a spec already loaded (deploy loads it once for validation and import). */
export async function validateLoaded(input: {
  spec: Spec
  project: LoadedConfig | undefined
  api: string | null
  type: ApiType
  stageVariables: Set<string> | undefined
  cwd: string
}): Promise<ValidateResult> {
  const {spec, project, type, stageVariables, cwd} = input
  const overrides = project?.config.validate?.levels ?? {}
  const api = input.api !== null ? project?.config.apis[input.api] : undefined
  // Each stage that deploys the spec, and the API's entry in apigw.yaml, for the rules that check the config against the spec.
  const stages = api
    ? Object.fromEntries(Object.entries(api.stages).map(([name, stage]) => [name, new Set(Object.keys(stage?.variables ?? {}))]))
    : undefined
  const projectContext =
    api && api.type !== 'websocket' && project && input.api !== null
      ? {file: project.path, api: input.api, usagePlans: api.usagePlans, stageSettings: api.stages}
      : undefined
  const ruleFindings = await runRules({spec, apiType: type, stageVariables, stages, project: projectContext}, overrides)
  const findings = locateFindings(spec, ruleFindings, cwd, project)
  const counts = countByLevel(findings)
  return {api: input.api, type, spec: relativePath(spec.file, cwd), version: spec.version, valid: counts.error === 0, counts, findings}
}

/** Stage variables any stage of an API defines, for the stage-variable-undefined rule. */
export function stageVariablesOf(api: ApiConfig): Set<string> {
  return variablesOf(api.stages)
}

export function variablesOf(stages: Record<string, {variables?: Record<string, unknown>} | undefined>): Set<string> {
  const names = new Set<string>()
  for (const stage of Object.values(stages)) for (const k of Object.keys(stage?.variables ?? {})) names.add(k)
  return names
}

/** Add line and column to each finding, and show files relative to the working directory. */
export function locateFindings(spec: Spec, findings: Finding[], cwd: string, project?: LoadedConfig): Finding[] {
  const byFile = new Map<string, string[]>()
  for (const f of findings) byFile.set(f.location.file, [...(byFile.get(f.location.file) ?? []), f.location.pointer])
  const positions = new Map<string, Map<string, {line: number; column: number}>>()
  for (const [file, pointers] of byFile) {
    if (project && file === project.path && !spec.files.has(file)) {
      // A finding about apigw.yaml (a usage plan's method throttle): locate it in the config's own text.
      const locate = createLocator(file, readFileSync(file, 'utf8'))
      positions.set(
        file,
        new Map(
          pointers.flatMap((p) => {
            const pos = locate(p)
            return pos ? [[p, pos] as const] : []
          }),
        ),
      )
    } else positions.set(file, spec.locateMany(file, pointers))
  }
  return sortFindings(
    findings.map((f) => {
      const pos = positions.get(f.location.file)?.get(f.location.pointer)
      return {
        ...f,
        location: {...f.location, file: relativePath(f.location.file, cwd), ...(pos ? {line: pos.line, column: pos.column} : {})},
      }
    }),
  )
}
