import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {LocalStatus} from '../../services/local.ts'

export default class LocalStatusCommand extends BaseCommand<typeof LocalStatusCommand> {
  static override summary = 'Tell whether an emulator serves this project, where, and what it holds.'
  static override flags = {'data-dir': Flags.string({summary: 'State directory (default: .apigw/local beside apigw.yaml).'})}

  async run(): Promise<LocalStatus> {
    const {flags} = await this.parseAll()
    const {localStatus} = await import('../../services/local.ts')
    const status = await localStatus({cwd: process.cwd(), configPath: flags.config, dataDir: flags['data-dir']})
    this.out(
      [
        status.running
          ? `running at ${status.endpoint} (pid ${status.pid})`
          : 'not running (commands with --local start one for their own duration)',
        `state: ${status.dataDir}${status.stateExists ? '' : ' (empty)'}`,
        `APIs: ${status.restApis} REST, ${status.httpApis} HTTP`,
      ].join('\n'),
    )
    return status
  }
}
