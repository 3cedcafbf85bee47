import {Args} from '@oclif/core'
import {BaseCommand} from '../base-command.ts'
import type {StatusResult} from '../services/lifecycle/status.ts'

export default class Status extends BaseCommand<typeof Status> {
  static override summary = "Show each stage's deployment, when and from which commit, and whether it matches the repo."
  static override description = 'States: in-sync (the repo spec and apigw.yaml settings), repo-ahead (the repo spec changed since the deploy), drifted (settings differ, or the deployment was not made by apigw), not-deployed.'
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status pets --json', '<%= config.bin %> status --local']
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}

  async run(): Promise<StatusResult> {
    const {flags, args} = await this.parseAll()
    const {status} = await import('../services/lifecycle/status.ts')
    const result = await status({cwd: process.cwd(), configPath: flags.config, api: args.api}, await this.deps())
    const {renderStatus} = await import('../output/status.ts')
    this.out(renderStatus(result, await this.colors()))
    return result
  }
}
