import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.ts'
import {CliError} from '../errors.ts'
import type {InvokeResult} from '../services/invoke/invoke.ts'

export default class Invoke extends BaseCommand<typeof Invoke> {
  static override summary = 'Call a deployed stage: a real request to its invoke URL (AWS, or the emulator with --local).'
  static override description =
    'Prints the status, the headers and the body (--json: one document, the body as text or ' +
    "base64). --test runs TestInvokeMethod instead and prints API Gateway's execution log on stderr."
  static override examples = [
    '<%= config.bin %> invoke --stage dev GET /pets --local',
    '<%= config.bin %> invoke pets --stage dev POST /pets -H \'Content-Type: application/json\' -d \'{"name":"rex"}\'',
    '<%= config.bin %> invoke --stage prod GET /pets --query limit=10 --key partner',
    '<%= config.bin %> invoke --stage dev GET /me --local --token "$(<%= config.bin %> local token --pool users)"',
    '<%= config.bin %> invoke --stage dev GET /admin --sign',
    '<%= config.bin %> invoke --domain api.example.com GET /v1/pets --local',
    '<%= config.bin %> invoke --stage prod GET /pets --vpce vpce-0123456789abcdef0 --local',
  ]
  static override args = {
    api: Args.string({description: 'API name in apigw.yaml (optional when it has one API), then METHOD and PATH.'}),
    method: Args.string({description: 'HTTP method (GET, POST, ...).'}),
    path: Args.string({description: 'Path after the stage, starting with /.'}),
  }
  static override flags = {
    stage: Flags.string({summary: 'Stage to call (not with --domain).'}),
    domain: Flags.string({summary: 'Call through this custom domain name (apigw.yaml domains:); the path includes the base path.'}),
    vpce: Flags.string({summary: 'Send the request as arriving through this VPC endpoint (private APIs): x-amzn-vpce-id.'}),
    header: Flags.string({char: 'H', summary: "A request header, 'Name: value' (repeatable).", multiple: true}),
    data: Flags.string({char: 'd', summary: 'Request body, or @file to send a file.'}),
    query: Flags.string({summary: 'A query parameter, name=value (repeatable).', multiple: true}),
    key: Flags.string({summary: 'Send the API key of this name (from `apigw keys`) as x-api-key, without printing it.'}),
    token: Flags.string({summary: 'Send this token (a JWT) as the Authorization header, for Lambda and Cognito authorizers.'}),
    sign: Flags.boolean({summary: 'Sign the request with SigV4 (AWS_IAM methods), with the credentials apigw resolved.'}),
    test: Flags.boolean({summary: 'Use TestInvokeMethod (the working API, not the stage) and print its execution log.'}),
  }

  async run(): Promise<InvokeResult> {
    const {flags, args} = await this.parseAll()
    if (flags.stage === undefined && flags.domain === undefined)
      throw new CliError('USAGE', 'Say which stage to call: --stage NAME, or --domain NAME for a custom domain name.', {
        hint: `For example: apigw invoke --stage dev GET /${flags.local ? ' --local' : ''}`,
      })
    const local = flags.local ? ' --local' : ''
    const given = [args.api, args.method, args.path].filter((a): a is string => a !== undefined)
    if (given.length < 2)
      throw new CliError('USAGE', 'Say which method and path to call.', {
        hint: `For example: apigw invoke ${flags.domain ? `--domain ${flags.domain}` : `--stage ${flags.stage}`} GET /${local}`,
      })
    const [api, method, path] = given.length === 3 ? given : [undefined, given[0]!, given[1]!]
    const {invoke} = await import('../services/invoke/invoke.ts')
    const options = {
      cwd: process.cwd(),
      configPath: flags.config,
      api,
      stage: flags.stage ?? '',
      domain: flags.domain,
      vpce: flags.vpce,
      method: method!,
      path: path!,
      headers: flags.header,
      data: flags.data,
      query: flags.query,
      key: flags.key,
      token: flags.token,
      sign: flags.sign,
      test: flags.test,
    }
    const result = await invoke(options, await this.deps())
    if (!this.jsonEnabled()) {
      const {renderInvoke} = await import('../output/invoke.ts')
      process.stdout.write(renderInvoke(result))
      if (result.log) process.stderr.write(result.log)
    }
    return result
  }
}
