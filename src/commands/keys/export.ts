import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {ExportResult} from '../../services/keys/list.ts'

export default class KeysExport extends BaseCommand<typeof KeysExport> {
  static override summary = 'Export the API keys apigw manages as CSV: names and ids, values only with --show-values.'
  static override description =
    "With --show-values the file is AWS's API key format (Name, Key, Description, Enabled, UsagePlanIds), which " +
    '`apigw keys import` and `aws apigateway import-api-keys` read; written with --output-file it gets mode 0600.'
  static override examples = ['<%= config.bin %> keys export', '<%= config.bin %> keys export --show-values --output-file keys.csv']
  static override flags = {
    'show-values': Flags.boolean({summary: 'Include the key values (secrets).'}),
    'output-file': Flags.string({summary: 'Write the CSV to this file instead of stdout.'}),
    api: Flags.string({summary: 'API in apigw.yaml (optional when it has one API).'}),
  }

  async run(): Promise<ExportResult> {
    const {flags} = await this.parseAll()
    const {exportKeys} = await import('../../services/keys/list.ts')
    const result = await exportKeys(
      {cwd: process.cwd(), configPath: flags.config, api: flags.api, showValues: flags['show-values'], outputFile: flags['output-file']},
      await this.deps(),
    )
    const {renderExport} = await import('../../output/keys.ts')
    this.out(renderExport(result))
    return result
  }
}
