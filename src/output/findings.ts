/** Renderers of validate findings: text for a terminal, GitHub annotations for CI. Pure. */
import type {Finding, Level} from '../core/findings.ts'
import {terminalSafeDeep} from './terminal-text.ts'

export type Colors = {
  red(s: string): string
  yellow(s: string): string
  blue(s: string): string
  dim(s: string): string
  bold(s: string): string
}

export const noColors: Colors = {red: (s) => s, yellow: (s) => s, blue: (s) => s, dim: (s) => s, bold: (s) => s}

const label = (level: Level, c: Colors) => (level === 'error' ? c.red('error') : level === 'warning' ? c.yellow('warning') : c.blue('info'))

export const where = (f: Finding) => `${f.location.file}${f.location.line ? `:${f.location.line}:${f.location.column ?? 1}` : ''}`

export function renderFindingsText(raw: readonly Finding[], c: Colors = noColors): string {
  return terminalSafeDeep(raw)
    .map(
      (f) =>
        `${c.bold(where(f))} ${label(f.level, c)} ${f.message} ${c.dim(`[${f.id}]`)}${f.hint ? `\n  ${c.dim(`hint: ${f.hint}`)}` : ''}`,
    )
    .join('\n')
}

const escapeData = (s: string) => s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
const escapeProperty = (s: string) => escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C')

/** GitHub Actions workflow commands: ::error file=…,line=…,col=…,title=…::message */
export function renderFindingsGithub(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const command = f.level === 'error' ? 'error' : f.level === 'warning' ? 'warning' : 'notice'
      const props = [`file=${escapeProperty(f.location.file)}`]
      if (f.location.line) props.push(`line=${f.location.line}`, `col=${f.location.column ?? 1}`)
      props.push(`title=${escapeProperty(f.id)}`)
      return `::${command} ${props.join(',')}::${escapeData(f.hint ? `${f.message} Hint: ${f.hint}` : f.message)}`
    })
    .join('\n')
}

export function summaryLine(counts: Record<Level, number>): string {
  const part = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  return `${part(counts.error, 'error')}, ${part(counts.warning, 'warning')}, ${part(counts.info, 'info')}`.replace(/infos$/, 'info')
}
