/**
 * What `export spec` and `export sdk` share: the API and stage resolved on AWS (or the emulator), the
 * stage's exported OpenAPI document, and writing files into a directory safely (never through a link,
 * never outside it, existing files kept unless forced).
 */
import {lstatSync, mkdirSync, writeFileSync} from 'node:fs'
import {dirname, relative, resolve, sep} from 'node:path'
import type {ExportPort} from '../../aws/export.ts'
import {CliError} from '../../errors.ts'
import {type LifecycleDeps, type Ports, portsFor, requireApi} from '../lifecycle/find-api.ts'
import {stageDocument} from '../lifecycle/stage-export.ts'
import {readStage} from '../lifecycle/stages.ts'
import {loadProject, selectApi} from '../project.ts'

export type ExportDeps = LifecycleDeps & {exportPort?: ExportPort}

/** `ports.exports` is the export port (or the one the deps override it with); `port` is the same one, for GetSdk. */
export type ExportTarget = {api: string; type: 'rest' | 'http'; apiId: string; stage: string; region: string; invokeUrl: string; ports: Ports; port: ExportPort}

/** The API of apigw.yaml found on AWS, with the stage checked to exist there. */
export async function resolveExportTarget(options: {cwd: string; configPath?: string | undefined; api?: string | undefined; stage: string}, deps: ExportDeps): Promise<ExportTarget> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectApi(project!, options.api)
  const made = portsFor(deps)
  const ports = deps.exportPort ? {...made, exports: deps.exportPort} : made
  const found = await requireApi(ports, selected.api.type, selected.name)
  const stage = await readStage(ports, selected.api.type, found.id, options.stage)
  if (!stage) {
    const known = Object.keys(selected.api.stages).sort()
    throw new CliError('AWS_NOT_FOUND', `${selected.name} has no deployed stage ${options.stage}.`, {
      hint: `Deploy it first: \`apigw deploy ${selected.name} --stage ${options.stage}\`${known.length ? ` (stages in apigw.yaml: ${known.join(', ')})` : ''}; or check --region, --profile, --local.`,
    })
  }
  const region = ports.region
  const path = selected.api.type === 'http' && options.stage === '$default' ? '' : `/${options.stage}`
  return {
    api: selected.name,
    type: selected.api.type,
    apiId: found.id,
    stage: options.stage,
    region,
    invokeUrl: `https://${found.id}.execute-api.${region}.amazonaws.com${path}`,
    ports,
    port: ports.exports,
  }
}

/** The stage's OpenAPI 3 document as JSON text (REST: GetExport oas30; HTTP: ExportApi). */
export async function exportedOpenApi(target: ExportTarget, includeExtensions: boolean): Promise<Record<string, unknown>> {
  return stageDocument(target.ports, {type: target.type, apiId: target.apiId, stage: target.stage, extensions: includeExtensions ? ['apigateway'] : [], includeExtensions})
}

export type WriteOutcome = {dir: string; written: string[]; kept: string[]}

/**
 * Write files under `dir`. Every path is checked to stay inside it, no existing link is followed (a link
 * at the target or in a parent is refused), and an existing file is kept unless `force`.
 */
export function writeFilesSafely(dir: string, files: Array<{name: string; data: Uint8Array | string; directory?: boolean}>, force: boolean): WriteOutcome {
  const root = resolve(dir)
  mkdirSync(root, {recursive: true})
  if (lstatSync(root).isSymbolicLink()) throw unsafe(root, 'the output directory is a symbolic link')
  const written: string[] = []
  const kept: string[] = []
  for (const f of files) {
    const target = resolve(root, f.name)
    if (target !== root && !target.startsWith(root + sep)) throw unsafe(f.name, 'escapes the output directory')
    assertNoLinks(root, f.directory ? target : dirname(target), f.name)
    const existing = lstatOrUndefined(target)
    if (existing?.isSymbolicLink()) throw unsafe(f.name, 'is a symbolic link in the output directory')
    if (f.directory) {
      mkdirSync(target, {recursive: true})
      continue
    }
    if (existing?.isDirectory()) throw unsafe(f.name, 'is a directory in the output directory')
    mkdirSync(dirname(target), {recursive: true})
    if (existing && !force) {
      kept.push(relative(root, target))
      continue
    }
    writeFileSync(target, f.data)
    written.push(relative(root, target))
  }
  return {dir: root, written: written.sort(), kept: kept.sort()}
}

function assertNoLinks(root: string, dir: string, name: string): void {
  let cur = root
  for (const part of relative(root, dir).split(sep).filter(Boolean)) {
    cur = resolve(cur, part)
    const st = lstatOrUndefined(cur)
    if (!st) return
    if (st.isSymbolicLink()) throw unsafe(name, `would be written through the symbolic link ${relative(root, cur)}`)
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path)
  } catch {
    return undefined
  }
}

function unsafe(name: string, why: string): CliError {
  return new CliError('SDK_UNSAFE_ARCHIVE', `Refused to write ${name}: it ${why}.`, {hint: 'Nothing outside the output directory is written; pick an empty --output directory, or inspect the archive with --zip FILE.'})
}

/** Write one file, refusing to replace an existing one unless `force`. */
export function writeOutputFile(path: string, data: Uint8Array | string, force: boolean): void {
  try {
    mkdirSync(dirname(path), {recursive: true})
    writeFileSync(path, data, {flag: force ? 'w' : 'wx'})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliError('FILE_EXISTS', `${path} already exists.`, {hint: 'Pass --force to replace it, or another path.'})
    }
    throw new CliError('FILE_UNWRITABLE', `Cannot write ${path}: ${(error as Error).message}`, {hint: 'Pick another path, or check the directory and its permissions.', cause: error})
  }
}
