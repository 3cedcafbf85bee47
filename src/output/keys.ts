/**
 * Human output of `apigw keys …`. Pure `(result, options) => string`. A key value appears only where the
 * caller says so: `showValue` (the one-time display at a terminal) or a result read with --show-values.
 */
import type {CreateKeyResult} from '../services/keys/create.ts'
import type {ImportResult} from '../services/keys/import.ts'
import type {ExportResult, ListKeysResult, PlansResult} from '../services/keys/list.ts'
import type {RetireEntry, RetireResult} from '../services/keys/retire.ts'
import type {RevokeResult} from '../services/keys/revoke.ts'
import type {RotateKeyResult} from '../services/keys/rotate.ts'
import {type Colors, noColors} from './findings.ts'
import {terminalSafe, terminalSafeDeep} from './terminal-text.ts'

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: string[], rows: string[][], c: Colors = noColors): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [c.bold(line(header)), ...rows.map(line)].join('\n')
}

const dash = (s: string | null | undefined): string => (s === null || s === undefined || s === '' ? '-' : s)
const when = (iso: string | null | undefined): string => (iso ? `${iso.slice(0, 16).replace('T', ' ')}Z` : '-')
const list = (xs: string[]): string => (xs.length === 0 ? '-' : xs.join(', '))

export type ValueOptions = {showValue: boolean; colors?: Colors}

/** The value block of create and rotate: the value at a terminal, the file it went to, or why it is not here. */
function valueLines(r: {value?: string | undefined; valueFile?: string | undefined; name: string}, o: ValueOptions): string[] {
  const c = o.colors ?? noColors
  if (r.valueFile) return [`Value written to ${r.valueFile} (mode 0600); it is not printed.`]
  if (r.value === undefined) return []
  if (o.showValue) {
    return [
      `Value: ${c.bold(r.value)}`,
      c.yellow(
        `Store this value in your secret manager now. API Gateway keeps it: anyone with these ` +
          `AWS credentials can read it again (\`apigw keys list ${r.name} --show-values\`).`,
      ),
    ]
  }
  return [
    `The value is not printed here (no terminal). Use --output-file <file> or ` +
      `--json to receive it, or \`apigw keys list ${r.name} --show-values\` later.`,
  ]
}

export function renderCreated(raw: CreateKeyResult, o: ValueOptions): string {
  const r = terminalSafeDeep(raw)
  return [
    `${r.resumed ? 'Finished creating' : 'Created'} ${r.keyName} (id ${r.id}), ` +
      `enabled, in usage plan${r.plans.length === 1 ? '' : 's'} ${list(r.plans)}.`,
    ...valueLines(r, o),
  ].join('\n')
}

export function renderRotated(raw: RotateKeyResult, o: ValueOptions): string {
  const r = terminalSafeDeep(raw)
  return [
    `${r.resumed ? 'Finished rotating' : 'Rotated'} ${r.name}: ${r.new.keyName} (id ${r.new.id}) is in ${list(r.new.plans)}.`,
    `${r.old.keyName} (id ${r.old.id}) stays enabled until ${r.old.retireAfter}; then run \`apigw keys retire\`.`,
    ...valueLines(r, o),
  ].join('\n')
}

export function renderList(raw: ListKeysResult, c: Colors = noColors): string {
  const r = terminalSafeDeep(raw)
  if (r.keys.length === 0) {
    const scope = r.plan ? ` in usage plan ${r.plan}` : ''
    const others = r.unmanagedKeys > 0 ? ` (${r.unmanagedKeys} other key${r.unmanagedKeys === 1 ? '' : 's'} in the account)` : ''
    return `No API keys managed by apigw${scope}${others}.`
  }
  const header = [
    'NAME',
    'GEN',
    'ID',
    'ENABLED',
    'STATUS',
    'PLANS',
    'CREATED',
    'LAST ROTATED',
    'RETIRE AFTER',
    'USED TODAY',
    ...(r.valuesShown ? ['VALUE'] : []),
  ]
  const rows = r.keys.flatMap((k) =>
    k.generations.map((g) => [
      k.name,
      `g${g.generation}`,
      g.id,
      g.enabled ? 'yes' : 'no',
      g.status,
      list(g.plans),
      when(g.createdDate),
      when(k.lastRotated),
      when(g.retireAfter),
      usageCell(g.usage),
      ...(r.valuesShown ? [dash(g.value)] : []),
    ]),
  )
  const tail =
    r.unmanagedKeys > 0
      ? `\n${c.dim(
          `${r.unmanagedKeys} other API key${r.unmanagedKeys === 1 ? '' : 's'} in the account ` +
            `${r.unmanagedKeys === 1 ? 'is' : 'are'} not managed by apigw (\`apigw keys import\` brings keys in).`,
        )}`
      : ''
  return table(header, rows, c) + tail
}

/** `12`, or `12 (4988/5000 left this MONTH)` under a quota; one part per plan. */
function usageCell(usage: ListKeysResult['keys'][number]['generations'][number]['usage']): string {
  if (!usage || usage.length === 0) return '-'
  return usage
    .map((u) => {
      const left = u.quota && u.remaining !== null ? ` (${u.remaining}/${u.quota.limit} left this ${u.quota.period})` : ''
      return `${u.usedToday}${left}${usage.length > 1 ? ` in ${u.plan}` : ''}`
    })
    .join(', ')
}

export function renderPlans(raw: PlansResult, c: Colors = noColors): string {
  const r = terminalSafeDeep(raw)
  if (r.plans.length === 0) {
    if (!r.api) return 'No usage plans.'
    return `No usage plans for API ${r.api}: declare them under apis.${r.api}.usagePlans in apigw.yaml and run \`apigw deploy\`.`
  }
  const header = ['PLAN', 'ID', 'STAGES', 'THROTTLE', 'QUOTA', 'KEYS', 'KEY NAMES']
  const rate = (t: {rateLimit?: number | undefined; burstLimit?: number | undefined}) =>
    `${t.rateLimit ?? '-'}/s burst ${t.burstLimit ?? '-'}`
  const rows = r.plans.map((p) => [
    p.name,
    p.id ?? (p.deployed ? '-' : 'not deployed'),
    list(p.stages),
    dash([...(p.throttle ? [rate(p.throttle)] : []), ...p.methodThrottles.map((m) => `${m.method} ${rate(m)}`)].join('; ')),
    p.quota?.limit !== undefined ? `${p.quota.limit}/${(p.quota.period ?? '').toLowerCase()}` : '-',
    p.deployed ? `${p.keys} (${p.enabledKeys} enabled)` : '-',
    list(p.keyNames),
  ])
  return table(header, rows, c)
}

const usageText = (e: RetireEntry): string =>
  e.usage ? `${e.usage.total} request${e.usage.total === 1 ? '' : 's'} ${e.usage.from}..${e.usage.to}` : 'usage unknown (in no plan)'

export function renderRetire(raw: RetireResult, c: Colors = noColors): string {
  const r = terminalSafeDeep(raw)
  const lines: string[] = []
  const verb = (e: RetireEntry) => (r.dryRun ? `would be ${e.action}` : e.action)
  for (const e of r.retired)
    lines.push(`${e.keyName} (id ${e.id}) ${verb(e)}: ${usageText(e)}${e.plans.length > 0 ? `; was in ${list(e.plans)}` : ''}.`)
  for (const e of r.spared) lines.push(c.yellow(`${e.keyName} (id ${e.id}) spared: ${e.reason}; ${usageText(e)}.`))
  for (const e of r.waiting) lines.push(c.dim(`${e.keyName} (id ${e.id}) not due: ${e.reason}; ${usageText(e)}.`))
  for (const e of r.skipped) lines.push(c.dim(`${e.keyName} (id ${e.id}) left alone: ${e.reason}.`))
  if (lines.length === 0) return 'No old key generation to retire.'
  if (r.dryRun) lines.push('Dry run: nothing was changed.')
  return lines.join('\n')
}

export function renderRevoke(raw: RevokeResult): string {
  const r = terminalSafeDeep(raw)
  return [
    `Revoked ${r.name}: ${r.keys.length} generation${r.keys.length === 1 ? '' : 's'} disabled and out of every usage plan.`,
    ...r.keys.map(
      (k) =>
        `  ${k.keyName} (id ${k.id})${k.wasEnabled ? '' : ' was already disabled'}` +
        `${k.detachedFrom.length > 0 ? `; left ${list(k.detachedFrom)}` : ''}`,
    ),
  ].join('\n')
}

export function renderImport(raw: ImportResult): string {
  const r = terminalSafeDeep(raw)
  const lines = r.imported.map(
    (k) =>
      `${k.created ? 'Imported' : 'Updated'} ${k.keyName} (id ` +
      `${k.id})${k.enabled ? '' : ', disabled'}${k.plans.length > 0 ? ` in ${list(k.plans)}` : ''}.`,
  )
  for (const w of r.warnings) lines.push(`Warning: ${w}`)
  return lines.join('\n')
}

export function renderExport(r: ExportResult): string {
  if (r.file) return `Wrote ${r.rows} key${r.rows === 1 ? '' : 's'} to ${r.file}${r.valuesIncluded ? ' (with values, mode 0600)' : ''}.`
  return r.csv ?? ''
}

/** The wizard question of `keys rotate` / `keys revoke` without NAME, on stderr so stdout keeps only the result. */
export async function chooseKeyName(names: string[]): Promise<string> {
  const {select} = await import('@inquirer/prompts')
  return select({message: 'Which key?', choices: names.map((n) => ({name: terminalSafe(n), value: n}))}, {output: process.stderr})
}

/** A yes/no question on stderr, defaulting to no (revoke). */
export async function confirmOnStderr(message: string): Promise<boolean> {
  const {confirm} = await import('@inquirer/prompts')
  return confirm({message, default: false}, {output: process.stderr})
}
