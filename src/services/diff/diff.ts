/**
 * `apigw diff`: load two specs (files, git revisions or a deployed stage), diff them, run the checks with the
 * levels and ignores of apigw.yaml, and locate each finding in the file where it is (the revision for
 * additions and changes, the base for removals).
 */
import {resolve} from 'node:path'
import {registry} from '../../core/checks/registry.ts'
import {runChecks} from '../../core/checks/run-checks.ts'
import type {IgnoreRule} from '../../core/checks/types.ts'
import {diffSpecs} from '../../core/diff/diff-specs.ts'
import {normaliseForStageDiff} from '../../core/diff/normalise-export.ts'
import {atOrAbove, countByLevel, type Finding, sortFindings} from '../../core/findings.ts'
import {bundleSpec} from '../../core/spec/bundle.ts'
import type {Spec} from '../../core/spec/load.ts'
import type {Deps} from '../../deps.ts'
import {CliError} from '../../errors.ts'
import {loadProject, relativePath, selectAnyApi, selectApi} from '../project.ts'
import {type LoadedRef, loadFileOrGitRef, parseSpecRef, type SpecRef} from './spec-ref.ts'
import {appendFileSafely, writeFileSafely} from '../../safe-files.ts'
import type {DiffOptions, DiffResult} from './types.ts'
import {diffDomainsOf, specOfConfigFile} from './domains.ts'

export type {DiffOptions, DiffResult} from './types.ts'
export {refsAreConfigFiles} from './domains.ts'

type Side = {label: string; doc: Record<string, unknown>; spec?: Spec}

export async function diff(options: DiffOptions, deps: () => Promise<Deps>): Promise<DiffResult> {
  const baseRef = parseSpecRef(options.base)
  const revisionRef = options.revision ? parseSpecRef(options.revision) : undefined
  const needsProject =
    options.specPath === undefined && (revisionRef === undefined || baseRef.kind !== 'file' || revisionRef.kind !== 'file')
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath, required: needsProject})
  // A WebSocket API (named, or the config's only API) has its routes in apigw.yaml: compared route by route.
  const any = project && (options.specPath === undefined || options.api !== undefined) ? selectAnyApi(project, options.api) : undefined
  if (project && any?.api.type === 'websocket') return (await import('./websocket.ts')).diffWebSocket(options, project, any, deps)
  const selected = project && options.specPath === undefined ? selectApi(project, options.api) : undefined
  const defaultSpec = options.specPath !== undefined ? resolve(options.cwd, options.specPath) : selected?.specPath
  const apiType = selected?.api.type ?? 'rest'
  const stageMode = baseRef.kind === 'stage' || revisionRef?.kind === 'stage'
  const refOptions = {
    cwd: options.cwd,
    projectDir: options.specPath === undefined ? project?.dir : undefined,
    allowRefOutside: options.allowRefOutside,
  }
  // Sides given as apigw.yaml files are named by the file and the spec (`old/apigw.yaml (pets.yaml)`).
  const configLabels = new Map<'base' | 'revision', string>()
  const load = async (ref: SpecRef | undefined, which: 'base' | 'revision'): Promise<Side> => {
    if (ref === undefined) {
      if (!defaultSpec)
        throw new CliError('USAGE', 'Nothing to compare the base with: no --revision, --spec or apigw.yaml API.', {
          hint: 'Pass --revision <file|git:rev|stage:name>, or --spec <file>.',
        })
      return bundled(fromLoaded(await loadFileOrGitRef({kind: 'file', path: defaultSpec}, refOptions)))
    }
    if (ref.kind === 'stage') {
      if (!selected)
        throw new CliError('USAGE', 'stage: references need an API from apigw.yaml.', {
          hint: 'Run in a project with apigw.yaml (or pass --config), naming the API if it has several.',
        })
      const {deployedStageDocument} = await import('../lifecycle/stage-export.ts')
      const doc = await deployedStageDocument(await deps(), selected.name, apiType, ref.stage, Object.keys(selected.api.stages))
      return {label: `stage:${ref.stage}`, doc}
    }
    // An apigw.yaml given as a side stands for the spec it declares for the API (and its domains: below).
    const config = selected ? specOfConfigFile(options.cwd, ref, selected.name) : undefined
    if (config && !config.spec)
      throw new CliError('USAGE', `${relativePath(config.config, options.cwd)} declares no API ${selected!.name} with a spec.`, {
        hint: 'Compare with an apigw.yaml that declares it, or pass the spec file itself.',
      })
    const specRef: SpecRef = config ? {kind: 'file', path: config.spec!} : ref
    const side = await bundled(fromLoaded(await loadFileOrGitRef(specRef, {...refOptions, defaultSpec})))
    if (config) configLabels.set(which, `${relativePath(config.config, options.cwd)} (${side.label})`)
    return side
  }
  const [base, revision] = await Promise.all([load(baseRef, 'base'), load(revisionRef, 'revision')])
  const normalise = (side: Side) => (stageMode ? normaliseForStageDiff(side.doc, apiType) : side.doc)
  const structural = diffSpecs(normalise(base), normalise(revision), {baseFile: base.label, revisionFile: revision.label})
  const config = project?.config.diff
  const report = runChecks(structural, registry, {
    levels: config?.levels ?? {},
    ignore: (config?.ignore ?? []) as IgnoreRule[],
    now: options.now,
  })
  const locate = (findings: Finding[]) => locateDiffFindings(findings, [base, revision])
  // apigw.yaml's domain names and mappings of the API, when both sides have an apigw.yaml (files or git revisions).
  const domains =
    project && selected
      ? await diffDomainsOf(options, project, selected.name, {base: baseRef, revision: revisionRef, gitPathIsConfig: false}, deps)
      : undefined
  const findings = sortFindings([...locate(report.findings), ...(domains?.findings ?? [])])
  const ignored = sortFindings([...locate(report.ignored), ...(domains?.ignored ?? [])]) as Array<Finding & {reason: string}>
  const counts = countByLevel(findings)
  return {
    base: configLabels.get('base') ?? base.label,
    revision: configLabels.get('revision') ?? revision.label,
    failOn: options.failOn,
    passed: !findings.some((f) => atOrAbove(f.level, options.failOn)),
    counts,
    findings,
    ignored,
  }
}

function fromLoaded(loaded: LoadedRef): Side & {spec: Spec} {
  return {label: loaded.label, doc: loaded.spec.doc, spec: loaded.spec}
}

/** Add line:column to findings whose file is one of the two sides (stage exports have no lines). */
function locateDiffFindings<T extends Finding>(findings: T[], sides: Side[]): T[] {
  const byLabel = new Map(sides.filter((s) => s.spec).map((s) => [s.label, s.spec!]))
  const wanted = new Map<string, string[]>()
  for (const f of findings)
    if (byLabel.has(f.location.file)) wanted.set(f.location.file, [...(wanted.get(f.location.file) ?? []), f.location.pointer])
  const positions = new Map<string, Map<string, {line: number; column: number}>>()
  for (const [label, pointers] of wanted) {
    const spec = byLabel.get(label)!
    positions.set(label, spec.locateMany(spec.file, pointers))
  }
  return findings.map((f) => {
    const pos = positions.get(f.location.file)?.get(f.location.pointer)
    return pos ? {...f, location: {...f.location, line: pos.line, column: pos.column}} : f
  })
}

/** Multi-file specs are bundled into one document first: the diff engine follows local $refs only. */
export async function bundled(side: Side): Promise<Side> {
  return side.spec && side.spec.files.size > 1 ? {...side, doc: await bundleSpec(side.spec)} : side
}

/** The formats a diff report is written in (the renderers live in output/, and the command passes one in). */
export type DiffFormat = 'text' | 'markdown' | 'json' | 'github' | 'junit'

/** Write the report where it was asked for, and append the Markdown summary to GitHub's step summary. */
export function writeDiffOutputs(
  result: DiffResult,
  options: {
    format: DiffFormat
    output?: string | undefined
    cwd: string
    stepSummary?: string | undefined
    render: (result: DiffResult, format: DiffFormat) => string
  },
): string | undefined {
  if (options.stepSummary) appendFileSafely(options.stepSummary, `${options.render(result, 'markdown')}\n`)
  if (!options.output) return undefined
  const path = resolve(options.cwd, options.output)
  writeFileSafely(path, `${options.render(result, options.format)}\n`, {force: true})
  return relativePath(path, options.cwd)
}
