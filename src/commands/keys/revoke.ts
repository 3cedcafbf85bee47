import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {RevokeResult} from '../../services/keys/revoke.ts'

export default class KeysRevoke extends BaseCommand<typeof KeysRevoke> {
  static override summary = 'Revoke an API key: every generation disabled and taken out of its usage plans at once.'
  static override description = 'Asks for confirmation at a terminal; without a terminal (CI, --json) it needs --yes.'
  static override examples = ['<%= config.bin %> keys revoke partner-a', '<%= config.bin %> keys revoke partner-a --yes']
  static override args = {name: Args.string({description: 'Key name (asked for at a terminal when left out).'})}
  static override flags = {
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation.'}),
    api: Flags.string({summary: 'API in apigw.yaml (optional when it has one API).'}),
  }

  async run(): Promise<RevokeResult> {
    const {flags, args} = await this.parseAll()
    const {revokeKey} = await import('../../services/keys/revoke.ts')
    const {renderRevoke, chooseKeyName, confirmOnStderr} = await import('../../output/keys.ts')
    const ask = this.interactive
    const result = await revokeKey(
      {
        cwd: process.cwd(),
        configPath: flags.config,
        api: flags.api,
        name: args.name,
        yes: flags.yes,
        choose: ask ? chooseKeyName : undefined,
        confirm: ask ? confirmOnStderr : undefined,
      },
      await this.deps(),
    )
    this.out(renderRevoke(result))
    return result
  }
}
