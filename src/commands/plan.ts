import {Args, Flags} from '@oclif/core'
import {BaseCommand, specFlags} from '../base-command.ts'
import type {ApiOutcome} from '../services/each-api.ts'
import type {PlanResult} from '../services/lifecycle/plan.ts'
import type {WebSocketDeployResult} from '../services/lifecycle/websocket.ts'

export default class Plan extends BaseCommand<typeof Plan> {
  static override summary = 'Show what deploy would do to a stage: spec changes, settings changes and the exact AWS calls.'
  static override description =
    'Compares the repo (the spec and the stage settings in apigw.yaml) with what the stage runs. Changes nothing.'
  static override examples = ['<%= config.bin %> plan --stage dev', '<%= config.bin %> plan pets --stage prod --json']
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    ...specFlags,
    stage: Flags.string({summary: 'Stage name.', required: true}),
    mode: Flags.string({summary: 'PutRestApi mode (REST).', options: ['overwrite', 'merge'], default: 'overwrite'}),
    'allow-warnings': Flags.boolean({summary: 'Plan the import without failonwarnings.'}),
    force: Flags.boolean({summary: 'Plan a new deployment even when the stage is up to date.'}),
    prune: Flags.boolean({
      summary: 'Delete usage plans, alarms and custom-domain mappings of this API that apigw.yaml no longer declares.',
    }),
  }

  async run(): Promise<PlanResult | Array<ApiOutcome<PlanResult>> | WebSocketDeployResult> {
    const {flags, args} = await this.parseAll()
    const [{plan}, {renderPlan}, {apisToRun}, {renderDomains}] = await Promise.all([
      import('../services/lifecycle/plan.ts'),
      import('../output/plan.ts'),
      import('../services/each-api.ts'),
      import('../output/deploy.ts'),
    ])
    const options = {
      cwd: process.cwd(),
      configPath: flags.config,
      api: args.api,
      stage: flags.stage,
      mode: flags.mode as 'overwrite' | 'merge',
      allowWarnings: flags['allow-warnings'],
      force: flags.force,
      prune: flags.prune,
      allowRefOutside: flags['allow-ref-outside'],
    }
    const websocket = await import('../services/lifecycle/websocket.ts')
    if (await websocket.isWebSocketApi(options)) {
      const result = await websocket.deployWebSocket({...options, dryRun: true}, await this.deps())
      this.out((await import('../output/websocket.ts')).renderWebSocketDeploy(result, await this.colors()))
      return result
    }
    const [deps, colors, apis] = await Promise.all([this.deps(), this.colors(), apisToRun(options)])
    if (apis)
      return this.eachApi(
        apis,
        (api) => plan({...options, api}, deps),
        (r) => renderPlan(r, colors) + renderDomains(r.domains, true),
      )
    const result = await plan(options, deps)
    this.out(renderPlan(result, colors) + renderDomains(result.domains, true))
    return result
  }
}
