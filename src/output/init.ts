/**
 * Human output of `apigw init`, and the prompter that asks its questions at a terminal. @inquirer/prompts
 * is imported only when a question is actually asked, so flags-only and CI runs never load it.
 */
import {join, relative} from 'node:path'
import type {Choice, InitResult, Prompter} from '../services/init/init.ts'

const VERBS = {created: 'Created', overwritten: 'Overwrote', updated: 'Updated'} as const

/** The files written, a one-line summary of the API, notes, and the commands to run next. */
export function renderInit(result: InitResult, cwd: string): string {
  const base = relative(cwd, result.dir)
  const lines = result.files.map((f) => `${VERBS[f.action]} ${base === '' ? f.path : join(base, f.path)}`)
  const {api} = result
  lines.push(
    '',
    `API ${api.name}: ${api.type === 'rest' ? 'REST' : api.type === 'http' ? 'HTTP' : 'WebSocket'} ` +
      `API from template ${api.template}, stages ${api.stages.join(', ')}, auth ${api.auth}.`,
  )
  if (result.notes.length > 0) lines.push('', 'Before deploying to AWS:', ...result.notes.map((n) => `  - ${n}`))
  lines.push('', 'Next:', ...result.next.map((c) => `  ${c}`))
  return `${lines.join('\n')}\n`
}

/** Questions through @inquirer/prompts, on stderr so stdout keeps only the result. */
export function createPrompter(): Prompter {
  const context = {output: process.stderr}
  return {
    async input(q) {
      const {input} = await import('@inquirer/prompts')
      return input(
        {message: q.message, ...(q.default === undefined ? {} : {default: q.default}), ...(q.validate ? {validate: q.validate} : {})},
        context,
      )
    },
    async select<T extends string>(q: {message: string; choices: Array<Choice<T>>; default?: T}): Promise<T> {
      const {select} = await import('@inquirer/prompts')
      return select<T>({message: q.message, choices: q.choices, ...(q.default === undefined ? {} : {default: q.default})}, context)
    },
  }
}
