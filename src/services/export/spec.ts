/**
 * `apigw export spec`: the OpenAPI document a stage really runs. REST through GetExport (oas30 or swagger,
 * JSON or YAML, the extensions asked for); HTTP through ExportApi (OAS 3.0 only). AWS's bytes are kept as
 * sent unless `stripExtensions` asks to drop every `x-amazon-apigateway-*` member.
 */
import {extname, resolve} from 'node:path'
import {parse as parseYaml, stringify as stringifyYaml} from 'yaml'
import {CliError} from '../../errors.ts'
import {downloadStageExport} from '../lifecycle/stage-export.ts'
import {type ExportDeps, resolveExportTarget, writeOutputFile} from './shared.ts'
import {relativePath} from '../project.ts'

export const SPEC_EXTENSIONS = ['integrations', 'authorizers', 'apigateway', 'postman', 'documentation'] as const

export type ExportSpecOptions = {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  stage: string
  format: 'oas30' | 'swagger'
  /** YAML output; also implied by an --output ending in .yaml or .yml. */
  yaml?: boolean | undefined
  extensions: string[]
  stripExtensions?: boolean | undefined
  /** Write here; without it the document is returned for stdout. */
  output?: string | undefined
}

export type ExportSpecResult = {
  api: string
  apiId: string
  type: 'rest' | 'http'
  stage: string
  format: 'oas30' | 'swagger'
  outputType: 'json' | 'yaml'
  extensions: string[]
  strippedExtensions: boolean
  bytes: number
  path?: string | undefined
  /** The document, when it is not written to a file. */
  content?: string | undefined
}

export async function exportSpec(options: ExportSpecOptions, deps: ExportDeps): Promise<ExportSpecResult> {
  const outputType = options.yaml || /^\.ya?ml$/i.test(extname(options.output ?? '')) ? 'yaml' : 'json'
  const extensions = [
    ...new Set(
      options.extensions
        .flatMap((e) => e.split(','))
        .map((e) => e.trim())
        .filter(Boolean),
    ),
  ].sort()
  for (const e of extensions) {
    if (!(SPEC_EXTENSIONS as readonly string[]).includes(e)) {
      throw new CliError('USAGE', `--extensions ${e} is not an export extension.`, {
        hint: `Use one or more of ${SPEC_EXTENSIONS.join(', ')}.`,
      })
    }
  }
  if (options.stripExtensions && extensions.length > 0) {
    throw new CliError('USAGE', '--extensions and --strip-extensions ask for opposite things.', {hint: 'Pass one of them.'})
  }
  const target = await resolveExportTarget(options, deps)
  if (target.type === 'http' && options.format === 'swagger') {
    throw new CliError('NOT_SUPPORTED', `${target.api} is an HTTP API, which AWS exports as OpenAPI 3.0 only.`, {
      hint: 'Drop --format swagger (oas30 is the default).',
    })
  }
  if (target.type === 'http' && extensions.length > 0)
    deps.progress.warn(
      'HTTP APIs export all their x-amazon-apigateway extensions or none; --extensions is ignored (use --strip-extensions for none).',
    )
  const strip = Boolean(options.stripExtensions)
  // Stripping parses the document, so ask for JSON and serialise it ourselves.
  const wire = strip ? 'json' : outputType
  const download = await downloadStageExport(target.ports, {
    type: target.type,
    apiId: target.apiId,
    stage: target.stage,
    format: options.format,
    yaml: wire === 'yaml',
    extensions,
    includeExtensions: !strip,
  })
  let text = new TextDecoder().decode(download.body)
  if (strip) {
    const doc = stripApiGatewayExtensions(wire === 'yaml' ? parseYaml(text) : JSON.parse(text))
    text = outputType === 'yaml' ? stringifyYaml(doc) : `${JSON.stringify(doc, null, 2)}\n`
  }
  const result: ExportSpecResult = {
    api: target.api,
    apiId: target.apiId,
    type: target.type,
    stage: target.stage,
    format: options.format,
    outputType,
    extensions: target.type === 'rest' ? extensions : [],
    strippedExtensions: strip,
    bytes: Buffer.byteLength(text),
  }
  if (options.output) {
    const path = resolve(options.cwd, options.output)
    writeOutputFile(path, text, true)
    result.path = relativePath(path, options.cwd)
  } else {
    result.content = text
  }
  return result
}

/** A copy without any `x-amazon-apigateway-*` member, at any depth. */
export function stripApiGatewayExtensions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripApiGatewayExtensions)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('x-amazon-apigateway-')) out[k] = stripApiGatewayExtensions(v)
  return out
}
