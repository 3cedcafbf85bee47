import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'

export default class WsPost extends BaseCommand<typeof WsPost> {
  static override summary = "Send data to one WebSocket connection through the stage's @connections API."
  static override examples = ['<%= config.bin %> ws post L0SM9cOFvHcCIhw= \'{"hello":"there"}\' --stage dev --local']
  static override args = {
    connectionId: Args.string({
      description: 'Connection id (apigw ws connections --local lists them; on AWS, your $connect handler sees it).',
      required: true,
      ignoreStdin: true,
    }),
    data: Args.string({description: 'The data to send (a text frame).', required: true, ignoreStdin: true}),
  }
  static override flags = {
    api: Flags.string({summary: 'API name in apigw.yaml (optional when it has one API).'}),
    stage: Flags.string({summary: 'Stage name.', required: true}),
  }

  async run(): Promise<{connectionId: string; bytes: number}> {
    const {flags, args} = await this.parseAll()
    const {resolveWsTarget, postToConnection} = await import('../../services/ws/ws.ts')
    const deps = await this.deps()
    const target = await resolveWsTarget({cwd: process.cwd(), configPath: flags.config, api: flags.api, stage: flags.stage}, deps)
    const result = await postToConnection(target, args.connectionId, args.data, deps)
    this.out(`Sent ${result.bytes} bytes to ${result.connectionId}`)
    return result
  }
}
