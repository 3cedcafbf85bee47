import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../base-command.ts'
import {createPrompter, renderInit} from '../output/init.ts'
import {API_TYPES, AUTH_KINDS, type InitResult, initProject} from '../services/init/init.ts'
import {initWebSocket, wantsWebSocket} from '../services/init/websocket.ts'

export default class Init extends BaseCommand<typeof Init> {
  static override summary = 'Scaffold apigw.yaml and an OpenAPI spec from a template.'
  static override description =
    'Asks what the flags did not say (only at a terminal; never in CI, without a TTY or with --json), then writes DIR/apigw.yaml, ' +
    'DIR/apis/<name>/openapi.yaml and a .gitignore line for .apigw/. Existing files are never overwritten without --force.'
  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init my-api --name pets --type rest --template rest-lambda-proxy --stages ' +
      'dev,prod --auth api-key --backend arn:aws:lambda:us-east-1:123456789012:function:pets',
    '<%= config.bin %> init --name pets --template http-proxy --backend https://pets.example.com --yes',
    '<%= config.bin %> init chat --name chat --type websocket --stages dev --yes',
    '<%= config.bin %> init --add orders --template rest-mock --stages dev,prod --yes',
  ]
  static override args = {
    dir: Args.string({description: 'Directory to scaffold in (created if missing).', default: '.'}),
  }
  static override flags = {
    name: Flags.string({summary: 'API name (letters, digits, - and _): its key in apigw.yaml and its name on AWS.'}),
    type: Flags.string({
      summary: 'API type: rest (API Gateway v1), http (HTTP API) or websocket (WebSocket API).',
      options: [...API_TYPES, 'websocket'],
    }),
    template: Flags.string({
      summary: 'Template: rest-lambda-proxy, rest-http-proxy, rest-mock, http-jwt-lambda, http-proxy or websocket-chat.',
    }),
    stages: Flags.string({summary: 'Stage names, comma-separated (e.g. dev,prod).'}),
    auth: Flags.string({summary: 'Authorization: none, api-key (REST), jwt (HTTP), lambda or iam.', options: [...AUTH_KINDS]}),
    backend: Flags.string({summary: 'Backend: a Lambda function ARN or an http(s) URL, as the template needs.'}),
    'jwt-issuer': Flags.string({summary: 'JWT issuer URL (with --auth jwt).'}),
    'jwt-audience': Flags.string({summary: 'JWT audiences, comma-separated (with --auth jwt).'}),
    'authorizer-arn': Flags.string({summary: 'Lambda authorizer function ARN (with --auth lambda).'}),
    yes: Flags.boolean({char: 'y', summary: 'Take the defaults for every question the flags did not answer.'}),
    force: Flags.boolean({summary: 'Overwrite existing files.'}),
    add: Flags.string({
      summary: "Add API NAME to DIR's existing apigw.yaml (or --config's), keeping its comments; asks the same questions.",
      helpValue: 'NAME',
    }),
  }

  async run(): Promise<InitResult> {
    const {flags, args} = await this.parseAll()
    const options = {
      dir: args.dir,
      name: flags.name,
      type: flags.type,
      template: flags.template,
      stages: flags.stages,
      auth: flags.auth,
      backend: flags.backend,
      jwtIssuer: flags['jwt-issuer'],
      jwtAudience: flags['jwt-audience'],
      authorizerArn: flags['authorizer-arn'],
      yes: flags.yes,
      force: flags.force,
      add: flags.add,
      configPath: flags.config,
    }
    const deps = {cwd: process.cwd(), requireInteractive: (missing: string[]) => this.requireInteractive(missing), prompter: createPrompter}
    // WebSocket APIs are declared in apigw.yaml, not in a spec: a scaffold of their own (--add is initProject's).
    const websocket = wantsWebSocket(options) && options.add === undefined
    const result = await (websocket ? initWebSocket(options, deps) : initProject(options, deps))
    this.out(renderInit(result, process.cwd()))
    return result
  }
}
