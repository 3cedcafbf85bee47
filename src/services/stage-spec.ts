/** What a deployed stage runs, as an OpenAPI document: REST through GetExport, HTTP through ExportApi. */
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
  const doc = type === 'rest' ? await ports.v1.getExport(api.id, stage) : await ports.v2.exportApi(api.id, stage)
  return doc as Record<string, unknown>
}
