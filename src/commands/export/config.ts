import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {ExportConfigResult} from '../../services/export/config.ts'

export default class ExportConfig extends BaseCommand<typeof ExportConfig> {
  static override summary = 'Write a deployed WebSocket API back as apigw.yaml (AWS has no export for WebSocket APIs).'
  static override description =
    'Routes, integrations, integration and route responses, authorizers and the stage’s variables, throttling and ' +
    'access logs, read through apigatewayv2. REST and HTTP APIs: use `export spec`.'
  static override examples = [
    '<%= config.bin %> export config chat --stage prod --output live.yaml',
    '<%= config.bin %> export config --stage dev --local',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    stage: Flags.string({summary: 'Stage name.', required: true}),
    output: Flags.string({char: 'o', summary: 'Write to this file (default: stdout).'}),
  }

  async run(): Promise<ExportConfigResult> {
    const {flags, args} = await this.parseAll()
    const {exportConfig} = await import('../../services/export/config.ts')
    const options = {cwd: process.cwd(), configPath: flags.config, api: args.api, stage: flags.stage, output: flags.output}
    const result = await exportConfig(options, await this.deps())
    this.out(result.path ? `Wrote ${result.path} (${result.routes} routes) from stage ${result.stage} of ${result.api}` : result.content)
    return result
  }
}
