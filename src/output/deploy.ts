/** Human views of deploy and of the stage moves (promote, canary, rollback). Pure. */
import type {DomainMappingOutcome, DomainOutcome} from '../services/lifecycle/domains.ts'
import type {DeployResult} from '../services/lifecycle/deploy.ts'
import type {StageMoveResult} from '../services/lifecycle/stage-move.ts'
import {type Colors, noColors} from './findings.ts'
import {renderPlan} from './plan.ts'
import {terminalSafeDeep} from './terminal-text.ts'

export function renderDeploy(raw: DeployResult, c: Colors = noColors): string {
  const r = terminalSafeDeep(raw)
  const domains = renderDomains(r.domains, r.dryRun)
  if (r.dryRun) return `${renderPlan({...r.plan, spec: r.spec}, c)}${domains}\n\n${c.dim('Dry run: nothing was changed.')}`
  const alarms = (r.plan.alarms?.changes ?? [])
    .filter((a) => a.action !== 'unchanged')
    .map((a) => `  alarm ${a.name}: ${a.action}${a.fields ? ` (${a.fields.join(', ')})` : ''}`)
  if (r.upToDate)
    return (
      [
        `${c.bold(r.api)} ${r.stage}: up to date (deployment ${r.deploymentId ?? '?'}, ` +
          `spec ${r.specHash}); no new deployment. Use --force to deploy anyway.`,
        ...alarms,
      ].join('\n') + domains
    )
  const lines: string[] = []
  if (r.createdApi) lines.push(`Created ${r.type === 'rest' ? 'REST' : 'HTTP'} API ${r.api} (${r.apiId}).`)
  if (r.plan.newDeployment) {
    lines.push(
      `${c.bold(r.api)} ${r.stage} now runs deployment ${c.bold(r.deploymentId ?? '?')} (spec ` +
        `${r.specHash})${r.previousDeploymentId ? `; it ran ${r.previousDeploymentId} before` : ''}.`,
    )
  } else {
    lines.push(`${c.bold(r.api)} ${r.stage}: settings updated; it still runs deployment ${r.deploymentId ?? '?'} (spec ${r.specHash}).`)
  }
  for (const s of r.plan.settings) lines.push(`  ${s.setting}: ${JSON.stringify(s.from)} → ${JSON.stringify(s.to)}`)
  for (const u of r.plan.usagePlans) lines.push(`  usage plan ${u.name}: ${u.action} (${u.changes.join(', ')})`)
  lines.push(...alarms)
  if (r.warnings.length > 0)
    lines.push(c.yellow(`${r.warnings.length} import warning${r.warnings.length === 1 ? '' : 's'} (deployed with --allow-warnings).`))
  if (r.previousDeploymentId && r.plan.newDeployment)
    lines.push(c.dim(`Undo: \`apigw rollback ${r.api} --stage ${r.stage} --to ${r.previousDeploymentId}\``))
  return lines.join('\n') + domains
}

const MAPPING_WORDS: Record<DomainMappingOutcome['action'], [string, string]> = {
  create: ['will be mapped', 'mapped'],
  update: ['will be remapped', 'remapped'],
  keep: ['mapped', 'mapped'],
  remove: ['will be removed (--prune)', 'removed (--prune)'],
  extra: ['not in apigw.yaml: kept (--prune removes it)', 'not in apigw.yaml: kept (--prune removes it)'],
  other: ['another stage of apigw.yaml (deployed with it)', 'another stage of apigw.yaml (deployed with it)'],
}

/** Each custom domain name of the stage: what happened, its mappings, and the DNS record to make. */
export function renderDomains(domains: readonly DomainOutcome[] | undefined, dryRun: boolean): string {
  if (!domains || domains.length === 0) return ''
  const lines: string[] = ['']
  for (const d of domains) {
    const verb = d.action === 'keep' ? 'up to date' : dryRun ? `will be ${d.action}d` : `${d.action}d`
    lines.push(`Domain ${d.domainName} (${d.endpointType}): ${verb}.`)
    for (const m of d.mappings) {
      const words = MAPPING_WORDS[m.action][dryRun ? 0 : 1]
      lines.push(`  /${m.basePath} → ${m.api} ${m.stage}: ${words}`)
    }
    lines.push(
      d.dnsTarget
        ? `  DNS: point ${d.domainName} at ${d.dnsTarget} (CNAME, or an alias record in hosted zone ${d.hostedZoneId ?? '?'}).`
        : `  DNS: the target (${d.endpointType === 'EDGE' ? 'a CloudFront name' : 'a regional name'}) is known once deploy creates it.`,
    )
  }
  return lines.join('\n')
}

export function renderStageMove(raw: StageMoveResult, c: Colors = noColors): string {
  const r = terminalSafeDeep(raw)
  const s = `${c.bold(r.api)} ${r.stage}`
  if (!r.changed) return `${s}: nothing to change (runs ${r.to ?? 'no deployment'}).`
  switch (r.action) {
    case 'promote':
      return `${s} now runs deployment ${c.bold(r.to ?? '?')}${r.from ? ` (was ${r.from})` : ''}, with its own settings from apigw.yaml.`
    case 'canary-start':
      return (
        `${s}: canary started, ${r.canary?.percentTraffic}% of traffic to ` +
        `deployment ${r.canary?.deploymentId}; the rest stays on ${r.to}.`
      )
    case 'canary-percent':
      return `${s}: canary now gets ${r.canary?.percentTraffic}% of traffic (deployment ${r.canary?.deploymentId}).`
    case 'canary-promote':
      return `${s} now runs the canary's deployment ${c.bold(r.to ?? '?')} (was ${r.from}); the canary is removed.`
    case 'canary-abort':
      return `${s}: canary removed; all traffic stays on deployment ${r.to}.`
    case 'rollback': {
      const t = r.target
      const ran = t?.ranSince ? `; it ran it from ${t.ranSince}${t.ranUntil ? ` until ${t.ranUntil}` : ''}` : ''
      const made = t?.createdDate ? `, made ${t.createdDate}${t.git ? ` from git ${t.git}` : ''}` : ''
      return `${s} rolled back to deployment ${c.bold(r.to ?? '?')} (was ${r.from}${ran})${made}.`
    }
  }
}
