import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.ts'
import type {HistoryResult} from '../services/lifecycle/history.ts'

export default class History extends BaseCommand<typeof History> {
  static override summary = "List an API's deployments with spec hash, git commit and time, marking what each stage runs."
  static override examples = ['<%= config.bin %> history --stage prod', '<%= config.bin %> history pets --json --limit 10']
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    stage: Flags.string({summary: 'Mark the deployment this stage runs.'}),
    limit: Flags.integer({summary: 'Show at most this many deployments (newest first).', min: 1}),
  }

  async run(): Promise<HistoryResult> {
    const {flags, args} = await this.parseAll()
    const {history} = await import('../services/lifecycle/history.ts')
    const result = await history(
      {cwd: process.cwd(), configPath: flags.config, api: args.api, stage: flags.stage, limit: flags.limit},
      await this.deps(),
    )
    const {renderHistory} = await import('../output/history.ts')
    this.out(renderHistory(result, await this.colors()))
    return result
  }
}
