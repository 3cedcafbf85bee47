import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {ExportSdkResult} from '../../services/export/sdk.ts'

export default class ExportSdk extends BaseCommand<typeof ExportSdk> {
  static override summary = 'Generate a client SDK for a deployed stage.'
  static override description =
    "--language typescript: a typed fetch client from the stage's spec (any API type). Other " +
    "languages are AWS's SDK types (REST only): javascript, java, android, objectivec, swift, ruby."
  static override examples = [
    '<%= config.bin %> export sdk pets --stage dev --language typescript --output src/pets-client',
    '<%= config.bin %> export sdk --stage prod --language android --param groupId=com.example ' +
      '--param artifactId=pets --param artifactVersion=1.0.0 --zip pets-android.zip',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    stage: Flags.string({summary: 'Stage name.', required: true}),
    language: Flags.string({char: 'l', summary: 'typescript, or an AWS SDK type (asked at a terminal when left out).'}),
    param: Flags.string({summary: 'SDK property as key=value (repeatable), e.g. classPrefix=Pets.', multiple: true, default: []}),
    zip: Flags.string({summary: 'Keep the SDK as this zip file instead of unpacking it.', exclusive: ['output']}),
    output: Flags.string({char: 'o', summary: 'Unpack into this directory (default <api>-<stage>-<language>-sdk).'}),
    force: Flags.boolean({summary: 'Replace existing files.'}),
  }

  async run(): Promise<ExportSdkResult> {
    const {flags, args} = await this.parseAll()
    const [{exportSdk}, {renderExportSdk}, deps] = await Promise.all([
      import('../../services/export/sdk.ts'),
      import('../../output/export.ts'),
      this.deps(),
    ])
    const prompts = this.interactive ? await import('@inquirer/prompts') : undefined
    const result = await exportSdk(
      {
        cwd: process.cwd(),
        configPath: flags.config,
        api: args.api,
        stage: flags.stage,
        language: flags.language,
        params: flags.param,
        zip: flags.zip,
        output: flags.output,
        force: flags.force,
        chooseLanguage:
          prompts && ((choices) => prompts.select({message: 'Language', choices: choices.map((c) => ({value: c.id, name: c.name}))})),
        ask:
          prompts &&
          ((p, language) =>
            prompts.input({
              message: `${p.friendlyName ?? p.name} (${language} ${p.name})`,
              required: true,
              ...(p.defaultValue ? {default: p.defaultValue} : {}),
            })),
      },
      deps,
    )
    this.out(renderExportSdk(result))
    return result
  }
}
