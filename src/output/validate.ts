import type {ValidateResult} from '../services/validate/validate.ts'
import {type Colors, noColors, renderFindingsGithub, renderFindingsText, summaryLine} from './findings.ts'

export function renderValidate(result: ValidateResult, format: 'text' | 'github', c: Colors = noColors): string {
  if (format === 'github') return renderFindingsGithub(result.findings)
  const kind = result.type === 'rest' ? 'REST' : result.type === 'http' ? 'HTTP' : 'WebSocket'
  const form = result.version === null ? 'declared in apigw.yaml' : result.version === '2.0' ? 'Swagger 2.0' : `OpenAPI ${result.version}`
  const head = `${result.spec} (${result.api ? `${result.api}, ` : ''}${kind} API, ${form})`
  const verdict = result.valid ? (result.findings.length === 0 ? c.bold('valid') : c.bold('valid, with findings')) : c.red('invalid')
  const body = renderFindingsText(result.findings, c)
  return `${body}${body ? '\n\n' : ''}${head}: ${verdict}: ${summaryLine(result.counts)}`
}
