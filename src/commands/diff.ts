import {Args, Flags} from '@oclif/core'
import {BaseCommand, specFlags} from '../base-command.ts'
import {CliError} from '../errors.ts'
import type {ApiOutcome} from '../services/each-api.ts'
import type {DiffResult} from '../services/diff/diff.ts'

export default class Diff extends BaseCommand<typeof Diff> {
  static override summary = 'Find breaking changes between two versions of a spec.'
  static override description =
    'A REF is a file, git:<rev> or git:<rev>:<path> (the spec at a git revision), or stage:<name> (what a deployed ' +
    'stage runs). The revision defaults to the working file. An apigw.yaml file or git revision also compares its ' +
    'domains: (custom domain names and mappings). Exit 1 when a finding is at or above --fail-on.'
  static override examples = [
    '<%= config.bin %> diff --base git:main',
    '<%= config.bin %> diff pets --base stage:prod --format markdown --output diff.md',
    '<%= config.bin %> diff --base old.yaml --revision new.yaml --fail-on warning --format github',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    ...specFlags,
    base: Flags.string({summary: 'The spec to compare against: FILE, git:<rev>[:<path>] or stage:<name>.', required: true}),
    revision: Flags.string({summary: 'The new spec (default: the working file of the API or --spec).'}),
    spec: Flags.string({summary: 'The working spec file (works without apigw.yaml).'}),
    'fail-on': Flags.string({
      summary: 'Exit 1 when a finding is at or above this level.',
      options: ['error', 'warning', 'info'],
      default: 'error',
    }),
    format: Flags.string({summary: 'Report format.', options: ['text', 'markdown', 'json', 'github', 'junit'], default: 'text'}),
    output: Flags.string({summary: 'Write the report to this file instead of stdout.'}),
  }

  async run(): Promise<DiffResult | Array<ApiOutcome<DiffResult>>> {
    const {flags, args} = await this.parseAll()
    const [{diff, writeDiffOutputs, refsAreConfigFiles}, {renderDiffForTerminal}, {apisToRun}] = await Promise.all([
      import('../services/diff/diff.ts'),
      import('../output/diff.ts'),
      import('../services/each-api.ts'),
    ])
    const options = {
      cwd: process.cwd(),
      configPath: flags.config,
      api: args.api,
      specPath: flags.spec,
      base: flags.base,
      revision: flags.revision,
      failOn: flags['fail-on'] as 'error',
      allowRefOutside: flags['allow-ref-outside'],
      now: new Date(),
    }
    const format = flags.format as 'text'
    const colors = await this.colors()
    // Several APIs: each against its own git:/stage: base, or between two apigw.yaml files (a spec file, or one --output,
    // names one API).
    const perApi =
      flags.output === undefined &&
      flags.spec === undefined &&
      ((/^(git|stage):/.test(flags.base) && flags.revision === undefined) || refsAreConfigFiles(process.cwd(), flags.base, flags.revision))
    const apis = perApi ? await apisToRun(options) : undefined
    if (apis)
      return this.eachApi(
        apis,
        (api) => diff({...options, api}, () => this.deps()),
        (r) => renderDiffForTerminal(r, format, colors),
        (r) => (r.passed ? undefined : breaking(r)),
      )
    const result = await diff(options, () => this.deps())
    const written = writeDiffOutputs(result, {
      format,
      output: flags.output,
      cwd: process.cwd(),
      stepSummary: process.env.GITHUB_STEP_SUMMARY,
      render: renderDiffForTerminal,
    })
    this.out(written ? `Report written to ${written}.` : renderDiffForTerminal(result, format, colors))
    if (!result.passed) throw breaking(result)
    return result
  }
}

function breaking(result: DiffResult): CliError {
  const n = result.findings.filter(
    (f) => ['error', 'warning', 'info'].indexOf(f.level) <= ['error', 'warning', 'info'].indexOf(result.failOn),
  ).length
  return new CliError(
    'BREAKING_CHANGES',
    `${n} change${n === 1 ? '' : 's'} at or above --fail-on ${result.failOn} between ${result.base} and ${result.revision}.`,
    {
      hint: 'Review them; keep the old behaviour, or record an accepted change under diff.ignore in apigw.yaml (with a reason).',
      details: {result},
    },
  )
}
