/**
 * `apigw diff` of a WebSocket API: its routes as apigw.yaml declares them (the working file, another file or the
 * file at a git revision) or as the deployed API has them (`stage:<name>`), compared route by route and judged by
 * the WebSocket checks (core/websocket/diff.ts) with the levels and ignores of apigw.yaml.
 */
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {createApiGatewayWebSocketPort} from '../../aws/api-gateway-websocket.ts'
import {type LoadedConfig, parseConfig} from '../../core/config/config.ts'
import {runChecks} from '../../core/checks/run-checks.ts'
import type {IgnoreRule} from '../../core/checks/types.ts'
import {atOrAbove, countByLevel, type Finding, sortFindings} from '../../core/findings.ts'
import {createLocator} from '../../core/spec/locate.ts'
import {
  diffWebSocketApis,
  WEBSOCKET_DIFF_REGISTRY,
  type WebSocketApiView,
  webSocketViewOfConfig,
  webSocketViewOfLive,
} from '../../core/websocket/diff.ts'
import type {Deps} from '../../deps.ts'
import {CliError} from '../../errors.ts'
import {portsFor} from '../lifecycle/find-api.ts'
import {currentState, requireWebSocketApi} from '../lifecycle/websocket-state.ts'
import {relativePath, type SelectedAnyApi} from '../project.ts'
import type {DiffOptions, DiffResult} from './types.ts'
import {diffDomainsOf} from './domains.ts'
import {parseSpecRef, readAtGitRevision, type SpecRef} from './spec-ref.ts'

type Side = {view: WebSocketApiView; text?: string | undefined; path?: string | undefined}

export async function diffWebSocket(
  options: DiffOptions,
  project: LoadedConfig,
  selected: SelectedAnyApi,
  deps: () => Promise<Deps>,
): Promise<DiffResult> {
  if (options.specPath !== undefined)
    throw new CliError('USAGE', `${selected.name} is a WebSocket API: its routes are in apigw.yaml, and --spec does not apply.`, {
      hint: 'Drop --spec; pass --base and --revision as an apigw.yaml file, git:<rev>[:<path>] or stage:<name>.',
    })
  const baseRef = parseSpecRef(options.base)
  const revisionRef = options.revision ? parseSpecRef(options.revision) : undefined
  const byName = baseRef.kind === 'stage' || revisionRef?.kind === 'stage'
  const fromConfig = (config: LoadedConfig, label: string, text: string | undefined): Side => {
    const api = config.config.apis[selected.name]
    if (api?.type !== 'websocket')
      throw new CliError(
        'USAGE',
        `${label} has no WebSocket API named ${selected.name}` +
          `${api ? ` (it is a ${api.type === 'rest' ? 'REST' : 'HTTP'} API there)` : ''}.`,
        {hint: 'Compare with an apigw.yaml that declares it: another file, git revision or stage:<name>.'},
      )
    return {view: webSocketViewOfConfig({file: label, name: selected.name, api, byName}), text, path: config.path}
  }
  const load = async (ref: SpecRef | undefined): Promise<Side> => {
    if (ref === undefined) {
      const label = relativePath(project.path, options.cwd)
      return fromConfig(project, label, readFileSync(project.path, 'utf8'))
    }
    if (ref.kind === 'stage') return liveSide(await deps(), selected, ref.stage)
    if (ref.kind === 'git') {
      const read = readAtGitRevision(ref, {cwd: options.cwd, defaultPath: project.path})
      return fromConfig(await parseConfig(read.path, read.bytes), read.label, read.bytes.toString('utf8'))
    }
    const path = resolve(options.cwd, ref.path)
    let bytes: Buffer
    try {
      bytes = readFileSync(path)
    } catch {
      throw new CliError('CONFIG_NOT_FOUND', `No file at ${relativePath(path, options.cwd)} to compare with.`, {
        hint: 'Pass an apigw.yaml file, git:<rev>[:<path>] or stage:<name>.',
      })
    }
    return fromConfig(await parseConfig(path, bytes), relativePath(path, options.cwd), bytes.toString('utf8'))
  }
  const [base, revision] = await Promise.all([load(baseRef), load(revisionRef)])
  const structural = diffWebSocketApis(base.view, revision.view)
  const config = project.config.diff
  const report = runChecks(structural, WEBSOCKET_DIFF_REGISTRY, {
    levels: config?.levels ?? {},
    ignore: (config?.ignore ?? []) as IgnoreRule[],
    now: options.now,
  })
  const locate = <T extends Finding>(findings: T[]): T[] => locateFindings(findings, [base, revision])
  // apigw.yaml's domain names and API mappings of the API, when both sides are apigw.yaml files or git revisions.
  const refs = {base: baseRef, revision: revisionRef, gitPathIsConfig: true}
  const domains = await diffDomainsOf(options, project, selected.name, refs, deps)
  const findings = sortFindings([...locate(report.findings), ...(domains?.findings ?? [])])
  return {
    base: base.view.file,
    revision: revision.view.file,
    failOn: options.failOn,
    passed: !findings.some((f) => atOrAbove(f.level, options.failOn)),
    counts: countByLevel(findings),
    findings,
    ignored: sortFindings([...locate(report.ignored), ...(domains?.ignored ?? [])]) as Array<Finding & {reason: string}>,
  }
}

/** What the deployed API has: AWS keeps no copy of a WebSocket deployment's routes, so these are the API's own. */
async function liveSide(deps: Deps, selected: SelectedAnyApi, stage: string): Promise<Side> {
  const ports = portsFor(deps)
  const api = await requireWebSocketApi(ports, selected.name)
  const found = await ports.v2.getStage(api.id, stage)
  if (!found?.DeploymentId)
    throw new CliError(
      'AWS_NOT_FOUND',
      `Stage ${stage} of the WebSocket API ${selected.name} ${found ? 'has no deployment' : 'does not exist'}.`,
      {
        hint: `Deploy it first: \`apigw deploy ${selected.name} --stage ${stage}\`.`,
      },
    )
  const port = createApiGatewayWebSocketPort(deps.aws, ports.scheduler)
  const [state, apis, deployments] = await Promise.all([currentState(port, api.id), ports.v2.listApis(), ports.v2.listDeployments(api.id)])
  const newest = [...deployments].sort((a, b) => (b.CreatedDate?.getTime() ?? 0) - (a.CreatedDate?.getTime() ?? 0))[0]
  if (newest && newest.DeploymentId !== found.DeploymentId)
    deps.progress.warn(
      `Stage ${stage} runs deployment ${found.DeploymentId}, not the API's newest (${newest.DeploymentId}); AWS keeps no copy of a ` +
        "WebSocket deployment's routes, so stage:" +
        `${stage} is compared as the API's routes are now.`,
    )
  const live = (apis.find((a) => a.ApiId === api.id) ?? {}) as Record<string, unknown>
  return {view: webSocketViewOfLive({file: `stage:${stage}`, api: live, ...state})}
}

/** Add line:column to findings in an apigw.yaml side (a deployed stage has no lines). */
function locateFindings<T extends Finding>(findings: T[], sides: Side[]): T[] {
  const locators = new Map(
    sides.filter((s) => s.text !== undefined).map((s) => [s.view.file, createLocator(s.path ?? s.view.file, s.text!)] as const),
  )
  return findings.map((f) => {
    const pos = f.location.pointer === '' ? undefined : locators.get(f.location.file)?.(f.location.pointer)
    return pos ? {...f, location: {...f.location, line: pos.line, column: pos.column}} : f
  })
}
