import {Args, Flags} from '@oclif/core'
import {BaseCommand, specFlags} from '../base-command.ts'
import {CliError} from '../errors.ts'
import type {ApiOutcome} from '../services/each-api.ts'
import type {ValidateResult} from '../services/validate/validate.ts'

export default class Validate extends BaseCommand<typeof Validate> {
  static override summary = 'Check an OpenAPI spec against OpenAPI and API Gateway import rules.'
  static override description =
    'Findings carry file:line:column, a rule id and a hint. Exit 1 when a finding is an error, 3 when the input cannot be read.'
  static override examples = [
    '<%= config.bin %> validate',
    '<%= config.bin %> validate pets --format github',
    '<%= config.bin %> validate --spec openapi.yaml --type http',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    ...specFlags,
    spec: Flags.string({summary: 'Validate this OpenAPI file (works without apigw.yaml).'}),
    type: Flags.string({summary: 'API type the spec is for (default: from apigw.yaml, else rest).', options: ['rest', 'http']}),
    format: Flags.string({summary: 'Output format.', options: ['text', 'json', 'github'], default: 'text'}),
  }

  async run(): Promise<ValidateResult | Array<ApiOutcome<ValidateResult>>> {
    const {flags, args} = await this.parseAll()
    const [{validate}, {renderValidate}, {apisToRun}] = await Promise.all([
      import('../services/validate/validate.ts'),
      import('../output/validate.ts'),
      import('../services/each-api.ts'),
    ])
    const options = {
      cwd: process.cwd(),
      configPath: flags.config,
      api: args.api,
      specPath: flags.spec,
      type: flags.type as 'rest' | 'http' | undefined,
      allowRefOutside: flags['allow-ref-outside'],
    }
    const format = flags.format as 'text' | 'github' | 'json'
    const apis = await apisToRun(options)
    if (apis) {
      const colors = await this.colors()
      const render = (r: ValidateResult) =>
        format === 'json' ? JSON.stringify({status: r.valid ? 0 : 1, result: r, warnings: []}, null, 2) : renderValidate(r, format, colors)
      return this.eachApi(
        apis,
        (api) => validate({...options, api}),
        render,
        (r) => (r.valid ? undefined : failed(r)),
      )
    }
    const result = await validate(options)
    if (format === 'json' && !this.jsonEnabled()) this.out(JSON.stringify({status: result.valid ? 0 : 1, result, warnings: []}, null, 2))
    else this.out(renderValidate(result, format as 'text' | 'github', await this.colors()))
    if (!result.valid) throw failed(result)
    return result
  }
}

function failed(result: ValidateResult): CliError {
  return new CliError('VALIDATION_FAILED', `${result.spec} has ${result.counts.error} error${result.counts.error === 1 ? '' : 's'}.`, {
    hint: 'Fix the errors listed above, then run `apigw validate` again.',
    details: {result},
  })
}
