import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {ExportSpecResult} from '../../services/export/spec.ts'

export default class ExportSpec extends BaseCommand<typeof ExportSpec> {
  static override summary = 'Export the OpenAPI spec a deployed stage runs.'
  static override description =
    'REST APIs through GetExport (oas30 or swagger), HTTP APIs through ' +
    'ExportApi (oas30). JSON unless --yaml or an --output ending in .yaml/.yml.'
  static override examples = [
    '<%= config.bin %> export spec pets --stage prod --output pets.yaml',
    '<%= config.bin %> export spec --stage dev --format swagger --extensions integrations,authorizers',
    '<%= config.bin %> export spec --stage dev --strip-extensions > openapi.json',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    stage: Flags.string({summary: 'Stage name.', required: true}),
    format: Flags.string({
      summary: 'OpenAPI version (swagger is OpenAPI 2.0, REST only).',
      options: ['oas30', 'swagger'],
      default: 'oas30',
    }),
    yaml: Flags.boolean({summary: 'YAML instead of JSON.'}),
    extensions: Flags.string({
      summary: 'x-amazon-apigateway extensions to include (REST).',
      multiple: true,
      delimiter: ',',
      options: ['integrations', 'authorizers', 'apigateway', 'postman', 'documentation'],
      default: [],
    }),
    'strip-extensions': Flags.boolean({summary: 'Drop every x-amazon-apigateway-* member.'}),
    output: Flags.string({char: 'o', summary: 'Write to this file (default: stdout).'}),
  }

  async run(): Promise<ExportSpecResult> {
    const {flags, args} = await this.parseAll()
    const [{exportSpec}, {renderExportSpec}, deps] = await Promise.all([
      import('../../services/export/spec.ts'),
      import('../../output/export.ts'),
      this.deps(),
    ])
    const result = await exportSpec(
      {
        cwd: process.cwd(),
        configPath: flags.config,
        api: args.api,
        stage: flags.stage,
        format: flags.format as 'oas30' | 'swagger',
        yaml: flags.yaml,
        extensions: flags.extensions,
        stripExtensions: flags['strip-extensions'],
        output: flags.output,
      },
      deps,
    )
    this.out(renderExportSpec(result))
    return result
  }
}
