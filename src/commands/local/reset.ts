import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import {CliError} from '../../errors.ts'

export default class LocalReset extends BaseCommand<typeof LocalReset> {
  static override summary = "Delete the emulator's state for this project."
  static override flags = {
    'data-dir': Flags.string({summary: 'State directory (default: .apigw/local beside apigw.yaml).'}),
    yes: Flags.boolean({summary: 'Do not ask for confirmation.'}),
  }

  async run(): Promise<{dataDir: string; removed: boolean}> {
    const {flags} = await this.parseAll()
    const {localReset, stateDirOf} = await import('../../services/local.ts')
    const options = {cwd: process.cwd(), configPath: flags.config, dataDir: flags['data-dir']}
    if (!flags.yes) {
      if (!this.interactive) this.requireInteractive(['--yes'])
      const {confirm} = await import('@inquirer/prompts')
      const ok = await confirm({message: `Delete every API, key and log in ${stateDirOf(options)}?`, default: false})
      if (!ok) throw new CliError('CANCELLED', 'Nothing was deleted.')
    }
    const result = await localReset(options)
    this.out(result.removed ? `Emulator state in ${result.dataDir} deleted.` : `No emulator state in ${result.dataDir}; nothing to delete.`)
    return result
  }
}
