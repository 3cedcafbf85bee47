/**
 * oclif's command_not_found hook: `apigw deplyo` answers like every usage error (exit 2, `Error: … [USAGE]`, or the
 * JSON envelope with --json), with a "did you mean" from the same Levenshtein the config's typos use.
 */
import type {Hook} from '@oclif/core'
import {typoGuesser, writeError} from '../base-command.ts'
import {CliError} from '../errors.ts'

const hook: Hook.CommandNotFound = async (options) => {
  const closest = await typoGuesser()
  const bin = options.config.bin
  const spaced = (id: string) => id.split(':').join(' ')
  const visible = options.config.commands.filter((c) => !c.hidden).map((c) => c.id)
  const guess = closest(options.id, visible) ?? closest(options.id, [...new Set(visible.map((id) => id.split(':')[0]!))])
  const error = new CliError(
    'USAGE',
    `Unknown command "${spaced(options.id)}"${guess ? ` (did you mean \`${bin} ${spaced(guess)}\`?)` : ''}.`,
    {
      hint: `Run \`${bin} --help\` for the list of commands.`,
    },
  )
  const argv = options.argv ?? []
  await writeError(error, {json: argv.includes('--json'), debug: argv.includes('--debug'), warnings: []})
}

export default hook
