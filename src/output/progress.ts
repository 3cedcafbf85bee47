/**
 * Progress for long commands: listr2 tasks at a TTY (spinner, then ✔/✖ per step), plain `• step` lines
 * in CI or when stderr is not a terminal, nothing at all with --json. Warnings are always collected.
 */
import type {Progress} from '../deps.ts'
import {terminalSafe} from './terminal-text.ts'

export type ProgressMode = 'tty' | 'plain' | 'silent'

export function progressMode(options: {json: boolean; isTTY: boolean; ci: boolean}): ProgressMode {
  if (options.json) return 'silent'
  return options.isTTY && !options.ci ? 'tty' : 'plain'
}

export function createProgress(
  mode: ProgressMode,
  warnings: string[],
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Progress {
  // Titles and messages may carry names from AWS: control characters are shown escaped.
  const safe = (text: string) => terminalSafe(text, {newlines: true})
  let output: ((text: string) => void) | undefined
  const plain: Progress = {
    step: async (title, fn) => {
      if (mode !== 'silent') write(`• ${safe(title)}`)
      return fn()
    },
    info: (message) => {
      if (mode === 'silent') return
      if (output) output(safe(message))
      else write(safe(message))
    },
    warn: (message) => {
      warnings.push(message)
      if (mode !== 'silent') write(`Warning: ${safe(message)}`)
    },
  }
  if (mode !== 'tty') return plain
  return {
    ...plain,
    step: async (title, fn) => {
      const {Listr, ListrLogger, ProcessOutput} = await import('listr2')
      let result: unknown
      const list = new Listr(
        [
          {
            title: safe(title),
            task: async (_ctx, task) => {
              output = (text) => {
                task.output = text
              }
              try {
                result = await fn()
              } finally {
                output = undefined
              }
            },
            rendererOptions: {persistentOutput: false},
          },
        ],
        {
          renderer: 'default',
          exitOnError: true,
          registerSignalListeners: false,
          // stdout carries the result only: the task list goes to stderr.
          rendererOptions: {
            collapseErrors: false,
            logger: new ListrLogger({processOutput: new ProcessOutput(process.stderr, process.stderr)}),
          },
        },
      )
      await list.run()
      return result as never
    },
  }
}

/** A yes/no question on stderr (only called at a TTY); the default is no. */
export async function askConfirm(message: string): Promise<boolean> {
  const {confirm} = await import('@inquirer/prompts')
  return confirm({message, default: false}, {output: process.stderr})
}
