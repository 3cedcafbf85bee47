/**
 * What `export spec` and `export sdk` share: the API and stage resolved on AWS (or the emulator), the
 * stage's exported OpenAPI document, and writing files into a directory safely (never through a link,
 * never outside it, existing files kept unless forced).
 */
import {lstatSync, mkdirSync} from 'node:fs'
import {dirname, relative, resolve, sep} from 'node:path'
import type {ExportPort} from '../../aws/export.ts'
import {CliError} from '../../errors.ts'
import {writeFileSafely} from '../../safe-files.ts'
import {type LifecycleDeps, type Ports, portsFor, requireApi} from '../lifecycle/find-api.ts'
import {stageDocument} from '../lifecycle/stage-export.ts'
import {readStage} from '../lifecycle/stages.ts'
import {loadProject, missingStageHint, selectAnyApi, selectApi} from '../project.ts'

export type ExportDeps = LifecycleDeps & {exportPort?: ExportPort}

/** `ports.exports` is the export port (or the one the deps override it with); `port` is the same one, for GetSdk. */
export type ExportTarget = {
  api: string
  type: 'rest' | 'http'
  apiId: string
  stage: string
  region: string
  invokeUrl: string
  ports: Ports
  port: ExportPort
}

/** The API of apigw.yaml found on AWS, with the stage checked to exist there. */
export async function resolveExportTarget(
  options: {cwd: string; configPath?: string | undefined; api?: string | undefined; stage: string},
  deps: ExportDeps,
): Promise<ExportTarget> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const any = selectAnyApi(project!, options.api)
  if (any.api.type === 'websocket')
    throw new CliError(
      'NOT_SUPPORTED',
      `${any.name} is a WebSocket API, and AWS has no export for WebSocket APIs: GetExport and ExportApi (and GetSdk) ` +
        'cover REST and HTTP APIs only.',
      {hint: `Write the live API back as apigw.yaml instead: \`apigw export config ${any.name} --stage ${options.stage}\`.`},
    )
  const selected = selectApi(project!, options.api)
  const made = portsFor(deps)
  const ports = deps.exportPort ? {...made, exports: deps.exportPort} : made
  const found = await requireApi(ports, selected.api.type, selected.name)
  const stage = await readStage(ports, selected.api.type, found.id, options.stage)
  if (!stage) {
    throw new CliError('AWS_NOT_FOUND', `${selected.name} has no deployed stage ${options.stage}.`, {
      hint: `${missingStageHint(selected.name, Object.keys(selected.api.stages), options.stage)}; or check --region, --profile, --local.`,
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
  return stageDocument(target.ports, {
    type: target.type,
    apiId: target.apiId,
    stage: target.stage,
    extensions: includeExtensions ? ['apigateway'] : [],
    includeExtensions,
  })
}

export type WriteOutcome = {dir: string; written: string[]; kept: string[]}

/**
 * Write files under `dir`. Every path is checked to stay inside it, no existing link is followed (a link
 * at the target or in a parent is refused), and an existing file is kept unless `force`.
 */
export function writeFilesSafely(
  dir: string,
  files: Array<{name: string; data: Uint8Array | string; directory?: boolean}>,
  force: boolean,
): WriteOutcome {
  const root = resolve(dir)
  const at = lstatOrUndefined(root)
  if (at?.isSymbolicLink()) throw unsafe(root, 'is a symbolic link (the output directory)')
  if (at && !at.isDirectory()) throw clash(root, `${root} is a file, not a directory`)
  makeDir(root, root)
  const written: string[] = []
  const kept: string[] = []
  for (const f of files) {
    const target = resolve(root, f.name)
    if (target !== root && !target.startsWith(root + sep)) throw unsafe(f.name, 'escapes the output directory')
    assertNoLinks(root, f.directory ? target : dirname(target), f.name)
    const existing = lstatOrUndefined(target)
    if (existing?.isSymbolicLink()) throw unsafe(f.name, 'is a symbolic link in the output directory')
    if (f.directory) {
      if (existing && !existing.isDirectory()) throw clash(root, `${relative(root, target)} is a file where the SDK has a directory`)
      makeDir(root, target)
      continue
    }
    if (existing?.isDirectory()) throw clash(root, `${relative(root, target)} is a directory where the SDK has a file`)
    makeDir(root, dirname(target))
    if (existing && !force) {
      kept.push(relative(root, target))
      continue
    }
    writeFileSafely(target, f.data, {force: true})
    written.push(relative(root, target))
  }
  return {dir: root, written: written.sort(), kept: kept.sort()}
}

/** mkdir -p that turns "a file is in the way" into a clear error instead of ENOTDIR/EEXIST. */
function makeDir(root: string, dir: string): void {
  try {
    mkdirSync(dir, {recursive: true})
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOTDIR' || code === 'EEXIST') throw clash(root, `a file is in the way of the directory ${relative(root, dir) || root}`)
    throw new CliError('FILE_UNWRITABLE', `Cannot create ${dir}: ${code ?? (error as Error).message}.`, {
      hint: 'Pick another --output directory, or check its permissions.',
      cause: error,
    })
  }
}

function clash(root: string, what: string): CliError {
  return new CliError('SDK_OUTPUT_CLASH', `Cannot unpack the SDK into ${root}: ${what}. Nothing more was written.`, {
    hint: 'Pass --output with a new or empty directory, or remove what is in the way.',
  })
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
  return new CliError('SDK_UNSAFE_ARCHIVE', `Refused to write ${name}: it ${why}.`, {
    hint: 'Nothing outside the output directory is written; pick an empty --output directory, or inspect the archive with --zip FILE.',
  })
}

/** Write one file, refusing to replace an existing one unless `force`. */
export function writeOutputFile(path: string, data: Uint8Array | string, force: boolean): void {
  writeFileSafely(path, data, {force, mkdirs: true})
}
