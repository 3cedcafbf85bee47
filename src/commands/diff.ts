import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.ts'
import {CliError} from '../errors.ts'
import type {DiffResult} from '../services/diff/diff.ts'

export default class Diff extends BaseCommand<typeof Diff> {
  static override summary = 'Find breaking changes between two versions of a spec.'
  static override description =
    'A REF is a file, git:<rev> or git:<rev>:<path> (the spec at a git revision), or stage:<name> (what a deployed stage runs). The revision defaults to the working file. Exit 1 when a finding is at or above --fail-on.'
  static override examples = [
    '<%= config.bin %> diff --base git:main',
    '<%= config.bin %> diff pets --base stage:prod --format markdown --output diff.md',
    '<%= config.bin %> diff --base old.yaml --revision new.yaml --fail-on warning --format github',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    base: Flags.string({summary: 'The spec to compare against: FILE, git:<rev>[:<path>] or stage:<name>.', required: true}),
    revision: Flags.string({summary: 'The new spec (default: the working file of the API or --spec).'}),
    spec: Flags.string({summary: 'The working spec file (works without apigw.yaml).'}),
    'fail-on': Flags.string({summary: 'Exit 1 when a finding is at or above this level.', options: ['error', 'warning', 'info'], default: 'error'}),
    format: Flags.string({summary: 'Report format.', options: ['text', 'markdown', 'json', 'github', 'junit'], default: 'text'}),
    output: Flags.string({summary: 'Write the report to this file instead of stdout.'}),
  }

  async run(): Promise<DiffResult> {
    const {flags, args} = await this.parseAll()
    const {diff, writeDiffOutputs} = await import('../services/diff/diff.ts')
    const options = {cwd: process.cwd(), configPath: flags.config, api: args.api, specPath: flags.spec, base: flags.base, revision: flags.revision, failOn: flags['fail-on'] as 'error', now: new Date()}
    const result = await diff(options, () => this.deps())
    const format = flags.format as 'text'
    const {renderDiffForTerminal} = await import('../output/diff.ts')
    const written = writeDiffOutputs(result, {format, output: flags.output, cwd: process.cwd(), stepSummary: process.env.GITHUB_STEP_SUMMARY, render: renderDiffForTerminal})
    this.out(written ? `Report written to ${written}.` : renderDiffForTerminal(result, format, await this.colors()))
    if (!result.passed) {
      const n = result.findings.filter((f) => ['error', 'warning', 'info'].indexOf(f.level) <= ['error', 'warning', 'info'].indexOf(result.failOn)).length
      throw new CliError('BREAKING_CHANGES', `${n} change${n === 1 ? '' : 's'} at or above --fail-on ${result.failOn} between ${result.base} and ${result.revision}.`, {
        hint: 'Review them; keep the old behaviour, or record an accepted change under diff.ignore in apigw.yaml (with a reason).',
        details: {result},
      })
    }
    return result
  }
}
