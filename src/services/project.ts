/**
 * The project a command works on: apigw.yaml (found upwards from the working directory, or --config), the
 * API it names ([API] may be left out when there is one), and the spec path of that API.
 */
import {existsSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {type ApiConfig, type LoadedConfig, parseConfig} from '../core/config/config.ts'
import {closest} from '../core/config/config.ts'
import {CliError} from '../errors.ts'

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

/** Read bytes of a file, for the spec loader (a directory or a missing file throws the fs error). */
export function readSourceBytes(path: string): Buffer {
  if (statSync(path).isDirectory()) {
    const error = new Error(`EISDIR: ${path} is a directory`) as NodeJS.ErrnoException
    error.code = 'EISDIR'
    throw error
  }
  return readFileSync(path)
}

/** Load apigw.yaml from --config or by searching upwards. `required: false` returns undefined when there is none. */
export async function loadProject(options: {cwd: string; configPath?: string | undefined; required?: boolean}): Promise<LoadedConfig | undefined> {
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
    throw new CliError(
      code === 'ENOENT' ? 'CONFIG_NOT_FOUND' : code === 'EISDIR' ? 'FILE_IS_DIRECTORY' : 'FILE_UNREADABLE',
      code === 'ENOENT' ? `No config file at ${path}.` : code === 'EISDIR' ? `${path} is a directory, not a config file.` : `The config file ${path} cannot be read: ${(error as Error).message}`,
      {hint: 'Pass --config <path to apigw.yaml>, or run `apigw init`.'},
    )
  }
  return parseConfig(path, bytes)
}

export type SelectedApi = {name: string; api: ApiConfig; specPath: string; project: LoadedConfig}

/** Pick the API a command works on. */
export function selectApi(project: LoadedConfig, name: string | undefined): SelectedApi {
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
    throw new CliError('UNKNOWN_API', `There is no API "${name}" in ${relativePath(project.path)}${guess ? ` (did you mean "${guess}"?)` : ''}.`, {
      hint: `Known APIs: ${names.join(', ')}.`,
    })
  }
  return {name, api, specPath: resolve(project.dir, api.spec), project}
}

/** Pick a stage of the API, with the known ones listed when it is unknown. */
export function selectStage(selected: SelectedApi, stage: string): void {
  const names = Object.keys(selected.api.stages).sort()
  if (selected.api.stages[stage] !== undefined) return
  const guess = closest(stage, names)
  throw new CliError('UNKNOWN_STAGE', `API "${selected.name}" has no stage "${stage}" in ${relativePath(selected.project.path)}${guess ? ` (did you mean "${guess}"?)` : ''}.`, {
    hint: names.length > 0 ? `Known stages: ${names.join(', ')}; or add it under apis.${selected.name}.stages.` : `Add it under apis.${selected.name}.stages in apigw.yaml.`,
  })
}

/** A path relative to the working directory when that is shorter, for messages. */
export function relativePath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path)
  return rel && !rel.startsWith('..') && rel.length < path.length ? rel : path
}
