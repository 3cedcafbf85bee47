/**
 * Hints that work when copied (issue 14 point 5): a command run with `--local`, `--endpoint-url`, `--region`,
 * `--profile` or `--config` prints hints that name other apigw commands (`apigw deploy pets --stage qa`); followed as
 * printed, they would go to AWS's default account or another project. `withTargetFlags` appends the target flags in
 * use to every apigw command quoted in backticks in a text, unless the command already says them. BaseCommand runs
 * every error message and hint, every warning and the human output through it, so a service writes its hints once,
 * without knowing where the command sends its calls. Pure.
 */

/** The flags that say where a command's calls go, as typed on the command line. */
export type TargetFlags = {
  local?: boolean
  endpointUrl?: string
  region?: string
  profile?: string
  config?: string
}

const VALUED = {'--endpoint-url': 'endpointUrl', '--region': 'region', '--profile': 'profile', '--config': 'config'} as const

/** The target flags given on the command line (not from the environment: AWS_PROFILE needs no repeating). */
export function targetFlagsFromArgv(argv: readonly string[]): TargetFlags {
  const flags: TargetFlags = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') break
    if (arg === '--local') flags.local = true
    else if (arg === '--no-local') delete flags.local
    const eq = arg.indexOf('=')
    const name = eq > 0 ? arg.slice(0, eq) : arg
    const key = VALUED[name as keyof typeof VALUED]
    if (!key) continue
    const value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1]
    if (eq < 0) i++
    if (value !== undefined && value !== '') flags[key] = value
  }
  return flags
}

/** A word as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`
}

/**
 * `text` with the target flags appended to each `` `apigw …` `` command in it. `apigw init` takes none (it makes a
 * project), `apigw validate` and `apigw local …` only `--config` (they never call AWS); a flag the command already
 * names is not repeated, and a `--help` command is left alone.
 */
export function withTargetFlags(text: string, flags: TargetFlags): string {
  if (!flags.local && !flags.endpointUrl && !flags.region && !flags.profile && !flags.config) return text
  return text.replace(/`(apigw [^`\n]+)`/g, (whole, command: string) => {
    const words = command.split(/\s+/)
    const sub = words[1] ?? ''
    if (sub === 'init' || words.includes('--help')) return whole
    const projectOnly = sub === 'validate' || sub === 'local'
    const has = (flag: string) => words.some((w) => w === flag || w.startsWith(`${flag}=`))
    const extra: string[] = []
    if (!projectOnly) {
      if (flags.local && !has('--local')) extra.push('--local')
      if (flags.endpointUrl && !has('--endpoint-url') && !has('--local')) extra.push('--endpoint-url', shellWord(flags.endpointUrl))
      if (flags.region && !has('--region')) extra.push('--region', shellWord(flags.region))
      if (flags.profile && !has('--profile')) extra.push('--profile', shellWord(flags.profile))
    }
    if (flags.config && !has('--config')) extra.push('--config', shellWord(flags.config))
    return extra.length === 0 ? whole : `\`${command} ${extra.join(' ')}\``
  })
}
