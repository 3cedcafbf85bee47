import {atOrAbove, type Finding, LEVEL_RANK, type Level} from '../core/findings.ts'

/** What the `diff` command renders: the findings of runChecks plus the names of the two sides. */
export type DiffReportInput = {
  findings: readonly Finding[]
  counts?: Record<Level, number>
  ignored?: ReadonlyArray<Finding & {reason: string}>
  base?: string
  revision?: string
  /** Findings at or above this level fail the gate (junit failures, text summary). Default: error. */
  failOn?: Level
}

export type ColourStyle = 'error' | 'warning' | 'info' | 'dim' | 'bold'
/** Injected so renderers stay pure and tests run without colour. */
export type Colour = (style: ColourStyle, text: string) => string
const plain: Colour = (_style, text) => text

const LEVELS: Level[] = ['error', 'warning', 'info']
const API = '(API)'

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Level (highest first), operation path, method, pointer, id, message. */
export function sortForReport(findings: readonly Finding[]): Finding[] {
  const opKey = (f: Finding) => {
    if (!f.operation) return ['', '']
    const [method = '', ...rest] = f.operation.split(' ')
    return [rest.join(' '), method]
  }
  return [...findings].sort((a, b) => {
    const [ap, am] = opKey(a)
    const [bp, bm] = opKey(b)
    return (
      LEVEL_RANK[b.level] - LEVEL_RANK[a.level] ||
      cmp(ap!, bp!) ||
      cmp(am!, bm!) ||
      cmp(a.location.pointer, b.location.pointer) ||
      cmp(a.id, b.id) ||
      cmp(a.message, b.message)
    )
  })
}

function countsOf(input: DiffReportInput): Record<Level, number> {
  if (input.counts) return input.counts
  const c: Record<Level, number> = {error: 0, warning: 0, info: 0}
  for (const f of input.findings) c[f.level]++
  return c
}

function where(f: Finding): string {
  const {file, line, column} = f.location
  return line === undefined ? `${file}${f.location.pointer}` : `${file}:${line}${column === undefined ? '' : `:${column}`}`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`
}

function summary(counts: Record<Level, number>): string {
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')}`
}

/** Group by level, then by operation, in report order. */
function grouped(findings: readonly Finding[]): Array<{level: Level; operations: Array<{operation: string; findings: Finding[]}>}> {
  const sorted = sortForReport(findings)
  const out: ReturnType<typeof grouped> = []
  for (const level of LEVELS) {
    const ofLevel = sorted.filter((f) => f.level === level)
    if (!ofLevel.length) continue
    const ops = new Map<string, Finding[]>()
    for (const f of ofLevel) {
      const key = f.operation ?? API
      if (!ops.has(key)) ops.set(key, [])
      ops.get(key)!.push(f)
    }
    out.push({level, operations: [...ops].map(([operation, list]) => ({operation, findings: list}))})
  }
  return out
}

/** Terminal text: by level, then operation; file:line when known. */
export function renderDiffText(input: DiffReportInput, colour: Colour = plain): string {
  const counts = countsOf(input)
  const lines: string[] = []
  if (input.base !== undefined || input.revision !== undefined)
    lines.push(colour('bold', `Changes from ${input.base ?? 'base'} to ${input.revision ?? 'revision'}`), '')
  if (input.findings.length === 0) lines.push('No changes found.')
  const titles: Record<Level, string> = {error: 'Errors', warning: 'Warnings', info: 'Info'}
  for (const group of grouped(input.findings)) {
    lines.push(colour(group.level, `${titles[group.level]} (${counts[group.level]})`))
    for (const op of group.operations) {
      lines.push(`  ${colour('bold', op.operation)}`)
      for (const f of op.findings) {
        lines.push(`    ${f.message} ${colour('dim', `[${f.id}]`)}`)
        lines.push(`      ${colour('dim', where(f))}`)
      }
    }
    lines.push('')
  }
  if (input.ignored?.length) lines.push(colour('dim', `${input.ignored.length} ignored by configuration.`))
  lines.push(summary(counts))
  return `${lines.join('\n')}\n`
}

function mdEscape(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('\n', ' ').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** A pull-request comment: a summary table, then details per level. */
export function renderDiffMarkdown(input: DiffReportInput): string {
  const counts = countsOf(input)
  const failOn = input.failOn ?? 'error'
  const failing = input.findings.some((f) => atOrAbove(f.level, failOn))
  const lines: string[] = []
  const sides =
    input.base !== undefined || input.revision !== undefined ? `: \`${input.base ?? 'base'}\` → \`${input.revision ?? 'revision'}\`` : ''
  lines.push(`### API changes${sides}`, '')
  lines.push(
    failing
      ? `**Breaking changes at or above \`${failOn}\`.**`
      : input.findings.length
        ? `No changes at or above \`${failOn}\`.`
        : 'No changes found.',
    '',
  )
  lines.push('| Level | Count |', '|---|---:|')
  lines.push(
    `| :x: error | ${counts.error} |`,
    `| :warning: warning | ${counts.warning} |`,
    `| :information_source: info | ${counts.info} |`,
    '',
  )
  const titles: Record<Level, string> = {error: 'Errors', warning: 'Warnings', info: 'Info'}
  for (const group of grouped(input.findings)) {
    const open = group.level === 'info' ? '' : ' open'
    lines.push(`<details${open}><summary>${titles[group.level]} (${counts[group.level]})</summary>`, '')
    lines.push('| Operation | Change | Id | Location |', '|---|---|---|---|')
    for (const op of group.operations)
      for (const f of op.findings)
        lines.push(
          `| ${mdEscape(op.operation === API ? '—' : `\`${op.operation}\``)} ` +
            `| ${mdEscape(f.message)} | \`${f.id}\` | ${mdEscape(where(f))} |`,
        )
    lines.push('', '</details>', '')
  }
  if (input.ignored?.length) {
    lines.push(`<details><summary>Ignored (${input.ignored.length})</summary>`, '', '| Id | Operation | Reason |', '|---|---|---|')
    for (const f of sortForReport(input.ignored)) {
      const reason = (f as Finding & {reason: string}).reason
      lines.push(`| \`${f.id}\` | ${mdEscape(f.operation ?? '—')} | ${mdEscape(reason)} |`)
    }
    lines.push('', '</details>', '')
  }
  return `${lines.join('\n').trimEnd()}\n`
}

/** The findings and counts as one JSON document. */
export function renderDiffJson(input: DiffReportInput): string {
  const doc = {
    ...(input.base !== undefined ? {base: input.base} : {}),
    ...(input.revision !== undefined ? {revision: input.revision} : {}),
    counts: countsOf(input),
    findings: sortForReport(input.findings),
    ignored: input.ignored ? sortForReport(input.ignored) : [],
  }
  return `${JSON.stringify(doc, null, 2)}\n`
}

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts (escapeData / escapeProperty)
function ghData(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}
function ghProperty(s: string): string {
  return ghData(s).replaceAll(':', '%3A').replaceAll(',', '%2C')
}

/** GitHub Actions workflow commands: ::error / ::warning / ::notice annotations. */
export function renderDiffGithub(input: DiffReportInput): string {
  const command: Record<Level, string> = {error: 'error', warning: 'warning', info: 'notice'}
  const lines = sortForReport(input.findings).map((f) => {
    const props = [`file=${ghProperty(f.location.file)}`]
    if (f.location.line !== undefined) props.push(`line=${f.location.line}`)
    if (f.location.column !== undefined) props.push(`col=${f.location.column}`)
    props.push(`title=${ghProperty(f.id)}`)
    const text = f.operation ? `${f.operation}: ${f.message}` : f.message
    return `::${command[f.level]} ${props.join(',')}::${ghData(text)}`
  })
  return lines.length ? `${lines.join('\n')}\n` : ''
}

function xml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;')
}

/** JUnit XML: one testcase per operation; findings at or above failOn are failures. */
export function renderDiffJunit(input: DiffReportInput): string {
  const failOn = input.failOn ?? 'error'
  const ops = new Map<string, Finding[]>()
  for (const f of sortForReport(input.findings)) {
    const key = f.operation ?? API
    if (!ops.has(key)) ops.set(key, [])
    ops.get(key)!.push(f)
  }
  const names = [...ops.keys()].sort(cmp)
  let failures = 0
  const cases: string[] = []
  for (const name of names) {
    const list = ops.get(name)!
    const failing = list.filter((f) => atOrAbove(f.level, failOn))
    if (failing.length) failures++
    const body: string[] = []
    for (const f of failing)
      body.push(
        `      <failure type="${xml(f.id)}" message="${xml(f.message)}">${xml(`${f.level} ${f.id}: ${f.message} (${where(f)})`)}</failure>`,
      )
    const rest = list.filter((f) => !atOrAbove(f.level, failOn))
    if (rest.length)
      body.push(`      <system-out>${xml(rest.map((f) => `${f.level} ${f.id}: ${f.message} (${where(f)})`).join('\n'))}</system-out>`)
    cases.push(
      body.length
        ? `    <testcase classname="apigw.diff" name="${xml(name)}">\n${body.join('\n')}\n    </testcase>`
        : `    <testcase classname="apigw.diff" name="${xml(name)}"/>`,
    )
  }
  if (cases.length === 0) cases.push('    <testcase classname="apigw.diff" name="no changes"/>')
  const tests = cases.length
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="apigw diff" tests="${tests}" failures="${failures}">`,
    `  <testsuite name="apigw diff" tests="${tests}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}

export type DiffFormat = 'text' | 'markdown' | 'json' | 'github' | 'junit'

/** Render in one of the `--format` choices. */
export function renderDiff(format: DiffFormat, input: DiffReportInput, colour: Colour = plain): string {
  switch (format) {
    case 'text':
      return renderDiffText(input, colour)
    case 'markdown':
      return renderDiffMarkdown(input)
    case 'json':
      return renderDiffJson(input)
    case 'github':
      return renderDiffGithub(input)
    case 'junit':
      return renderDiffJunit(input)
  }
}
