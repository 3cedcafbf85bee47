import {escapePointerToken} from '../findings.ts'
import type {Rule, RuleFinding} from './types.ts'

const REST_ONLY = ['caching', 'executionLogs', 'tracing'] as const

/**
 * Stage settings HTTP API stages do not have (`caching`, `executionLogs`, `tracing` exist only on REST stages):
 * refused by validate, as deploy refuses them, rather than silently ignored.
 */
export const stageSettingRestOnly: Rule = ({apiType, project}) => {
  if (apiType !== 'http' || !project?.stageSettings) return []
  const out: RuleFinding[] = []
  for (const [stage, settings] of Object.entries(project.stageSettings).sort(([a], [b]) => a.localeCompare(b))) {
    for (const key of REST_ONLY) {
      if (settings?.[key] === undefined) continue
      out.push({
        message: `Stage ${stage} sets ${key}, which exists only on REST API stages; ${project.api} is an HTTP API.`,
        hint: `Remove ${key} from apis.${project.api}.stages.${stage} in apigw.yaml (HTTP stages have throttling, accessLogs and metrics).`,
        location: {
          file: project.file,
          pointer: `#/apis/${escapePointerToken(project.api)}/stages/${escapePointerToken(stage)}/${key}`,
        },
      })
    }
  }
  return out
}
