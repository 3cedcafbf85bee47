/**
 * The base of every command: the global flags of DESIGN.md, the --json envelope, error rendering with
 * the exit-code table, the non-interactive guard, colour rules and deps() for services.
 */
import {Command, Flags, type Interfaces} from '@oclif/core'
import type {AwsClients} from './aws/clients.ts'
import type {Deps, Progress} from './deps.ts'
import {isInputProblem} from './core/spec/problem.ts'
import {CliError, EXIT, isCliError} from './errors.ts'
import {createProgress, progressMode} from './output/progress.ts'
import {shellWord, targetFlagsFromArgv, withTargetFlags} from './output/target-flags.ts'

export type GlobalFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

const GLOBAL = 'GLOBAL'

export type Envelope<T> =
  | {status: 0; result: T; warnings: string[]}
  | {
      status: number
      result?: unknown
      error: {code: string; message: string; hint?: string; details?: Record<string, unknown>}
      warnings: string[]
    }

/** Flags of the commands that load a spec. */
export const specFlags = {
  'allow-ref-outside': Flags.string({
    summary: "Let the spec's $refs read files under this directory too (repeatable; default: only inside the project).",
    multiple: true,
  }),
}

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    json: Flags.boolean({summary: 'Print one JSON document on stdout (never prompts).', helpGroup: GLOBAL}),
    config: Flags.string({summary: 'Path to apigw.yaml (default: found in this directory or a parent).', helpGroup: GLOBAL}),
    profile: Flags.string({summary: 'AWS profile to use.', helpGroup: GLOBAL, env: 'AWS_PROFILE'}),
    region: Flags.string({summary: 'AWS Region.', helpGroup: GLOBAL}),
    'endpoint-url': Flags.string({summary: 'Send AWS calls to this endpoint.', helpGroup: GLOBAL}),
    local: Flags.boolean({summary: 'Use the embedded API Gateway emulator instead of AWS.', helpGroup: GLOBAL}),
    'lambda-endpoint': Flags.string({
      summary: 'With --local: invoke functions apigw.yaml does not define through this Lambda Invoke API (e.g. sam local start-lambda).',
      helpGroup: GLOBAL,
    }),
    color: Flags.boolean({summary: 'Colour the output (--no-color turns it off).', allowNo: true, default: true, helpGroup: GLOBAL}),
    debug: Flags.boolean({summary: 'Show stack traces and SDK details on errors.', helpGroup: GLOBAL}),
    'connect-timeout': Flags.integer({
      summary: 'Seconds to wait for a connection to AWS or the endpoint (default 10).',
      min: 1,
      env: 'APIGW_CONNECT_TIMEOUT',
      helpGroup: GLOBAL,
    }),
    'read-timeout': Flags.integer({
      summary: 'Seconds to wait for an answer on an open connection (default 60).',
      min: 1,
      env: 'APIGW_READ_TIMEOUT',
      helpGroup: GLOBAL,
    }),
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
    if (this.argv.includes('--no-color') || (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '')) {
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
    return ['apigw', ...this.id!.split(':'), ...this.argv.map(shellWord)].join(' ')
  }

  /** `text` with the target flags of this command line (--local, --region…) added to the apigw commands it quotes. */
  protected retarget(text: string): string {
    return withTargetFlags(text, targetFlagsFromArgv(this.argv))
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
    const progress = createProgress(
      progressMode({json: this.jsonEnabled(), isTTY: Boolean(process.stderr.isTTY), ci: inCi()}),
      this.warnings,
    )
    // Warnings and notes may name a next command: it carries the target flags in use, as hints do.
    return {
      ...progress,
      info: (message) => progress.info(this.retarget(message)),
      warn: (message) => progress.warn(this.retarget(message)),
    }
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
      lambdaEndpoint: this.flags?.['lambda-endpoint'],
      timeouts: {connectTimeoutMs: seconds(this.flags?.['connect-timeout']), readTimeoutMs: seconds(this.flags?.['read-timeout'])},
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

  /**
   * Run a read command on several APIs (apigw.yaml has more than one and none was named): a section per API on
   * stdout, its error under it, then the worst failure thrown (exit code and code of the worst API; --json: the
   * list of outcomes as the result).
   */
  protected async eachApi<R>(
    apis: string[],
    run: (api: string) => Promise<R>,
    render: (result: R) => string | Promise<string>,
    gate?: (result: R) => CliError | undefined,
  ): Promise<Array<import('./services/each-api.ts').ApiOutcome<R>>> {
    const {runEachApi, worstOutcome} = await import('./services/each-api.ts')
    const outcomes = await runEachApi(apis, run, gate)
    if (!this.jsonEnabled()) {
      const c = await this.colors()
      const sections: string[] = []
      for (const o of outcomes) {
        const lines = [c.bold(`=== ${o.api} ===`)]
        if (o.result !== undefined) lines.push(await render(o.result))
        if (o.skipped) lines.push(`Skipped: ${o.skipped}`)
        if (o.error) lines.push(`Error: ${o.error.message} [${o.error.code}]${o.error.hint ? `\nHint: ${o.error.hint}` : ''}`)
        sections.push(lines.filter((l) => l !== '').join('\n'))
      }
      this.out(sections.join('\n\n'))
    }
    const worst = worstOutcome(outcomes)
    if (worst) throw worst
    return outcomes
  }

  /** Print a human line on stdout (the result) unless --json. */
  protected out(text: string): void {
    if (this.jsonEnabled() || text === '') return
    // A report printed as JSON (validate --format json) stays as built; human text names commands that work as printed.
    const shown = /^\s*[[{]/.test(text) ? text : this.retarget(text)
    process.stdout.write(shown.endsWith('\n') ? shown : `${shown}\n`)
  }

  /** For usage errors only: the command as typed and its flag names (loading the config's "did you mean" then). */
  private async usageContext(raw: {oclif?: {exit?: number}}): Promise<UsageContext> {
    if (isCliError(raw) || raw?.oclif?.exit === undefined) return {}
    const ctor = this.ctor as typeof BaseCommand
    const flags = Object.keys({...ctor.baseFlags, ...ctor.flags})
    const id = (this.id ?? '').split(':').join(' ')
    return {command: `${this.config.bin}${id ? ` ${id}` : ''}`, flags, closest: await typoGuesser()}
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

  override async catch(raw: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<void> {
    const error = toCliError(raw, await this.usageContext(raw))
    // The next step a message or hint names works when copied: the same --local, --region, --profile, --config.
    Object.assign(error, {message: this.retarget(error.message), hint: error.hint && this.retarget(error.hint)})
    await writeError(error, {
      json: this.jsonEnabled(),
      debug: this.argvFlags.debug,
      warnings: this.warnings,
      logJson: (json) => this.logJson(json),
    })
  }
}

/** Print a failure as every command does: the JSON envelope with --json, else `Error: … [CODE]` and `Hint: …` on stderr. */
export async function writeError(
  error: CliError,
  options: {json: boolean; debug: boolean; warnings: string[]; logJson?: (json: unknown) => void},
): Promise<void> {
  process.exitCode = error.exitCode
  if (options.json) {
    // A gate failure (exit 1) still carries its result: the findings that failed it.
    const {result, ...details} = error.details ?? {}
    const json = error.toJSON()
    if (error.details) json.details = details
    if (json.details && Object.keys(json.details).length === 0) delete json.details
    const envelope = {status: error.exitCode, ...(result === undefined ? {} : {result}), error: json, warnings: options.warnings}
    if (options.logJson) options.logJson(envelope)
    else process.stdout.write(`${JSON.stringify(envelope, null, 2)}\n`)
    return
  }
  const {default: chalk} = await import('chalk')
  const color = process.stderr.isTTY && chalk.level > 0
  const red = (s: string) => (color ? chalk.red(s) : s)
  const dim = (s: string) => (color ? chalk.dim(s) : s)
  // Messages may quote AWS's own error text or names from AWS: shown with control characters escaped.
  const {terminalSafe} = await import('./output/terminal-text.ts')
  const lines = [`${red('Error:')} ${terminalSafe(error.message, {newlines: true})} ${dim(`[${error.code}]`)}`]
  if (error.hint) lines.push(`${dim('Hint:')} ${terminalSafe(error.hint, {newlines: true})}`)
  if (options.debug) {
    const cause = error.cause instanceof Error ? error.cause : error
    lines.push(dim(cause.stack ?? String(cause)))
  }
  process.stderr.write(`${lines.join('\n')}\n`)
}

const seconds = (s: number | undefined): number | undefined => (s === undefined ? undefined : s * 1000)

/** True under CI (CI set to anything but empty, 0 or false), as CI services and most CLIs read it. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false'
}

/** What a usage error may name: the command (`apigw diff`) and the flags it takes, for "did you mean". */
export type UsageContext = {
  command?: string
  flags?: readonly string[]
  closest?: (word: string, candidates: readonly string[]) => string | undefined
}

/**
 * "Did you mean" for command-line words: the config's closest match, kept only when it is one edit per three
 * letters away (at least one), so `--locl` suggests --local and `deplyo` deploy, but `--nope` suggests nothing.
 */
export async function typoGuesser(): Promise<(word: string, candidates: readonly string[]) => string | undefined> {
  const [{closest}, {distance}] = await Promise.all([import('./core/config/config.ts'), import('fastest-levenshtein')])
  return (word, candidates) => {
    const guess = closest(word, candidates)
    return guess !== undefined && distance(word.toLowerCase(), guess.toLowerCase()) <= Math.max(1, Math.floor(word.length / 3))
      ? guess
      : undefined
  }
}

/** Turn anything thrown into a CliError: oclif parse errors become USAGE, Ctrl-C becomes CANCELLED, the rest INTERNAL. */
export function toCliError(raw: unknown, context: UsageContext = {}): CliError {
  if (isCliError(raw)) return raw
  // A spec or config problem from core/ that reached the command without a service's translation: still exit 3.
  if (isInputProblem(raw))
    return new CliError(raw.code, raw.message, {hint: raw.hint, ...(raw.details ? {details: raw.details} : {}), cause: raw})
  const e = raw as Error & {oclif?: {exit?: number}; name?: string; code?: string}
  if (e?.name === 'ExitPromptError' || e?.name === 'AbortPromptError') {
    return new CliError('CANCELLED', 'Cancelled.', {cause: raw})
  }
  if (e?.oclif?.exit !== undefined && e.oclif.exit !== EXIT.BUG) return usageError(e.message ?? '', context, raw)
  return new CliError('INTERNAL', `Unexpected error: ${e?.message ?? String(raw)}`, {
    hint: 'This is a bug in apigw; please report it with the output of the same command run with --debug.',
    cause: raw,
  })
}

/**
 * oclif's parse errors in one style: the reason in the message ("Missing required flag --base.", "Invalid value for
 * --percent: expected an integer less than or equal to 100 but received: 150.", "Unknown flag --locl (did you mean
 * --local?)."), and the command's help in the hint. oclif wraps them in "The following error occurred:" and "See more
 * help with --help" lines, which say nothing.
 */
export function usageError(oclifMessage: string, context: UsageContext, cause?: unknown): CliError {
  const lines = oclifMessage
    // biome-ignore lint/suspicious/noControlCharactersInRegex: oclif colours the reasons; the ANSI codes go
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^See more help with --help$/.test(l))
  if (/^The following errors? occurred:$/.test(lines[0] ?? '')) lines.shift()
  const reasons: string[] = []
  let hint = ''
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const required = /^Missing required flag (\S+)$/.exec(line)
    const parsing = /^Parsing (--\S+)$/.exec(line)
    const unknown = /^Nonexistent flags?: (.+)$/.exec(line)
    if (required) {
      reasons.push(`Missing required flag --${required[1]}`)
      hint ||= `Pass --${required[1]} <value>.`
    } else if (parsing) {
      const why = lines[i + 1]
      if (why !== undefined) i++
      reasons.push(
        why ? `Invalid value for ${parsing[1]}: ${why.charAt(0).toLowerCase()}${why.slice(1)}` : `Invalid value for ${parsing[1]}`,
      )
    } else if (unknown) {
      for (const flag of unknown[1]!.split(', ')) {
        const name = flag.replace(/^-+/, '').split('=')[0]!
        const guess = context.closest && context.flags ? context.closest(name, context.flags) : undefined
        reasons.push(`Unknown flag ${flag}${guess ? ` (did you mean --${guess}?)` : ''}`)
      }
    } else {
      reasons.push(line.replace(/:$/, ''))
    }
  }
  const message = `${(reasons.length > 0 ? reasons : ['Invalid command line']).join('; ')}.`.replace(/\.\.$/, '.')
  const help = context.command ? `\`${context.command} --help\`` : '--help'
  return new CliError('USAGE', message, {hint: `${hint ? `${hint} ` : ''}See ${help} for the flags and arguments.`, cause})
}
