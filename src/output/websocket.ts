/** Human output of plan/deploy/status for WebSocket APIs. */
import type {WebSocketDeployResult, WebSocketStatusResult} from '../services/lifecycle/websocket.ts'
import {renderDomains} from './deploy.ts'
import {type Colors, noColors} from './findings.ts'
import {renderDomainStatus} from './status.ts'

const SIGN = {create: '+', update: '~', delete: '-'} as const

export function renderWebSocketDeploy(r: WebSocketDeployResult, c: Colors = noColors): string {
  const id = r.apiId ? ` ${r.apiId}` : ', not deployed'
  const head = `${c.bold(r.api)} (WebSocket API${id}), config ${r.configHash} (${r.config}), stage ${r.stage}`
  const lines = [head]
  if (r.steps.length === 0) lines.push('  no changes')
  for (const s of r.steps) lines.push(`  ${SIGN[s.action]} ${s.action} ${s.resource} ${s.key} (${s.operation})`)
  if (r.dryRun) lines.push('', c.dim('Dry run: nothing was changed.'))
  else if (r.upToDate) lines.push('', `Stage ${r.stage} is up to date (deployment ${r.deploymentId ?? '-'}).`)
  else lines.push('', `Deployed ${r.deploymentId ?? '-'} to stage ${r.stage}${r.url ? `: ${r.url}` : ''}`)
  return lines.join('\n') + renderDomains(r.domains, r.dryRun)
}

export function renderWebSocketStatus(r: WebSocketStatusResult, c: Colors = noColors): string {
  const lines = [`${c.bold(r.api)} (WebSocket API${r.apiId ? ` ${r.apiId}` : ', not deployed'}), repo config ${r.configHash}`]
  for (const s of r.stages) lines.push(`  ${s.name}  ${s.deploymentId ?? '-'}  ${s.deployedConfig ?? '-'}  ${s.sync}`)
  return lines.join('\n') + renderDomainStatus(r.domains, c)
}
