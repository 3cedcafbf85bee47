/**
 * `apigw export sdk`: a client for a deployed stage.
 * - `typescript`, any API type: openapi-typescript's types of the stage's exported spec, plus a small
 *   fetch-based client written beside them (core/sdk/).
 * - AWS's SDK types (REST only): GetSdkTypes says which exist and what they need (asked through `ask` at a
 *   terminal, else `--param key=value`), GetSdk makes the zip; kept as a file, or unpacked safely.
 */
import {resolve} from 'node:path'
import {zipSync} from 'fflate'
import type {SdkConfigurationProperty, SdkType} from '../../aws/export.ts'
import {operationsFromSpec} from '../../core/sdk/operations.ts'
import {renderTypescriptClient} from '../../core/sdk/typescript-client.ts'
import {readZip, ZipLimitError} from '../../core/sdk/unzip.ts'
import {CliError} from '../../errors.ts'
import {type ExportDeps, exportedOpenApi, type ExportTarget, resolveExportTarget, writeFilesSafely, writeOutputFile} from './shared.ts'
import {relativePath} from '../project.ts'

export const TYPESCRIPT = 'typescript'

export type ExportSdkOptions = {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  stage: string
  language?: string | undefined
  /** `key=value` pairs for the SDK type's configuration properties. */
  params: string[]
  /** Keep the zip here instead of unpacking it. */
  zip?: string | undefined
  /** Unpack (or write the TypeScript client) here; default `<api>-<stage>-<language>-sdk`. */
  output?: string | undefined
  force?: boolean | undefined
  /** Asks for a language at a terminal (absent: the language is required). */
  chooseLanguage?: ((choices: Array<{id: string; name: string}>) => Promise<string>) | undefined
  /** Asks for a missing required property at a terminal (absent: missing ones are a usage error). */
  ask?: ((property: SdkConfigurationProperty, language: string) => Promise<string>) | undefined
}

export type ExportSdkResult = {
  api: string
  apiId: string
  type: 'rest' | 'http'
  stage: string
  language: string
  generator: 'GetSdk' | 'openapi-typescript'
  parameters: Record<string, string>
  zip?: string | undefined
  output?: string | undefined
  files: string[]
  kept: string[]
}

const AWS_SDK_LIST = 'javascript, java, android, objectivec, swift, ruby'

export async function exportSdk(options: ExportSdkOptions, deps: ExportDeps): Promise<ExportSdkResult> {
  const params = parseParams(options.params)
  const target = await resolveExportTarget(options, deps)
  let sdkTypes: SdkType[] | undefined
  let language = options.language?.toLowerCase()
  if (!language) {
    if (!options.chooseLanguage)
      throw new CliError('USAGE', 'Missing --language.', {
        hint: `Pass --language ${TYPESCRIPT}${target.type === 'rest' ? ` or one of AWS's SDK types (${AWS_SDK_LIST})` : ''}.`,
      })
    sdkTypes = target.type === 'rest' ? await target.port.getSdkTypes() : []
    language = await options.chooseLanguage([
      {id: TYPESCRIPT, name: 'TypeScript (typed fetch client, by apigw)'},
      ...sdkTypes.map((t) => ({id: t.id, name: t.friendlyName ?? t.id})),
    ])
  }
  const base = {api: target.api, apiId: target.apiId, type: target.type, stage: target.stage, language}
  if (language === TYPESCRIPT)
    return {...base, generator: 'openapi-typescript', parameters: params, ...(await typescriptSdk(target, options, deps))}
  if (target.type === 'http') {
    throw new CliError('NOT_SUPPORTED', `AWS generates SDKs for REST APIs only, and ${target.api} is an HTTP API.`, {
      hint:
        `Generate a typed TypeScript client instead: \`apigw export sdk ` +
        `${target.api} --stage ${target.stage} --language ${TYPESCRIPT}\`.`,
    })
  }
  sdkTypes ??= await target.port.getSdkTypes()
  const sdkType = sdkTypes.find((t) => t.id === language)
  if (!sdkType) {
    throw new CliError('USAGE', `--language ${language} is not an SDK type.`, {
      hint: `Use ${[TYPESCRIPT, ...sdkTypes.map((t) => t.id)].join(', ')}.`,
    })
  }
  const parameters = await completeParameters(sdkType, params, options, deps)
  const download = await target.port.getSdk({restApiId: target.apiId, stageName: target.stage, sdkType: sdkType.id, parameters})
  if (options.zip) {
    const path = resolve(options.cwd, options.zip)
    writeOutputFile(path, download.body, Boolean(options.force))
    return {...base, generator: 'GetSdk', parameters, zip: relativePath(path, options.cwd), files: [], kept: []}
  }
  let contents: ReturnType<typeof readZip>
  try {
    contents = readZip(download.body)
  } catch (error) {
    if (error instanceof ZipLimitError)
      throw new CliError('SDK_UNSAFE_ARCHIVE', `The ${language} SDK zip from GetSdk was refused: ${error.message}. Nothing was written.`, {
        hint: 'Keep it as it is with --zip FILE and inspect it.',
        cause: error,
      })
    throw new CliError('SDK_UNSAFE_ARCHIVE', `The ${language} SDK from GetSdk is not a readable zip: ${(error as Error).message}.`, {
      hint: 'Keep it as it is with --zip FILE and inspect it.',
      cause: error,
    })
  }
  if (contents.unsafe.length > 0) {
    const list = contents.unsafe.map((u) => `${u.name} (${u.reason})`).join(', ')
    throw new CliError(
      'SDK_UNSAFE_ARCHIVE',
      `The ${language} SDK zip has entries that would be written outside ` +
        `${options.output ?? 'the output directory'} or as links: ${list}. Nothing was written.`,
      {
        hint: 'Keep the zip with --zip FILE and inspect it; apigw never unpacks links or paths that climb out of the directory.',
        details: {unsafe: contents.unsafe},
      },
    )
  }
  const dir = resolve(options.cwd, options.output ?? `${target.api}-${target.stage}-${language}-sdk`)
  const outcome = writeFilesSafely(
    dir,
    contents.entries.map((e) => ({name: e.name, data: e.data, directory: e.kind === 'directory'})),
    Boolean(options.force),
  )
  if (outcome.kept.length > 0)
    deps.progress.warn(
      `Kept ${outcome.kept.length} existing file${outcome.kept.length === 1 ? '' : 's'} ` +
        `in ${relativePath(dir, options.cwd)} (--force replaces them).`,
    )
  return {...base, generator: 'GetSdk', parameters, output: relativePath(dir, options.cwd), files: outcome.written, kept: outcome.kept}
}

function parseParams(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of raw) {
    const eq = p.indexOf('=')
    if (eq <= 0)
      throw new CliError('USAGE', `--param ${p} is not key=value.`, {
        hint: 'Pass each SDK property as --param name=value, e.g. --param classPrefix=Pets.',
      })
    out[p.slice(0, eq).trim()] = p.slice(eq + 1)
  }
  return out
}

async function completeParameters(
  sdkType: SdkType,
  given: Record<string, string>,
  options: ExportSdkOptions,
  deps: ExportDeps,
): Promise<Record<string, string>> {
  const known = new Set(sdkType.configurationProperties.map((p) => p.name))
  for (const name of Object.keys(given).sort()) {
    if (!known.has(name))
      deps.progress.warn(
        `--param ${name} is not a property of the ${sdkType.id} ` +
          `SDK${known.size ? ` (it takes ${[...known].join(', ')})` : ''}; it is sent anyway.`,
      )
  }
  const out = {...given}
  const missing: SdkConfigurationProperty[] = []
  for (const p of sdkType.configurationProperties) {
    if (out[p.name] !== undefined || !p.required) continue
    if (options.ask) out[p.name] = await options.ask(p, sdkType.id)
    else if (p.defaultValue !== undefined) out[p.name] = p.defaultValue
    else missing.push(p)
  }
  if (missing.length > 0) {
    throw new CliError('USAGE', `The ${sdkType.id} SDK needs ${missing.map((p) => p.name).join(', ')}.`, {
      hint: `Pass ${missing.map((p) => `--param ${p.name}=<${(p.friendlyName ?? p.name).toLowerCase().replace(/\s+/g, '-')}>`).join(' ')}.`,
    })
  }
  return out
}

async function typescriptSdk(
  target: ExportTarget,
  options: ExportSdkOptions,
  deps: ExportDeps,
): Promise<Pick<ExportSdkResult, 'zip' | 'output' | 'files' | 'kept'>> {
  const doc = await exportedOpenApi(target, false)
  const {generateTypes} = await import('../../core/sdk/typescript-types.ts')
  const types = await generateTypes(doc)
  const info = (doc.info ?? {}) as {title?: string}
  const client = renderTypescriptClient({
    title: info.title ?? target.api,
    stageName: target.stage,
    baseUrl: target.invokeUrl,
    operations: operationsFromSpec(doc),
    generatedAt: deps.clock(),
  })
  const index = "export * from './client.js'\nexport type {components, operations, paths} from './types.js'\n"
  const files = [
    {name: 'types.ts', data: types},
    {name: 'client.ts', data: client},
    {name: 'index.ts', data: index},
  ]
  if (options.zip) {
    const path = resolve(options.cwd, options.zip)
    const entries: Record<string, Uint8Array> = {}
    for (const f of files) entries[`${target.api}-sdk/${f.name}`] = new TextEncoder().encode(f.data)
    writeOutputFile(path, zipSync(entries), Boolean(options.force))
    return {zip: relativePath(path, options.cwd), files: [], kept: []}
  }
  const dir = resolve(options.cwd, options.output ?? `${target.api}-${target.stage}-${TYPESCRIPT}-sdk`)
  const outcome = writeFilesSafely(dir, files, Boolean(options.force))
  if (outcome.kept.length > 0)
    deps.progress.warn(
      `Kept ${outcome.kept.length} existing file${outcome.kept.length === 1 ? '' : 's'} ` +
        `in ${relativePath(dir, options.cwd)} (--force replaces them).`,
    )
  return {output: relativePath(dir, options.cwd), files: outcome.written, kept: outcome.kept}
}
