import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {RetireResult} from '../../services/keys/retire.ts'

export default class KeysRetire extends BaseCommand<typeof KeysRetire> {
  static override summary = 'Disable old key generations past their retire-after time, showing their recent usage.'
  static override description =
    'Old generations past apigw:retire-after (all old generations with --now) are ' +
    'disabled and taken out of their usage plans, or deleted with --delete. The ' +
    "newest generation of a key is never touched. Each old key's usage since it " +
    'was replaced (GetUsage) is shown; --if-idle spares keys used within that time.'
  static override examples = [
    '<%= config.bin %> keys retire --dry-run',
    '<%= config.bin %> keys retire partner-a --now --if-idle 24h',
    '<%= config.bin %> keys retire --delete',
  ]
  static override args = {name: Args.string({description: 'Only this key name (default: every key).'})}
  static override flags = {
    now: Flags.boolean({summary: 'Retire every old generation now, whatever its retire-after time.'}),
    'if-idle': Flags.string({summary: 'Spare keys that served requests within this time (e.g. 24h).'}),
    delete: Flags.boolean({summary: 'Delete the old keys instead of disabling them.'}),
    'dry-run': Flags.boolean({summary: 'Show what would be retired, change nothing.'}),
    api: Flags.string({summary: 'API in apigw.yaml (optional when it has one API).'}),
  }

  async run(): Promise<RetireResult> {
    const {flags, args} = await this.parseAll()
    const {retireKeys} = await import('../../services/keys/retire.ts')
    const result = await retireKeys(
      {
        cwd: process.cwd(),
        configPath: flags.config,
        api: flags.api,
        name: args.name,
        now: flags.now,
        ifIdle: flags['if-idle'],
        delete: flags.delete,
        dryRun: flags['dry-run'],
      },
      await this.deps(),
    )
    const {renderRetire} = await import('../../output/keys.ts')
    this.out(renderRetire(result, await this.colors()))
    return result
  }
}
