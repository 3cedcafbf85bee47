/**
 * The one way apigw fetches what a deployed stage runs: REST through GetExport, HTTP through ExportApi,
 * both over the export port (src/aws/export.ts). `plan` compares against it, `diff stage:` diffs it,
 * `export spec` writes its bytes and `export sdk` generates a client from it.
 */
import type {Download} from '../../aws/export.ts'
import {CliError} from '../../errors.ts'
import {type LifecycleDeps, type Ports, portsFor, requireApi} from './find-api.ts'
import {missingStageHint} from '../project.ts'
import {readStage} from './stages.ts'

export type StageExportRequest = {
  type: 'rest' | 'http'
  apiId: string
  stage: string
  /** REST only; HTTP APIs export OpenAPI 3.0. */
  format?: 'oas30' | 'swagger' | undefined
  yaml?: boolean | undefined
  /** REST: the extensions asked for (integrations, authorizers, apigateway, postman). */
  extensions?: string[] | undefined
  /** HTTP: all x-amazon-apigateway extensions or none. */
  includeExtensions?: boolean | undefined
}

/** The stage's export, as AWS sent the bytes. */
export function downloadStageExport(ports: Ports, r: StageExportRequest): Promise<Download> {
  return r.type === 'rest'
    ? ports.exports.getExport({
        restApiId: r.apiId,
        stageName: r.stage,
        exportType: r.format ?? 'oas30',
        accepts: r.yaml ? 'application/yaml' : 'application/json',
        extensions: r.extensions ?? [],
      })
    : ports.exports.exportApi({
        apiId: r.apiId,
        stageName: r.stage,
        outputType: r.yaml ? 'YAML' : 'JSON',
        includeExtensions: r.includeExtensions ?? true,
      })
}

/** The stage's OpenAPI 3 document, parsed (JSON on the wire). */
export async function stageDocument(ports: Ports, r: Omit<StageExportRequest, 'yaml' | 'format'>): Promise<Record<string, unknown>> {
  const out = await downloadStageExport(ports, r)
  return JSON.parse(new TextDecoder().decode(out.body) || '{}') as Record<string, unknown>
}

/** What a stage of apigw.yaml's API `apiKey` runs, with the integrations and authorizers extensions (so a diff sees them). */
export async function deployedStageDocument(
  deps: LifecycleDeps,
  apiKey: string,
  type: 'rest' | 'http',
  stage: string,
  declared: readonly string[],
): Promise<Record<string, unknown>> {
  const ports = portsFor(deps)
  const api = await requireApi(ports, type, apiKey)
  if (!(await readStage(ports, type, api.id, stage))) {
    throw new CliError('AWS_NOT_FOUND', `API "${apiKey}" (${api.id}) has no stage "${stage}".`, {
      hint: `${missingStageHint(apiKey, declared, stage)}; \`apigw status ${apiKey}\` lists the stages.`,
    })
  }
  return stageDocument(ports, {type, apiId: api.id, stage, extensions: ['integrations', 'authorizers'], includeExtensions: true})
}
