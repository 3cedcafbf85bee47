import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.ts'
import type {StageMoveResult} from '../services/lifecycle/stage-move.ts'

export default class Canary extends BaseCommand<typeof Canary> {
  static override summary = "Move, promote or abort a stage's canary (REST APIs)."
  static override description =
    '--promote moves the stage to the canary deployment with its variable overrides and removes the canary; --abort ' +
    'removes it. Both ask at a terminal; without a terminal (CI, --json) they need --yes. HTTP APIs have no canaries.'
  static override examples = [
    '<%= config.bin %> canary --stage prod --percent 25',
    '<%= config.bin %> canary --stage prod --promote --yes',
    '<%= config.bin %> canary --stage prod --abort',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    stage: Flags.string({summary: 'Stage name.', required: true}),
    percent: Flags.integer({summary: 'Send this percentage of traffic to the canary.', min: 0, max: 100, exclusive: ['promote', 'abort']}),
    promote: Flags.boolean({summary: 'Make the canary the stage deployment and remove the canary.', exclusive: ['percent', 'abort']}),
    abort: Flags.boolean({summary: 'Remove the canary; the stage keeps its deployment.', exclusive: ['percent', 'promote']}),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation.'}),
  }

  async run(): Promise<StageMoveResult> {
    const {flags, args} = await this.parseAll()
    const [{canary}, {askConfirm}, {renderStageMove}] = await Promise.all([
      import('../services/lifecycle/canary.ts'),
      import('../output/progress.ts'),
      import('../output/deploy.ts'),
    ])
    const ask = {yes: flags.yes, confirm: this.interactive ? askConfirm : undefined, again: this.commandLine()}
    const result = await canary(
      {
        cwd: process.cwd(),
        configPath: flags.config,
        api: args.api,
        stage: flags.stage,
        percent: flags.percent,
        promote: flags.promote,
        abort: flags.abort,
        ...ask,
      },
      await this.deps(),
    )
    this.out(renderStageMove(result, await this.colors()))
    return result
  }
}
