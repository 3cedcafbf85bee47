import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {CreateKeyResult} from '../../services/keys/create.ts'

export default class KeysCreate extends BaseCommand<typeof KeysCreate> {
  static override summary =
    'Create an API key in one or more usage plans; its value is printed once (API Gateway keeps it: `keys list --show-values`).'
  static override description =
    'The key is named NAME/g1 and tagged apigw:key=NAME. Its value is printed once: at a terminal ' +
    'with a reminder to store it, in the result with --json, or written to --output-file (mode 0600) ' +
    'and then not printed. API Gateway keeps the value: `apigw keys list NAME --show-values` reads it ' +
    'again, for anyone with the AWS credentials. A rerun after an interruption finishes the same key.'
  static override examples = [
    '<%= config.bin %> keys create partner-a --plan basic',
    '<%= config.bin %> keys create ci --plan basic --plan premium --output-file ci.key',
  ]
  static override args = {name: Args.string({description: 'Key name (letters, digits, ".", "_", "-").', required: true})}
  static override flags = {
    plan: Flags.string({
      summary: 'Usage plan (its name in apigw.yaml, its AWS name or id); repeat for more.',
      multiple: true,
      required: true,
    }),
    value: Flags.string({summary: 'Use this value (20 to 128 characters) instead of a generated one.'}),
    description: Flags.string({summary: 'Description of the key on AWS.'}),
    'output-file': Flags.string({summary: 'Write the value to this file (mode 0600) instead of printing it.'}),
    api: Flags.string({summary: 'API in apigw.yaml whose plans --plan names (optional when it has one API).'}),
  }

  async run(): Promise<CreateKeyResult> {
    const {flags, args} = await this.parseAll()
    const {createKey} = await import('../../services/keys/create.ts')
    const result = await createKey(
      {
        cwd: process.cwd(),
        configPath: flags.config,
        api: flags.api,
        name: args.name,
        plans: flags.plan,
        value: flags.value,
        description: flags.description,
        outputFile: flags['output-file'],
      },
      await this.deps(),
    )
    const {renderCreated} = await import('../../output/keys.ts')
    this.out(renderCreated(result, {showValue: Boolean(process.stdout.isTTY), colors: await this.colors()}))
    return result
  }
}
