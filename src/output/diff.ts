import type {DiffResult} from '../services/diff/diff.ts'
import {type Colour, type DiffFormat, renderDiff} from './diff-report.ts'
import {type Colors, noColors} from './findings.ts'

/** The diff report in the asked format, with terminal colours for text. */
export function renderDiffForTerminal(result: DiffResult, format: DiffFormat, c: Colors = noColors): string {
  const colour: Colour = (style, text) =>
    style === 'error' ? c.red(text) : style === 'warning' ? c.yellow(text) : style === 'info' ? c.blue(text) : style === 'dim' ? c.dim(text) : c.bold(text)
  return renderDiff(format, {findings: result.findings, counts: result.counts, ignored: result.ignored, base: result.base, revision: result.revision, failOn: result.failOn}, colour)
}
