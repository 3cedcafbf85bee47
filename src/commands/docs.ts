import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.ts'
import type {DocsResult} from '../services/docs/docs.ts'

export default class Docs extends BaseCommand<typeof Docs> {
  static override summary = "Build a static HTML reference of a stage's API."
  static override description =
    "From the stage's export (REST: GetExport with its published documentation version), rendered by Swagger UI " +
    "(swagger-ui-dist, copied into the directory). The stage's invoke URL is the server, and methods that need an " +
    'API key say so (x-api-key). The page works offline, opened from a file URL.'
  static override examples = [
    '<%= config.bin %> docs pets --stage prod --output site/pets',
    '<%= config.bin %> docs --stage dev --output docs --local',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).'})}
  static override flags = {
    stage: Flags.string({summary: "Stage name (default: the API's only stage in apigw.yaml)."}),
    output: Flags.string({char: 'o', summary: 'Directory to write the page into (made if missing).', required: true}),
  }

  async run(): Promise<DocsResult> {
    const {flags, args} = await this.parseAll()
    const [{buildDocs}, {renderDocs}, deps] = await Promise.all([
      import('../services/docs/docs.ts'),
      import('../output/docs.ts'),
      this.deps(),
    ])
    const result = await buildDocs(
      {cwd: process.cwd(), configPath: flags.config, api: args.api, stage: flags.stage, output: flags.output},
      deps,
    )
    this.out(renderDocs(result))
    return result
  }
}
