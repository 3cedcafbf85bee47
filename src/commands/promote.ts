import {Args, Flags} from '@oclif/core'
import {BaseCommand, specFlags} from '../base-command.ts'
import type {StageMoveResult} from '../services/lifecycle/stage-move.ts'

export default class Promote extends BaseCommand<typeof Promote> {
  static override summary = "Point a stage at another stage's deployment, keeping its own settings; or start a canary with it."
  static override description =
    'Asks for confirmation at a terminal; without a terminal (CI, --json) it needs --yes. ' +
    '--canary N (REST) sends N% of the target stage to the source deployment instead.'
  static override examples = [
    '<%= config.bin %> promote --from dev --to prod',
    '<%= config.bin %> promote pets --from staging --to prod --canary 10 --yes',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    ...specFlags,
    from: Flags.string({summary: 'Stage whose deployment is promoted.', required: true}),
    to: Flags.string({summary: 'Stage that will run it.', required: true}),
    canary: Flags.integer({summary: 'Start a canary on --to at this percentage instead (REST).', min: 0, max: 100}),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation.'}),
  }

  async run(): Promise<StageMoveResult> {
    const {flags, args} = await this.parseAll()
    const [{promote}, {askConfirm}, {renderStageMove}] = await Promise.all([
      import('../services/lifecycle/promote.ts'),
      import('../output/progress.ts'),
      import('../output/deploy.ts'),
    ])
    const ask = {yes: flags.yes, confirm: this.interactive ? askConfirm : undefined, again: this.commandLine()}
    const result = await promote(
      {
        cwd: process.cwd(),
        configPath: flags.config,
        api: args.api,
        from: flags.from,
        to: flags.to,
        canary: flags.canary,
        ...ask,
        allowRefOutside: flags['allow-ref-outside'],
      },
      await this.deps(),
    )
    this.out(renderStageMove(result, await this.colors()))
    return result
  }
}
