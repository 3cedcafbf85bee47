/** `apigw status` as a table, one row per stage, then the drift details. Pure. */
import type {DomainStatus} from '../services/lifecycle/domain-status.ts'
import type {StatusResult} from '../services/lifecycle/status.ts'
import {type Colors, noColors} from './findings.ts'
import {terminalSafeDeep} from './terminal-text.ts'

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

export function renderStatus(raw: StatusResult, c: Colors = noColors): string {
  const r = terminalSafeDeep(raw)
  const head =
    `${c.bold(r.api)} (${r.type === 'rest' ? 'REST' : 'HTTP'} ` +
    `API${r.apiId ? ` ${r.apiId}` : ', not deployed'}), repo spec ${r.specHash} (${r.spec})`
  const color = (s: string) => (s === 'in-sync' ? s : s === 'repo-ahead' ? c.yellow(s) : s === 'drifted' ? c.red(s) : c.dim(s))
  const rows = [['STAGE', 'DEPLOYMENT', 'DEPLOYED', 'COMMIT', 'SPEC', 'STATE', 'CANARY']]
  for (const s of r.stages) {
    rows.push([
      s.name + (s.configured ? '' : ' (not in apigw.yaml)'),
      s.deploymentId ?? '-',
      s.deployedAt ? s.deployedAt.slice(0, 16).replace('T', ' ') : '-',
      s.record?.git ? `${s.record.git.slice(0, 12)}${s.record.dirty ? '+dirty' : ''}` : '-',
      s.record?.spec ?? '-',
      s.sync,
      s.canary ? `${s.canary.percentTraffic}% → ${s.canary.deploymentId ?? '?'}` : '-',
    ])
  }
  const lines = [
    head,
    ...r.apiDrift.map((d) => `  API ${d.setting}: ${JSON.stringify(d.from)}, apigw.yaml ${JSON.stringify(d.to)}`),
    '',
    table(rows)
      .split('\n')
      .map((line, i) => (i === 0 ? c.dim(line) : line))
      .join('\n'),
  ]
  const urls = r.stages.filter((s) => s.invokeUrl)
  if (urls.length > 0) lines.push('', ...urls.map((s) => `${s.name}: ${s.invokeUrl}`))
  if (r.alarms && r.alarms.length > 0) {
    const state = (s: string) => (s === 'ALARM' ? c.red(s) : s === 'OK' ? s : c.yellow(s))
    lines.push('', c.bold('Alarms'))
    for (const a of r.alarms)
      lines.push(
        `  ${state(a.state)} ${a.name} (${a.metric}, stage ${a.stage})${a.state === 'missing' ? ': deploy the stage to create it' : ''}`,
      )
  }
  const docs = r.stages.filter((s) => s.documentationVersion !== undefined)
  if (docs.length > 0)
    lines.push(
      '',
      ...docs.map((s) =>
        s.documentationVersion
          ? `${s.name}: publishes documentation version ${s.documentationVersion}`
          : `${s.name}: ${c.yellow('publishes no documentation version')} (docs.publish: deploy the stage to publish one)`,
      ),
    )
  const health = r.stages.filter((s) => s.health)
  if (health.length > 0) lines.push('', ...health.map((s) => `${s.name}: ${renderHealth(s.health!, c)}`))
  for (const s of r.stages) {
    if (s.sync !== 'in-sync') lines.push(`${s.name}: ${color(s.sync)}: ${s.reason}`)
    for (const d of s.settingsDrift) lines.push(`  ${d.setting}: stage ${JSON.stringify(d.from)}, apigw.yaml ${JSON.stringify(d.to)}`)
  }
  return lines.join('\n') + renderDomainStatus(r.domains, c)
}

const MAPPING_STATE: Record<DomainStatus['mappings'][number]['state'], string> = {
  matches: 'matches apigw.yaml',
  missing: 'missing: deploy the stage to map it',
  differs: 'differs from apigw.yaml',
  extra: 'not in apigw.yaml (deploy --prune removes it)',
}

/** The custom domain names of the API (status of REST, HTTP and WebSocket APIs): DNS target, drift, mappings. */
export function renderDomainStatus(raw: readonly DomainStatus[] | undefined, c: Colors = noColors): string {
  if (!raw || raw.length === 0) return ''
  const domains = terminalSafeDeep(raw)
  const lines = ['', c.bold('Domains')]
  for (const d of domains) {
    if (!d.exists) {
      lines.push(`  ${d.domainName} (${d.endpointType}): ${c.yellow('not created')}: deploy a mapped stage to create it`)
    } else {
      lines.push(`  ${d.domainName} (${d.endpointType}): DNS target ${d.dnsTarget ?? '-'} (hosted zone ${d.hostedZoneId ?? '-'})`)
    }
    for (const s of d.settingsDrift)
      lines.push(`    ${c.red(s.setting)}: domain name ${JSON.stringify(s.actual)}, apigw.yaml ${JSON.stringify(s.config)}`)
    for (const m of d.mappings) {
      const where = (x: {api: string; stage: string}) => `${x.api} ${x.stage}`
      const state =
        m.state === 'matches'
          ? MAPPING_STATE[m.state]
          : m.state === 'extra'
            ? c.yellow(MAPPING_STATE[m.state])
            : c.red(MAPPING_STATE[m.state])
      const target = m.state === 'differs' ? `${where(m.actual!)} (apigw.yaml: ${where(m.config!)})` : where((m.actual ?? m.config)!)
      lines.push(`    /${m.basePath} → ${target}: ${state}`)
    }
  }
  return lines.join('\n')
}

/** One line of a stage's recent traffic: `last 5 min: 120 requests, 4xx 2.5%, 5xx 0%, p99 84 ms`. */
export function renderHealth(h: NonNullable<StatusResult['stages'][number]['health']>, c: Colors = noColors): string {
  const pct = (r: number) => `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`
  const e5 = pct(h.rate5xx)
  return (
    `last ${h.minutes} min: ${h.requests} request${h.requests === 1 ? '' : 's'}, 4xx ${pct(h.rate4xx)}, ` +
    `5xx ${h.rate5xx > 0 ? c.red(e5) : e5}${h.latencyP99 === null ? '' : `, p99 ${Math.round(h.latencyP99)} ms`}`
  )
}
