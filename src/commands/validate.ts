import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.ts'
import {CliError} from '../errors.ts'
import type {ValidateResult} from '../services/validate/validate.ts'

export default class Validate extends BaseCommand<typeof Validate> {
  static override summary = 'Check an OpenAPI spec against OpenAPI and API Gateway import rules.'
  static override description = 'Findings carry file:line:column, a rule id and a hint. Exit 1 when a finding is an error, 3 when the input cannot be read.'
  static override examples = ['<%= config.bin %> validate', '<%= config.bin %> validate pets --format github', '<%= config.bin %> validate --spec openapi.yaml --type http']
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    spec: Flags.string({summary: 'Validate this OpenAPI file (works without apigw.yaml).'}),
    type: Flags.string({summary: 'API type the spec is for (default: from apigw.yaml, else rest).', options: ['rest', 'http']}),
    format: Flags.string({summary: 'Output format.', options: ['text', 'json', 'github'], default: 'text'}),
    'allow-remote-refs': Flags.boolean({summary: 'Allow $refs to http(s) URLs (off: no network by default).'}),
  }

  async run(): Promise<ValidateResult> {
    const {flags, args} = await this.parseAll()
    const {validate} = await import('../services/validate/validate.ts')
    const result = await validate({
      cwd: process.cwd(),
      configPath: flags.config,
      api: args.api,
      specPath: flags.spec,
      type: flags.type as 'rest' | 'http' | undefined,
      allowRemoteRefs: flags['allow-remote-refs'],
    })
    const {renderValidate} = await import('../output/validate.ts')
    if (flags.format === 'json' && !this.jsonEnabled()) this.out(JSON.stringify({status: result.valid ? 0 : 1, result, warnings: []}, null, 2))
    else this.out(renderValidate(result, flags.format as 'text' | 'github', await this.colors()))
    if (!result.valid) {
      throw new CliError('VALIDATION_FAILED', `${result.spec} has ${result.counts.error} error${result.counts.error === 1 ? '' : 's'}.`, {
        hint: 'Fix the errors listed above, then run `apigw validate` again.',
        details: {result},
      })
    }
    return result
  }
}
