/**
 * `apigw diff`'s custom-domain part: apigw.yaml's `domains:` on each side (the working apigw.yaml, another
 * apigw.yaml file, or apigw.yaml at a git revision) compared for one API (core/config/domains-diff.ts), judged
 * with the levels and ignores of apigw.yaml. A side that is a spec file or a deployed stage has no `domains:`
 * to compare, and an apigw.yaml that cannot be read at a git revision (or does not parse) is left out: the
 * domain part is then skipped rather than failing the spec diff.
 */
import {readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import type {DomainConfig} from '../../core/config/domains.ts'
import {DOMAIN_DIFF_REGISTRY, type DomainsView, diffDomains} from '../../core/config/domains-diff.ts'
import type {LoadedConfig} from '../../core/config/config.ts'
import {runChecks} from '../../core/checks/run-checks.ts'
import type {DiffReport, IgnoreRule} from '../../core/checks/types.ts'
import type {Finding} from '../../core/findings.ts'
import {createLocator} from '../../core/spec/locate.ts'
import {parseSource} from '../../core/spec/source.ts'
import {relativePath} from '../project.ts'
import {parseSpecRef, readAtGitRevision, type SpecRef} from './spec-ref.ts'
import type {DiffOptions} from './types.ts'
import type {Deps} from '../../deps.ts'

type ConfigSide = {view: DomainsView; path: string; text: string}

/** The parsed apigw.yaml in `text`, or undefined when it is not one (an OpenAPI file, or not YAML/JSON at all). */
export function configDocument(path: string, text: string): {apis?: Record<string, {spec?: string}>; domains?: unknown} | undefined {
  try {
    const value = parseSource(path, text, {what: 'config file', kind: 'config'}).value as Record<string, unknown> | null
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
    if ('openapi' in value || 'swagger' in value || !('apis' in value)) return undefined
    return value as {apis?: Record<string, {spec?: string}>; domains?: unknown}
  } catch {
    return undefined
  }
}

/** A file reference that names an apigw.yaml: the spec of `api` it declares (resolved from its directory). */
export function specOfConfigFile(cwd: string, ref: SpecRef, api: string): {config: string; spec: string | undefined} | undefined {
  if (ref.kind !== 'file') return undefined
  const path = resolve(cwd, ref.path)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
  const doc = configDocument(path, text)
  if (!doc) return undefined
  const spec = doc.apis?.[api]?.spec
  return {config: path, spec: typeof spec === 'string' ? resolve(dirname(path), spec) : undefined}
}

function sideOf(path: string, label: string, text: string): ConfigSide | undefined {
  const doc = configDocument(path, text)
  if (!doc) return undefined
  const domains = doc.domains && typeof doc.domains === 'object' ? (doc.domains as Record<string, DomainConfig>) : {}
  return {view: {file: label, domains}, path, text}
}

/**
 * The domain findings of `api` between the two references, or undefined when a side has no `domains:` to compare
 * (a spec file). `stage:<name>` is the domain names the other side declares, as deployed.
 * `gitPathIsConfig`: a git reference's path names the apigw.yaml (WebSocket APIs) rather than the spec.
 */
export async function diffDomainsOf(
  options: DiffOptions,
  project: LoadedConfig,
  api: string,
  refs: {base: SpecRef; revision: SpecRef | undefined; gitPathIsConfig: boolean},
  deps: () => Promise<Deps>,
): Promise<DiffReport | undefined> {
  const load = (ref: SpecRef | undefined): ConfigSide | undefined => {
    if (ref === undefined) return sideOf(project.path, relativePath(project.path, options.cwd), readFileSync(project.path, 'utf8'))
    if (ref.kind === 'stage') return undefined
    if (ref.kind === 'git') {
      try {
        const read = readAtGitRevision(refs.gitPathIsConfig ? ref : {rev: ref.rev}, {cwd: options.cwd, defaultPath: project.path})
        return sideOf(read.path, read.label, read.bytes.toString('utf8'))
      } catch {
        return undefined
      }
    }
    const path = resolve(options.cwd, ref.path)
    try {
      return sideOf(path, relativePath(path, options.cwd), readFileSync(path, 'utf8'))
    } catch {
      return undefined
    }
  }
  let base = load(refs.base)
  let revision = load(refs.revision)
  // A deployed stage against an apigw.yaml side: the domain names that side declares for the API, as they are now.
  const deployed = async (ref: SpecRef | undefined, other: ConfigSide | undefined): Promise<ConfigSide | undefined> => {
    if (ref?.kind !== 'stage' || !other) return undefined
    // Every domain name of that side: one that no longer maps the API there may still map it as deployed.
    const names = Object.keys(other.view.domains)
    const {deployedDomains} = await import('../lifecycle/domain-status.ts')
    const domains = names.length > 0 ? await deployedDomains(project.config, names, await deps()) : {}
    return {view: {file: `stage:${ref.stage}`, domains}, path: '', text: ''}
  }
  base ??= await deployed(refs.base, revision)
  revision ??= await deployed(refs.revision, base)
  if (!base || !revision) return undefined
  const config = project.config.diff
  const report = runChecks(diffDomains(base.view, revision.view, api), DOMAIN_DIFF_REGISTRY, {
    levels: config?.levels ?? {},
    ignore: (config?.ignore ?? []) as IgnoreRule[],
    now: options.now,
  })
  const locators = new Map([base, revision].filter((s) => s.text !== '').map((s) => [s.view.file, createLocator(s.path, s.text)] as const))
  const locate = <T extends Finding>(list: T[]): T[] =>
    list.map((f) => {
      const pos = locators.get(f.location.file)?.(f.location.pointer)
      return pos ? {...f, location: {...f.location, line: pos.line, column: pos.column}} : f
    })
  return {...report, findings: locate(report.findings), ignored: locate(report.ignored)}
}

/** True when `base` (and `revision`, if given) name apigw.yaml files: diff then runs on each API, as for git:/stage:. */
export function refsAreConfigFiles(cwd: string, base: string, revision: string | undefined): boolean {
  const isConfig = (ref: string) => {
    const parsed = parseSpecRef(ref)
    if (parsed.kind !== 'file') return false
    try {
      const path = resolve(cwd, parsed.path)
      return configDocument(path, readFileSync(path, 'utf8')) !== undefined
    } catch {
      return false
    }
  }
  return isConfig(base) && (revision === undefined || isConfig(revision))
}
