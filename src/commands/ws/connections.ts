import {BaseCommand} from '../../base-command.ts'
import type {WsConnection} from '../../services/ws/ws.ts'

export default class WsConnections extends BaseCommand<typeof WsConnections> {
  static override summary = 'List the open WebSocket connections of the local emulator (--local).'
  static override examples = ['<%= config.bin %> ws connections --local']

  async run(): Promise<{connections: WsConnection[]}> {
    await this.parseAll()
    const deps = await this.deps()
    const {listConnections} = await import('../../services/ws/ws.ts')
    const connections = await listConnections(deps.aws.options.endpoint, deps.aws.local)
    this.out(
      connections.length === 0
        ? 'No open connections.'
        : connections
            .map((c) => `${c.connectionId}  ${c.apiId}/${c.stage}  since ${c.connectedAt}  last ${c.lastActiveAt}  ${c.identity.sourceIp}`)
            .join('\n'),
    )
    return {connections}
  }
}
