/**
 * The project a command works on: apigw.yaml (found upwards from the working directory, or --config), the
 * API it names ([API] may be left out when there is one), and the spec path of that API.
 */
import {existsSync, realpathSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {type ApiConfig, closest, type LoadedConfig, parseConfig, type SpecApiConfig} from '../core/config/config.ts'
import {type LoadSpecOptions, loadSpec, type Spec} from '../core/spec/load.ts'
import {isInputProblem, MAX_SOURCE_BYTES} from '../core/spec/problem.ts'
import {CliError, type ErrorCode} from '../errors.ts'
import {readSourceBytes} from '../safe-files.ts'

export {readSourceBytes}

export const CONFIG_NAMES = ['apigw.yaml', 'apigw.yml']

/** The nearest apigw.yaml at or above `cwd`, or undefined. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd)
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = join(dir, name)
      if (existsSync(candidate)) return candidate
    }
    const up = dirname(dir)
    if (up === dir) return undefined
    dir = up
  }
}

/** A problem found by core/spec or core/config, as the CLI error with the same code; anything else as it is. */
export function asCliError(error: unknown): unknown {
  if (!isInputProblem(error)) return error
  return new CliError(error.code, error.message, {hint: error.hint, ...(error.details ? {details: error.details} : {}), cause: error})
}

/**
 * Where a spec's $refs may lead: the project's directory (or the spec's own with --spec), the spec's own
 * directory when apigw.yaml names a spec outside the project, and each --allow-ref-outside directory.
 */
export function refConfinement(
  root: string,
  allowOutside: readonly string[] = [],
  cwd = process.cwd(),
  specFile?: string,
): NonNullable<LoadSpecOptions['confine']> {
  const roots = [root, ...allowOutside.map((dir) => resolve(cwd, dir))]
  if (specFile !== undefined && relative(root, specFile).startsWith('..')) roots.push(dirname(specFile))
  return {roots, realpath: (p) => realpathSync(p)}
}

/** Load a spec through the one entry point, with problems as CLI errors (exit 3). */
export async function loadSpecFile(path: string, options: Omit<LoadSpecOptions, 'read'> & {read?: LoadSpecOptions['read']}): Promise<Spec> {
  try {
    return await loadSpec(path, {read: readSourceBytes, ...options})
  } catch (error) {
    throw asCliError(error)
  }
}

/** Load apigw.yaml from --config or by searching upwards. `required: false` returns undefined when there is none. */
export async function loadProject(options: {
  cwd: string
  configPath?: string | undefined
  required?: boolean
}): Promise<LoadedConfig | undefined> {
  const path = options.configPath ? resolve(options.cwd, options.configPath) : findConfigFile(options.cwd)
  if (!path) {
    if (options.required === false) return undefined
    throw new CliError('CONFIG_NOT_FOUND', `No apigw.yaml in ${options.cwd} or any parent directory.`, {
      hint: 'Run `apigw init` to scaffold one, pass --config <file>, or pass --spec <file> where the command takes it.',
    })
  }
  let bytes: Buffer
  try {
    bytes = readSourceBytes(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const [cliCode, message]: [ErrorCode, string] =
      code === 'ENOENT'
        ? ['CONFIG_NOT_FOUND', `No config file at ${path}.`]
        : code === 'EISDIR'
          ? ['FILE_IS_DIRECTORY', `${path} is a directory, not a config file.`]
          : code === 'ENOTREG'
            ? [
                'FILE_NOT_REGULAR',
                `The config file ${path} is not a regular file (a device, a FIFO or a socket), so apigw does not read it.`,
              ]
            : code === 'EFBIG'
              ? ['FILE_TOO_LARGE', `The config file ${path} is larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MB, the most apigw reads.`]
              : ['FILE_UNREADABLE', `The config file ${path} cannot be read: ${(error as Error).message}`]
    throw new CliError(cliCode, message, {hint: 'Pass --config <path to apigw.yaml>, or run `apigw init`.'})
  }
  try {
    return await parseConfig(path, bytes)
  } catch (error) {
    throw asCliError(error)
  }
}

export type SelectedApi = {name: string; api: SpecApiConfig; specPath: string; project: LoadedConfig}
export type SelectedAnyApi = {name: string; api: ApiConfig; project: LoadedConfig}

/**
 * Pick the API a command works on: a REST or HTTP API (with a spec). A WebSocket API is refused with
 * NOT_SUPPORTED: the commands that handle them call selectAnyApi first.
 */
export function selectApi(project: LoadedConfig, name: string | undefined, command = 'This command'): SelectedApi {
  const selected = selectAnyApi(project, name)
  if (selected.api.type === 'websocket') {
    throw new CliError('NOT_SUPPORTED', `${command} does not support WebSocket APIs yet (API "${selected.name}").`, {
      hint: 'init, validate, diff, plan, deploy, status and ws handle WebSocket APIs today; LIMITATIONS.md lists the rest.',
    })
  }
  return {name: selected.name, api: selected.api, specPath: resolve(project.dir, selected.api.spec), project}
}

/** Pick the API a command works on, of any type. */
export function selectAnyApi(project: LoadedConfig, name: string | undefined): SelectedAnyApi {
  const names = Object.keys(project.config.apis).sort()
  if (name === undefined) {
    if (names.length === 1) name = names[0]!
    else {
      throw new CliError('API_REQUIRED', `${relativePath(project.path)} has ${names.length} APIs; say which one.`, {
        hint: `Pass the API name as the first argument: one of ${names.join(', ')}.`,
      })
    }
  }
  const api = project.config.apis[name]
  if (!api) {
    const guess = closest(name, names)
    throw new CliError(
      'UNKNOWN_API',
      `There is no API "${name}" in ${relativePath(project.path)}${guess ? ` (did you mean "${guess}"?)` : ''}.`,
      {
        hint: `Known APIs: ${names.join(', ')}.`,
      },
    )
  }
  return {name, api, project}
}

/** Pick a stage of the API, with the known ones listed when it is unknown. */
export function selectStage(selected: SelectedAnyApi, stage: string): void {
  const names = Object.keys(selected.api.stages).sort()
  if (selected.api.stages[stage] !== undefined) return
  const guess = closest(stage, names)
  throw new CliError(
    'UNKNOWN_STAGE',
    `API "${selected.name}" has no stage "${stage}" in ` +
      `${relativePath(selected.project.path)}${guess ? ` (did you mean "${guess}"?)` : ''}.`,
    {
      hint:
        names.length > 0
          ? `Known stages: ${names.join(', ')}; or add it under apis.${selected.name}.stages.`
          : `Add it under apis.${selected.name}.stages in apigw.yaml.`,
    },
  )
}

/**
 * The next step when a stage does not exist on AWS: deploy it, when apigw.yaml declares it; otherwise that it is not
 * declared, with the declared ones (a deploy of an undeclared stage would be refused). No final full stop.
 */
export function missingStageHint(api: string, declared: readonly string[], stage: string): string {
  if (declared.includes(stage)) return `Deploy it first: \`apigw deploy ${api} --stage ${stage}\``
  const names = [...declared].sort()
  const guess = closest(stage, names)
  const listed = names.length > 0 ? `declared: ${names.join(', ')}` : 'it declares none'
  return (
    `Stage ${stage} is not declared for ${api} in apigw.yaml (${listed}${guess ? `; did you mean "${guess}"?` : ''}); ` +
    `to deploy it, add it under apis.${api}.stages first`
  )
}

/** A path relative to the working directory when that is shorter, for messages. */
export function relativePath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path)
  return rel && !rel.startsWith('..') && rel.length < path.length ? rel : path
}
