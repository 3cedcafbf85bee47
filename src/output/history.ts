/** `apigw history` as a table, newest first, marking what each stage runs. Pure. */
import type {HistoryResult} from '../services/lifecycle/history.ts'
import {type Colors, noColors} from './findings.ts'
import {table} from './status.ts'
import {terminalSafeDeep} from './terminal-text.ts'

export function renderHistory(raw: HistoryResult, c: Colors = noColors): string {
  const r = terminalSafeDeep(raw)
  const rows = [['', 'DEPLOYMENT', 'CREATED', 'SPEC', 'COMMIT', 'BY', 'STAGES', 'DESCRIPTION']]
  for (const d of r.deployments) {
    const current = r.stage !== null && r.current === d.id
    const stages = [...d.stages, ...d.canaryStages.map((s) => `${s} (canary)`)].join(', ')
    rows.push([
      current ? '*' : '',
      d.id,
      d.createdDate ? d.createdDate.slice(0, 19).replace('T', ' ') : '-',
      d.record?.spec ?? '-',
      d.record?.git ? `${d.record.git}${d.record.dirty ? '+dirty' : ''}` : '-',
      d.record?.by ?? '-',
      stages || '-',
      d.record ? '' : (d.description ?? ''),
    ])
  }
  const head =
    `${c.bold(r.api)} (${r.type === 'rest' ? 'REST' : r.type === 'websocket' ? 'WebSocket' : 'HTTP'} API ${r.apiId}): ` +
    `${r.deployments.length < r.total ? `${r.deployments.length} of ${r.total}` : r.deployments.length} ` +
    `deployment${r.total === 1 ? '' : 's'}${r.stage ? `; * = what ${r.stage} runs` : ''}`
  return [head, '', table(rows)].join('\n')
}
