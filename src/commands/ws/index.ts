import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {WsSessionResult} from '../../services/ws/ws.ts'

export default class Ws extends BaseCommand<typeof Ws> {
  static override summary = 'Connect the terminal to a WebSocket API stage: lines become frames, frames are printed.'
  static override description =
    'Finds the deployed stage (--local: the emulator), opens a WebSocket, sends each line of stdin as a text frame and ' +
    'prints each frame received (--json: one JSON object per event, then the final envelope). ' +
    'Ends when the server closes or stdin ends.'
  static override examples = [
    '<%= config.bin %> ws --stage dev --local',
    '<%= config.bin %> ws chat --stage dev --local --query token=abc',
    '<%= config.bin %> ws chat --stage prod --token "$(cat token.txt)"',
    'echo \'{"action":"sendmessage","message":"hi"}\' | <%= config.bin %> ws --stage dev --local --json',
  ]
  static override args = {api: Args.string({description: 'API name in apigw.yaml (optional when it has one API).', ignoreStdin: true})}
  static override flags = {
    stage: Flags.string({summary: 'Stage name.', required: true}),
    header: Flags.string({char: 'H', summary: 'Handshake header "Name: value" (repeatable).', multiple: true}),
    query: Flags.string({summary: 'Query string parameter NAME=VALUE of the handshake (repeatable).', multiple: true}),
    token: Flags.string({
      summary: 'A token for the $connect authorizer, sent where its identity source reads it (default: Authorization).',
    }),
    sign: Flags.boolean({
      summary: 'Sign the handshake with SigV4 (default: when $connect has authorizationType AWS_IAM in apigw.yaml).',
      allowNo: true,
    }),
  }

  async run(): Promise<WsSessionResult> {
    const {flags, args} = await this.parseAll()
    const {handshakeAuth, resolveWsTarget, runWsSession} = await import('../../services/ws/ws.ts')
    const deps = await this.deps()
    const target = await resolveWsTarget({cwd: process.cwd(), configPath: flags.config, api: args.api, stage: flags.stage}, deps)
    const json = this.jsonEnabled()
    return runWsSession({
      url: target.url,
      headers: flags.header,
      query: flags.query,
      auth: await handshakeAuth(target, {token: flags.token, sign: flags.sign, headers: flags.header}, deps),
      input: process.stdin,
      onEvent: (event) => {
        if (json) process.stdout.write(`${JSON.stringify(event)}\n`)
        else if (event.type === 'message') this.out(event.binary ? `< (binary, base64) ${event.data}` : `< ${event.data}`)
        else if (event.type === 'open') this.logToStderr(`Connected to ${event.url} (type a line to send it; Ctrl-D to close)`)
        else if (event.type === 'close') this.logToStderr(`Closed: ${event.code}${event.reason ? ` ${event.reason}` : ''}`)
      },
    })
  }
}
