import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.ts'
import type {MetricsResult} from '../services/metrics/metrics.ts'

export default class Metrics extends BaseCommand<typeof Metrics> {
  static override summary = "Show a stage's API Gateway metrics: requests, 4xx/5xx rates, latency, cache hits; --watch refreshes."
  static override description =
    'Reads CloudWatch (AWS/ApiGateway) on AWS, or the local traffic with --local. A table with a sparkline per row at a ' +
    'terminal; --by method|route needs detailed metrics (metrics: true on the stage). Ctrl-C ends --watch.'
  static override examples = [
    '<%= config.bin %> metrics pets --stage dev --local',
    '<%= config.bin %> metrics --stage prod --since 3h --period 5m --by method',
    '<%= config.bin %> metrics --stage prod --watch',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    stage: Flags.string({summary: 'Stage name.', required: true}),
    since: Flags.string({summary: 'Start of the window: 10m, 2h, 1d or an ISO time (default 1h).'}),
    period: Flags.string({summary: 'Length of one period: 1m, 5m, 1h (default 1m).'}),
    by: Flags.string({summary: 'Also one row per REST method or HTTP route.', options: ['method', 'route']}),
    watch: Flags.boolean({summary: 'Read again every few seconds until Ctrl-C.'}),
  }

  async run(): Promise<MetricsResult> {
    const {flags, args} = await this.parseAll()
    const [{metrics}, {renderMetrics}, deps] = await Promise.all([
      import('../services/metrics/metrics.ts'),
      import('../output/metrics.ts'),
      this.deps(),
    ])
    const tty = Boolean(process.stdout.isTTY)
    const colors = await this.colors()
    const stop = new AbortController()
    const end = () => stop.abort()
    if (flags.watch) {
      process.once('SIGINT', end).once('SIGTERM', end)
      this.onCleanup(() => void process.off('SIGINT', end).off('SIGTERM', end))
    }
    const show = (result: MetricsResult) => {
      if (this.jsonEnabled()) return flags.watch ? void process.stdout.write(`${JSON.stringify(result)}\n`) : undefined
      // At a terminal --watch redraws in place; elsewhere each reading follows the last.
      if (flags.watch && tty) process.stdout.write('\x1b[H\x1b[2J')
      this.out(renderMetrics(result, {sparkline: tty, colors}))
    }
    return metrics(
      {
        cwd: process.cwd(),
        configPath: flags.config,
        api: args.api,
        stage: flags.stage,
        since: flags.since,
        period: flags.period,
        by: flags.by as 'method' | undefined,
        watch: flags.watch,
        signal: stop.signal,
        onUpdate: show,
      },
      deps,
    )
  }

  /** With --watch the readings are NDJSON, so the final envelope is one line too. */
  protected override logJson(json: unknown): void {
    process.stdout.write(this.flags?.watch ? `${JSON.stringify(json)}\n` : `${JSON.stringify(json, null, 2)}\n`)
  }
}
