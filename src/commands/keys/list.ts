import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {ListKeysResult} from '../../services/keys/list.ts'

export default class KeysList extends BaseCommand<typeof KeysList> {
  static override summary = 'List the API keys apigw manages: generations, ids, state, plans, dates, use today.'
  static override description = 'Key values are never shown unless --show-values asks for them.'
  static override examples = [
    '<%= config.bin %> keys list',
    '<%= config.bin %> keys list --plan basic',
    '<%= config.bin %> keys list partner-a --show-values',
  ]
  static override args = {name: Args.string({description: 'Only this key name.'})}
  static override flags = {
    plan: Flags.string({summary: 'Only keys in this usage plan.'}),
    'show-values': Flags.boolean({summary: 'Show the key values (secrets: mind where the output goes).'}),
    api: Flags.string({summary: 'API in apigw.yaml (optional when it has one API).'}),
  }

  async run(): Promise<ListKeysResult> {
    const {flags, args} = await this.parseAll()
    const {listKeys} = await import('../../services/keys/list.ts')
    const result = await listKeys(
      {cwd: process.cwd(), configPath: flags.config, api: flags.api, name: args.name, plan: flags.plan, showValues: flags['show-values']},
      await this.deps(),
    )
    const {renderList} = await import('../../output/keys.ts')
    this.out(renderList(result, await this.colors()))
    return result
  }
}
