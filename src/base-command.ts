/**
 * The base of every command: the global flags of DESIGN.md, the --json envelope, error rendering with
 * the exit-code table, the non-interactive guard, colour rules and deps() for services.
 */
import {Command, Flags, type Interfaces} from '@oclif/core'
import type {AwsClients} from './aws/clients.ts'
import type {Deps, Progress} from './deps.ts'
import {CliError, EXIT, isCliError} from './errors.ts'
import {createProgress, progressMode} from './output/progress.ts'

export type GlobalFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

const GLOBAL = 'GLOBAL'

export type Envelope<T> =
  | {status: 0; result: T; warnings: string[]}
  | {status: number; result?: unknown; error: {code: string; message: string; hint?: string; details?: Record<string, unknown>}; warnings: string[]}

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    json: Flags.boolean({summary: 'Print one JSON document on stdout (never prompts).', helpGroup: GLOBAL}),
    config: Flags.string({summary: 'Path to apigw.yaml (default: found in this directory or a parent).', helpGroup: GLOBAL}),
    profile: Flags.string({summary: 'AWS profile to use.', helpGroup: GLOBAL, env: 'AWS_PROFILE'}),
    region: Flags.string({summary: 'AWS Region.', helpGroup: GLOBAL}),
    'endpoint-url': Flags.string({summary: 'Send AWS calls to this endpoint.', helpGroup: GLOBAL}),
    local: Flags.boolean({summary: 'Use the embedded API Gateway emulator instead of AWS.', helpGroup: GLOBAL}),
    color: Flags.boolean({summary: 'Colour the output (--no-color turns it off).', allowNo: true, default: true, helpGroup: GLOBAL}),
    debug: Flags.boolean({summary: 'Show stack traces and SDK details on errors.', helpGroup: GLOBAL}),
  }

  protected flags!: GlobalFlags<T>
  protected args!: CommandArgs<T>
  protected readonly warnings: string[] = []
  private cleanups: Array<() => Promise<void> | void> = []
  private argvFlags = {json: false, debug: false}

  override async init(): Promise<void> {
    await super.init()
    // Read the two flags that shape error output before parsing, so even a parse error honours them.
    this.argvFlags = {json: this.argv.includes('--json'), debug: this.argv.includes('--debug')}
    if (this.argv.includes('--no-color') || process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') {
      const {default: chalk} = await import('chalk')
      chalk.level = 0
    }
  }

  /** Parse the command's flags and args together with the global ones. */
  protected async parseAll(): Promise<{flags: GlobalFlags<T>; args: CommandArgs<T>}> {
    const {flags, args} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as GlobalFlags<T>
    this.args = args as CommandArgs<T>
    return {flags: this.flags, args: this.args}
  }

  override jsonEnabled(): boolean {
    return this.argvFlags.json || super.jsonEnabled()
  }

  /** True when the command may ask questions: a TTY on both ends, not CI, not --json. */
  protected get interactive(): boolean {
    return Boolean(process.stdin.isTTY && process.stderr.isTTY) && !inCi() && !this.jsonEnabled()
  }

  /** The command line as typed (`apigw rollback pets --stage prod --local`), for hints that repeat it. */
  protected commandLine(): string {
    const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)
    return ['apigw', ...this.id!.split(':'), ...this.argv.map(quote)].join(' ')
  }

  /** Fail with USAGE when a question would be needed but nobody can answer it. */
  protected requireInteractive(missing: string[]): void {
    if (this.interactive) return
    throw new CliError('NON_INTERACTIVE', `Missing ${missing.join(', ')}, and this session cannot prompt (no TTY, CI or --json).`, {
      hint: `Pass ${missing.join(' ')} on the command line.`,
    })
  }

  /** A progress reporter fit for where the output goes: listr2 tasks at a TTY, plain lines in CI, nothing with --json. */
  protected progress(): Progress {
    return createProgress(progressMode({json: this.jsonEnabled(), isTTY: Boolean(process.stderr.isTTY), ci: inCi()}), this.warnings)
  }

  /** Register work to run when the command ends, success or failure (closing clients, stopping an emulator). */
  protected onCleanup(fn: () => Promise<void> | void): void {
    this.cleanups.push(fn)
  }

  /** The dependencies services need, with AWS clients aimed where the global flags say. */
  protected async deps(): Promise<Deps> {
    const aws = await this.awsClients()
    return {aws, clock: () => new Date(), progress: this.progress(), interactive: this.interactive, cwd: process.cwd()}
  }

  protected async awsClients(): Promise<AwsClients> {
    const {resolveAwsTarget} = await import('./aws/target.ts')
    const target = await resolveAwsTarget({
      local: Boolean(this.flags?.local),
      endpointUrl: this.flags?.['endpoint-url'],
      region: this.flags?.region,
      profile: this.flags?.profile,
      configPath: this.flags?.config,
      cwd: process.cwd(),
    })
    this.onCleanup(() => target.close())
    return target.clients
  }

  /** Chalk-backed colours for renderers: only on a TTY, never with NO_COLOR or --no-color. */
  protected async colors(stream: NodeJS.WriteStream = process.stdout): Promise<import('./output/findings.ts').Colors> {
    const {noColors} = await import('./output/findings.ts')
    if (!stream.isTTY || this.argv.includes('--no-color') || (process.env.NO_COLOR ?? '') !== '') return noColors
    const {default: chalk} = await import('chalk')
    if (chalk.level === 0) return noColors
    return {red: chalk.red, yellow: chalk.yellow, blue: chalk.blue, dim: chalk.dim, bold: chalk.bold}
  }

  /** Print a human line on stdout (the result) unless --json. */
  protected out(text: string): void {
    if (!this.jsonEnabled() && text !== '') process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  protected override toSuccessJson(result: unknown): Envelope<unknown> {
    return {status: 0, result: result ?? null, warnings: this.warnings}
  }

  protected override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  }

  override async finally(error: Error | undefined): Promise<unknown> {
    for (const fn of this.cleanups.splice(0).reverse()) {
      try {
        await fn()
      } catch {
        // Cleanup must never hide the command's own outcome.
      }
    }
    return super.finally(error)
  }

  override async catch(raw: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    const error = toCliError(raw)
    process.exitCode = error.exitCode
    if (this.jsonEnabled()) {
      // A gate failure (exit 1) still carries its result: the findings that failed it.
      const {result, ...details} = error.details ?? {}
      const json = error.toJSON()
      if (error.details) json.details = details
      if (json.details && Object.keys(json.details).length === 0) delete json.details
      this.logJson({status: error.exitCode, ...(result === undefined ? {} : {result}), error: json, warnings: this.warnings})
      return
    }
    const {default: chalk} = await import('chalk')
    const color = process.stderr.isTTY && chalk.level > 0
    const red = (s: string) => (color ? chalk.red(s) : s)
    const dim = (s: string) => (color ? chalk.dim(s) : s)
    const lines = [`${red('Error:')} ${error.message} ${dim(`[${error.code}]`)}`]
    if (error.hint) lines.push(`${dim('Hint:')} ${error.hint}`)
    if (this.argvFlags.debug) {
      const cause = error.cause instanceof Error ? error.cause : error
      lines.push(dim(cause.stack ?? String(cause)))
    }
    process.stderr.write(`${lines.join('\n')}\n`)
  }
}

/** True under CI (CI set to anything but empty, 0 or false), as CI services and most CLIs read it. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false'
}

/** Turn anything thrown into a CliError: oclif parse errors become USAGE, Ctrl-C becomes CANCELLED, the rest INTERNAL. */
export function toCliError(raw: unknown): CliError {
  if (isCliError(raw)) return raw
  const e = raw as Error & {oclif?: {exit?: number}; name?: string; code?: string}
  if (e?.name === 'ExitPromptError' || e?.name === 'AbortPromptError') {
    return new CliError('CANCELLED', 'Cancelled.', {cause: raw})
  }
  if (e?.oclif?.exit !== undefined && e.oclif.exit !== EXIT.BUG) {
    const message = (e.message ?? 'Invalid command line.').split('\n').map((l) => l.trim()).filter(Boolean)
    return new CliError('USAGE', message[0] ?? 'Invalid command line.', {
      hint: `${message.slice(1).join(' ')} See --help for the flags.`.trim(),
      cause: raw,
    })
  }
  return new CliError('INTERNAL', `Unexpected error: ${e?.message ?? String(raw)}`, {
    hint: 'This is a bug in apigw; please report it with the output of the same command run with --debug.',
    cause: raw,
  })
}
