/** `apigw validate`: load the spec of an API (or --spec), run the rules, locate the findings. */
import {readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {type Finding, countByLevel, type Level, sortFindings} from '../core/findings.ts'
import {runRules} from '../core/rules/run.ts'
import type {ApiType} from '../core/rules/types.ts'
import type {Spec, SpecVersion} from '../core/spec/load.ts'
import {createLocator} from '../core/spec/locate.ts'
import type {ApiConfig, LoadedConfig} from '../core/config/config.ts'
import {loadProject, loadSpecFile, refConfinement, relativePath, selectApi} from './project.ts'

export type ValidateOptions = {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  /** Validate this file instead of the API's spec (works without apigw.yaml). */
  specPath?: string | undefined
  type?: ApiType | undefined
  /** Directories outside the project that $refs may read (--allow-ref-outside). */
  allowRefOutside?: string[] | undefined
}

export type ValidateResult = {
  api: string | null
  type: ApiType
  spec: string
  version: SpecVersion
  valid: boolean
  counts: Record<Level, number>
  findings: Finding[]
}

export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath, required: options.specPath === undefined})
  let specPath: string
  let type: ApiType = options.type ?? 'rest'
  let apiName: string | null = null
  let stageVariables: Set<string> | undefined
  if (options.specPath !== undefined) {
    specPath = resolve(options.cwd, options.specPath)
    if (project && !options.type) {
      // A --spec that is one of the config's APIs takes that API's type and stages.
      const match = Object.entries(project.config.apis).find(([, a]) => resolve(project.dir, a.spec) === specPath)
      if (match) {
        apiName = match[0]
        type = match[1].type
        stageVariables = variablesOf(match[1].stages)
      }
    }
  } else {
    const selected = selectApi(project!, options.api)
    specPath = selected.specPath
    apiName = selected.name
    type = options.type ?? selected.api.type
    stageVariables = variablesOf(selected.api.stages)
  }
  // $refs stay inside the project (or the spec's own directory with --spec) unless --allow-ref-outside.
  const root = options.specPath !== undefined || !project ? dirname(specPath) : project.dir
  const spec = await loadSpecFile(specPath, {confine: refConfinement(root, options.allowRefOutside, options.cwd, specPath)})
  return validateLoaded({spec, project, api: apiName, type, stageVariables, cwd: options.cwd})
}

/** The rules over a spec already loaded (deploy loads it once for validation and import). */
export async function validateLoaded(input: {spec: Spec; project: LoadedConfig | undefined; api: string | null; type: ApiType; stageVariables: Set<string> | undefined; cwd: string}): Promise<ValidateResult> {
  const {spec, project, type, stageVariables, cwd} = input
  const overrides = project?.config.validate?.levels ?? {}
  const api = input.api !== null ? project?.config.apis[input.api] : undefined
  // Each stage that deploys the spec, and the API's entry in apigw.yaml, for the rules that check the config against the spec.
  const stages = api ? Object.fromEntries(Object.entries(api.stages).map(([name, stage]) => [name, new Set(Object.keys(stage?.variables ?? {}))])) : undefined
  const projectContext = api && project && input.api !== null ? {file: project.path, api: input.api, usagePlans: api.usagePlans} : undefined
  const ruleFindings = await runRules({spec, apiType: type, stageVariables, stages, project: projectContext}, overrides)
  const findings = locateFindings(spec, ruleFindings, cwd, project)
  const counts = countByLevel(findings)
  return {api: input.api, type, spec: relativePath(spec.file, cwd), version: spec.version, valid: counts.error === 0, counts, findings}
}

/** Stage variables any stage of an API defines, for the stage-variable-undefined rule. */
export function stageVariablesOf(api: ApiConfig): Set<string> {
  return variablesOf(api.stages)
}

function variablesOf(stages: Record<string, {variables?: Record<string, unknown>} | undefined>): Set<string> {
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
      positions.set(file, new Map(pointers.flatMap((p) => {
        const pos = locate(p)
        return pos ? [[p, pos] as const] : []
      })))
    } else positions.set(file, spec.locateMany(file, pointers))
  }
  return sortFindings(
    findings.map((f) => {
      const pos = positions.get(f.location.file)?.get(f.location.pointer)
      return {...f, location: {...f.location, file: relativePath(f.location.file, cwd), ...(pos ? {line: pos.line, column: pos.column} : {})}}
    }),
  )
}
