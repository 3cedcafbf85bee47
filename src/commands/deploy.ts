import {Args, Flags} from '@oclif/core'
import {BaseCommand, specFlags} from '../base-command.ts'
import type {DeployResult} from '../services/lifecycle/deploy.ts'
import type {WebSocketDeployResult} from '../services/lifecycle/websocket.ts'

export default class Deploy extends BaseCommand<typeof Deploy> {
  static override summary = 'Deploy the API to a stage: import the spec, create a deployment, point the stage at it, apply its settings.'
  static override description =
    'Validates first (errors refuse). REST: PutRestApi with failonwarnings (warnings refuse unless --allow-warnings), ' +
    'CreateDeployment, then one UpdateStage that moves the stage and applies variables, method settings, access ' +
    'logs and tracing; usage plans follow. HTTP: ImportApi/ReimportApi, CreateDeployment, CreateStage/UpdateStage. ' +
    'When the stage already runs the same spec with the same settings, nothing is deployed (--force deploys anyway).'
  static override examples = [
    '<%= config.bin %> deploy --stage dev',
    '<%= config.bin %> deploy pets --stage prod --mode merge',
    '<%= config.bin %> deploy --stage dev --dry-run --json',
    '<%= config.bin %> deploy --stage dev --local',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    stage: Flags.string({summary: 'Stage name.', required: true}),
    mode: Flags.string({summary: 'PutRestApi mode (REST).', options: ['overwrite', 'merge'], default: 'overwrite'}),
    'allow-warnings': Flags.boolean({summary: 'Deploy even when API Gateway reports import warnings.'}),
    force: Flags.boolean({summary: 'Make a new deployment even when the stage is up to date.'}),
    prune: Flags.boolean({
      summary: 'Delete usage plans, alarms and custom-domain mappings of this API that apigw.yaml no longer declares.',
    }),
    'dry-run': Flags.boolean({summary: 'Show the plan and change nothing (same as `apigw plan`).'}),
    ...specFlags,
  }

  async run(): Promise<DeployResult | WebSocketDeployResult> {
    const {flags, args} = await this.parseAll()
    const websocket = await import('../services/lifecycle/websocket.ts')
    const target = {cwd: process.cwd(), configPath: flags.config, api: args.api}
    if (await websocket.isWebSocketApi(target)) {
      const options = {...target, stage: flags.stage, dryRun: flags['dry-run'], force: flags.force, prune: flags.prune}
      const result = await websocket.deployWebSocket(options, await this.deps())
      this.out((await import('../output/websocket.ts')).renderWebSocketDeploy(result, await this.colors()))
      return result
    }
    const {deploy} = await import('../services/lifecycle/deploy.ts')
    const result = await deploy(
      {
        cwd: process.cwd(),
        configPath: flags.config,
        api: args.api,
        stage: flags.stage,
        mode: flags.mode as 'overwrite' | 'merge',
        allowWarnings: flags['allow-warnings'],
        force: flags.force,
        prune: flags.prune,
        dryRun: flags['dry-run'],
        allowRefOutside: flags['allow-ref-outside'],
      },
      await this.deps(),
    )
    const {renderDeploy} = await import('../output/deploy.ts')
    this.out(renderDeploy(result, await this.colors()))
    return result
  }
}
