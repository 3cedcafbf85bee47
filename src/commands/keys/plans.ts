import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {PlansResult} from '../../services/keys/list.ts'

export default class KeysPlans extends BaseCommand<typeof KeysPlans> {
  static override summary = 'List usage plans with their stages, limits and key counts.'
  static override description =
    'The plans of the API in apigw.yaml (deployed, or only declared), or every plan of the account without apigw.yaml.'
  static override examples = ['<%= config.bin %> keys plans', '<%= config.bin %> keys plans --api pets --json']
  static override flags = {api: Flags.string({summary: 'API in apigw.yaml (optional when it has one API).'})}

  async run(): Promise<PlansResult> {
    const {flags} = await this.parseAll()
    const {listPlans} = await import('../../services/keys/list.ts')
    const result = await listPlans({cwd: process.cwd(), configPath: flags.config, api: flags.api}, await this.deps())
    const {renderPlans} = await import('../../output/keys.ts')
    this.out(renderPlans(result, await this.colors()))
    return result
  }
}
