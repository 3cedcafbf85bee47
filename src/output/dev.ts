/** Human lines of `apigw dev`: stage URLs on stdout, deploys, changes and requests on stderr. */
import type {DevEvent} from '../services/dev/dev.ts'
import type {ValidateResult} from '../services/validate/validate.ts'
import type {Colors} from './findings.ts'
import {noColors} from './findings.ts'
import {terminalSafe} from './terminal-text.ts'
import {renderValidate} from './validate.ts'

/** One event as `{stdout, stderr}` text (either may be empty). `first`: the API's first deploy in this run. */
export function renderDevEvent(event: DevEvent, c: Colors = noColors, first = false): {stdout: string; stderr: string} {
  switch (event.event) {
    case 'deployed': {
      const what = event.changed
        ? `Deployed ${event.api} to ${event.stage} (deployment ${event.deploymentId ?? '?'})`
        : `${event.api} ${event.stage} already runs this spec (deployment ${event.deploymentId ?? '?'})`
      const warnings = event.warnings.map((w) => `${c.yellow('Warning:')} ${terminalSafe(w)}\n`).join('')
      return {
        stdout: first ? `${event.api} ${event.stage}: ${event.url}  (or ${event.hostStyleUrl})\n` : '',
        stderr: `${what}\n${warnings}`,
      }
    }
    case 'deploy-failed': {
      const e = event.error
      const result = e.details?.result as ValidateResult | undefined
      const findings = e.code === 'VALIDATION_FAILED' && result?.findings ? `${renderValidate(result, 'text', c)}\n` : ''
      const serving = event.servingDeploymentId
        ? `Still serving deployment ${event.servingDeploymentId}; fix the errors and save again.`
        : 'Nothing is served for it yet; fix the errors and save again.'
      return {
        stdout: '',
        stderr:
          `${findings}${c.red('Deploy failed:')} ${event.api} ${event.stage}: ${terminalSafe(e.message)} [${e.code}]\n` +
          `${e.hint && !findings ? `Hint: ${terminalSafe(e.hint)}\n` : ''}${serving}\n`,
      }
    }
    case 'changed':
      return {stdout: '', stderr: `Changed: ${event.files.join(', ')}: deploying again\n`}
    case 'watching':
      return {stdout: '', stderr: `Watching ${event.files.join(', ')}\n`}
    case 'request': {
      const status =
        event.status >= 500 ? c.red(String(event.status)) : event.status >= 400 ? c.yellow(String(event.status)) : String(event.status)
      const api = event.api ? c.dim(` (${event.api})`) : ''
      return {stdout: '', stderr: `${event.method} ${terminalSafe(event.path)} ${status} ${Math.round(event.ms)} ms${api}\n`}
    }
    case 'ready':
      return {
        stdout: `apigw dev: serving ${event.apis.join(', ')} (stage ${event.stage}) on ${event.endpoint}\n`,
        stderr: `${event.functions.length > 0 ? `Lambda functions run locally: ${event.functions.join(', ')}\n` : ''}Ctrl-C stops.\n`,
      }
  }
}
