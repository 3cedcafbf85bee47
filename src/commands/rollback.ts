import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.ts'
import type {StageMoveResult} from '../services/lifecycle/stage-move.ts'

export default class Rollback extends BaseCommand<typeof Rollback> {
  static override summary = 'Point a stage at an earlier deployment: the one before, a deployment id, or the one made from a git commit.'
  static override description =
    'By default the deployment this stage ran before its current one, from its own history (stage tag apigw:ran). Asks ' +
    'for confirmation at a terminal; without a terminal (CI, --json) it needs --yes. Stage settings are left as they are.'
  static override examples = [
    '<%= config.bin %> rollback --stage prod',
    '<%= config.bin %> rollback --stage prod --to a1b2c3',
    '<%= config.bin %> rollback pets --stage prod --to 3f9e2d1 --yes',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    stage: Flags.string({summary: 'Stage name.', required: true}),
    to: Flags.string({
      summary: 'Deployment id, or a git commit recorded by apigw deploy (default: the deployment before the current one).',
    }),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation.'}),
  }

  async run(): Promise<StageMoveResult> {
    const {flags, args} = await this.parseAll()
    const [{rollback}, {askConfirm}, {renderStageMove}] = await Promise.all([
      import('../services/lifecycle/rollback.ts'),
      import('../output/progress.ts'),
      import('../output/deploy.ts'),
    ])
    const ask = {yes: flags.yes, confirm: this.interactive ? askConfirm : undefined, again: this.commandLine()}
    const result = await rollback(
      {cwd: process.cwd(), configPath: flags.config, api: args.api, stage: flags.stage, to: flags.to, ...ask},
      await this.deps(),
    )
    this.out(renderStageMove(result, await this.colors()))
    return result
  }
}
