/**
 * What a deployed stage runs, as an OpenAPI document: REST through GetExport (with the integrations and
 * authorizers extensions, so a diff sees them), HTTP through ExportApi (extensions included).
 */
import {createExportPort} from '../aws/export.ts'
import type {Deps} from '../deps.ts'
import {CliError} from '../errors.ts'
import {portsFor, requireApi} from './find-api.ts'

export async function exportStageSpec(deps: Deps, apiKey: string, type: 'rest' | 'http', stage: string): Promise<Record<string, unknown>> {
  const ports = portsFor(deps)
  const api = await requireApi(ports, type, apiKey)
  const found = type === 'rest' ? await ports.v1.getStage(api.id, stage) : await ports.v2.getStage(api.id, stage)
  if (!found) {
    throw new CliError('AWS_NOT_FOUND', `API "${apiKey}" (${api.id}) has no stage "${stage}".`, {
      hint: `Deploy it first: \`apigw deploy ${apiKey} --stage ${stage}\`; \`apigw status ${apiKey}\` lists the stages.`,
    })
  }
  const exports = createExportPort(deps.aws, ports.scheduler)
  const download =
    type === 'rest'
      ? await exports.getExport({restApiId: api.id, stageName: stage, exportType: 'oas30', accepts: 'application/json', extensions: ['integrations', 'authorizers']})
      : await exports.exportApi({apiId: api.id, stageName: stage, outputType: 'JSON', includeExtensions: true})
  return JSON.parse(Buffer.from(download.body).toString('utf8')) as Record<string, unknown>
}
