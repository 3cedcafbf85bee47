import type {DiffResult} from '../services/diff/diff.ts'
import {type Colour, type DiffFormat, renderDiff} from './diff-report.ts'
import {type Colors, noColors} from './findings.ts'
import {terminalSafeDeep} from './terminal-text.ts'

/** The diff report in the asked format, with terminal colours for text. */
export function renderDiffForTerminal(result: DiffResult, format: DiffFormat, c: Colors = noColors): string {
  const colour: Colour = (style, text) =>
    style === 'error'
      ? c.red(text)
      : style === 'warning'
        ? c.yellow(text)
        : style === 'info'
          ? c.blue(text)
          : style === 'dim'
            ? c.dim(text)
            : c.bold(text)
  // Only the text view reaches a terminal as such; the other formats are documents (escaped in their own syntax).
  const safe = format === 'text' ? terminalSafeDeep(result) : result
  return renderDiff(
    format,
    {findings: safe.findings, counts: safe.counts, ignored: safe.ignored, base: safe.base, revision: safe.revision, failOn: safe.failOn},
    colour,
  )
}
