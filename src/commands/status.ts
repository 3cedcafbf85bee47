import {Args} from '@oclif/core'
import {BaseCommand, specFlags} from '../base-command.ts'
import type {ApiOutcome} from '../services/each-api.ts'
import type {StatusResult} from '../services/lifecycle/status.ts'
import type {WebSocketStatusResult} from '../services/lifecycle/websocket.ts'

export default class Status extends BaseCommand<typeof Status> {
  static override summary = "Show each stage's deployment, when and from which commit, and whether it matches the repo."
  static override description =
    'States: in-sync (the repo spec and apigw.yaml settings), repo-ahead (the repo spec changed since ' +
    'the deploy), drifted (settings differ, or the deployment was not made by apigw), not-deployed.'
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status pets --json', '<%= config.bin %> status --local']
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {...specFlags}

  async run(): Promise<StatusResult | Array<ApiOutcome<StatusResult | WebSocketStatusResult>> | WebSocketStatusResult> {
    const {flags, args} = await this.parseAll()
    const [{status}, {renderStatus}, {apisToRun}, websocket, {renderWebSocketStatus}] = await Promise.all([
      import('../services/lifecycle/status.ts'),
      import('../output/status.ts'),
      import('../services/each-api.ts'),
      import('../services/lifecycle/websocket.ts'),
      import('../output/websocket.ts'),
    ])
    const options = {cwd: process.cwd(), configPath: flags.config, api: args.api, allowRefOutside: flags['allow-ref-outside']}
    if (await websocket.isWebSocketApi(options)) {
      const result = await websocket.statusWebSocket(options, await this.deps())
      this.out(renderWebSocketStatus(result, await this.colors()))
      return result
    }
    const [deps, colors, apis] = await Promise.all([this.deps(), this.colors(), apisToRun(options)])
    if (apis)
      return this.eachApi<StatusResult | WebSocketStatusResult>(
        apis,
        async (api) =>
          (await websocket.isWebSocketApi({...options, api}))
            ? websocket.statusWebSocket({...options, api}, deps)
            : status({...options, api}, deps),
        (r) => (r.type === 'websocket' ? renderWebSocketStatus(r, colors) : renderStatus(r, colors)),
      )
    const result = await status(options, deps)
    this.out(renderStatus(result, colors))
    return result
  }
}
