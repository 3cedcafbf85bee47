import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.ts'
import type {DevResult} from '../services/dev/dev.ts'

export default class Dev extends BaseCommand<typeof Dev> {
  static override summary = 'Serve the project locally: emulator, deploy, and deploy again on every save, until Ctrl-C.'
  static override description =
    'Starts the emulator in this process, deploys the API (every REST and HTTP API with the stage when none is named) to the ' +
    "stage, prints its URLs, and watches apigw.yaml, the spec (and the files its $refs read) and the Lambda handlers' " +
    'directories. A save deploys again; a deploy that fails prints the errors and the stage keeps serving its last good ' +
    'deployment. One line per request. --json prints NDJSON events. Commands with --local attach to it.'
  static override examples = ['<%= config.bin %> dev', '<%= config.bin %> dev pets --stage dev --port 0', '<%= config.bin %> dev --json']
  static override args = {api: Args.string({description: 'API name in apigw.yaml (default: every REST and HTTP API with the stage).'})}
  static override flags = {
    stage: Flags.string({summary: 'Stage to deploy and serve.', default: 'dev'}),
    port: Flags.integer({summary: 'Port to listen on (0: any free port).', default: 4567, min: 0, max: 65535}),
    'data-dir': Flags.string({summary: 'State directory (default: .apigw/local beside apigw.yaml).'}),
  }

  async run(): Promise<DevResult> {
    const {flags, args} = await this.parseAll()
    const [{dev}, {deploy}, {startLocalServer}, {renderDevEvent}] = await Promise.all([
      import('../services/dev/dev.ts'),
      import('../services/lifecycle/deploy.ts'),
      import('../services/local.ts'),
      import('../output/dev.ts'),
    ])
    const json = this.jsonEnabled()
    const colors = await this.colors(process.stderr)
    const stop = new AbortController()
    const end = () => stop.abort()
    // Listen for Ctrl-C and SIGTERM before anything starts: a stop at any moment ends the loop cleanly.
    process.once('SIGINT', end).once('SIGTERM', end)
    this.onCleanup(() => void process.off('SIGINT', end).off('SIGTERM', end))
    const shown = new Set<string>()
    const result = await dev(
      {
        cwd: process.cwd(),
        configPath: flags.config,
        api: args.api,
        stage: flags.stage,
        port: flags.port,
        dataDir: flags['data-dir'],
        lambdaEndpoint: flags['lambda-endpoint'],
        signal: stop.signal,
        onEvent: (event) => {
          if (json) {
            const line = event.event === 'deploy-failed' ? {...event, error: event.error.toJSON()} : event
            process.stdout.write(`${JSON.stringify(line)}\n`)
            return
          }
          const key = event.event === 'deployed' ? `${event.api} ${event.apiId}` : ''
          const text = renderDevEvent(event, colors, event.event === 'deployed' && !shown.has(key))
          if (key) shown.add(key)
          if (text.stdout) process.stdout.write(text.stdout)
          if (text.stderr) process.stderr.write(text.stderr)
        },
      },
      {deploy, startLocalServer},
    )
    if (!json) process.stderr.write(`Stopped: ${result.deploys} deploys, ${result.failedDeploys} failed, ${result.requests} requests.\n`)
    return result
  }

  /** NDJSON: the final envelope on one line, like the events before it. */
  protected override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json)}\n`)
  }
}
