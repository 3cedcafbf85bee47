import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.ts'
import type {LogsResult} from '../services/logs/logs.ts'

export default class Logs extends BaseCommand<typeof Logs> {
  static override summary = "Show a stage's access and execution logs; --follow tails them."
  static override description =
    'Resolves the log groups of the stage. Human lines at a terminal; NDJSON ' +
    'with --json or when stdout is not a terminal. Ctrl-C ends --follow.'
  static override examples = [
    '<%= config.bin %> logs pets --stage dev --since 1h --status 5xx',
    '<%= config.bin %> logs --stage prod --follow',
    '<%= config.bin %> logs --stage dev --filter \'{ $.httpMethod = "POST" }\'',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    stage: Flags.string({summary: 'Stage name.', required: true}),
    type: Flags.string({summary: 'Which logs.', options: ['access', 'execution', 'all'], default: 'all'}),
    since: Flags.string({summary: 'Start of the window: 10m, 2h, 1d or an ISO time (default 10m).'}),
    until: Flags.string({summary: 'End of the window: a duration before now or an ISO time.'}),
    filter: Flags.string({summary: "CloudWatch filter pattern, e.g. '{ $.status = 5* }' or 'ERROR'."}),
    status: Flags.string({summary: 'Only these statuses: 5xx, 404, or a list 4xx,500 (access logs).'}),
    'request-id': Flags.string({summary: 'Only this request.'}),
    follow: Flags.boolean({char: 'f', summary: 'Keep printing new events until Ctrl-C.'}),
    'live-tail': Flags.boolean({
      summary: 'On AWS, follow with CloudWatch Live Tail (--no-live-tail polls instead).',
      allowNo: true,
      default: true,
    }),
  }

  async run(): Promise<LogsResult> {
    const {flags, args} = await this.parseAll()
    const [{logs}, out, deps] = await Promise.all([import('../services/logs/logs.ts'), import('../output/logs.ts'), this.deps()])
    const mode = this.jsonEnabled() || !process.stdout.isTTY ? 'ndjson' : 'human'
    const c = await this.colors()
    const colors = {...c, green: c.bold('x') === 'x' ? undefined : (await import('chalk')).default.green}
    const stop = new AbortController()
    const end = () => stop.abort()
    process.once('SIGINT', end).once('SIGTERM', end)
    process.stdout.on('error', end)
    this.onCleanup(() => void process.off('SIGINT', end).off('SIGTERM', end))
    const result = await logs(
      {
        cwd: process.cwd(),
        configPath: flags.config,
        api: args.api,
        stage: flags.stage,
        type: flags.type as 'all',
        since: flags.since,
        until: flags.until,
        filter: flags.filter,
        status: flags.status,
        requestId: flags['request-id'],
        follow: flags.follow,
        liveTail: flags['live-tail'],
        signal: stop.signal,
        onEvents: (events) => void (stop.signal.aborted || process.stdout.write(out.renderLogBatch(events, mode, colors))),
      },
      deps,
    )
    if (!this.jsonEnabled()) process.stderr.write(`${out.renderLogsSummary(result)}\n`)
    return result
  }

  /** The final envelope closes the NDJSON stream, so it is one line too. */
  protected override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json)}\n`)
  }
}
