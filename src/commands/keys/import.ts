import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {ImportResult} from '../../services/keys/import.ts'

export default class KeysImport extends BaseCommand<typeof KeysImport> {
  static override summary = "Import API keys from AWS's CSV key file format and manage them with apigw."
  static override description =
    'Columns: Name, Key, Description, Enabled, UsagePlanIds (plan ids, AWS plan names or plan names from apigw.yaml). ' +
    'Names may carry a /g<N> generation. Importing the same file again changes nothing. Values are never printed.'
  static override examples = ['<%= config.bin %> keys import keys.csv']
  static override args = {file: Args.string({description: 'CSV key file.', required: true})}
  static override flags = {
    api: Flags.string({summary: 'API in apigw.yaml whose plan names the file may use (optional when it has one API).'}),
  }

  async run(): Promise<ImportResult> {
    const {flags, args} = await this.parseAll()
    const {importKeys} = await import('../../services/keys/import.ts')
    const result = await importKeys({cwd: process.cwd(), configPath: flags.config, api: flags.api, file: args.file}, await this.deps())
    const {renderImport} = await import('../../output/keys.ts')
    this.out(renderImport(result))
    return result
  }
}
