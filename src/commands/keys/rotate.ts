import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {RotateKeyResult} from '../../services/keys/rotate.ts'

export default class KeysRotate extends BaseCommand<typeof KeysRotate> {
  static override summary = 'Rotate an API key with no downtime: a new generation in the same plans, the old one kept for the overlap.'
  static override description =
    'Creates NAME/g<N+1> in every usage plan of the current generation and tags the old key ' +
    'apigw:retire-after (it stays enabled; `apigw keys retire` disables it when due). The new value is ' +
    'printed once, as with `keys create` (and readable later with `apigw keys list NAME --show-values`). ' +
    'Run it again after an interruption: it finishes the same rotation without a third key.'
  static override examples = [
    '<%= config.bin %> keys rotate partner-a',
    '<%= config.bin %> keys rotate ci --overlap 24h --output-file ci.key',
  ]
  static override args = {name: Args.string({description: 'Key name (asked for at a terminal when left out).'})}
  static override flags = {
    overlap: Flags.string({summary: 'How long the old key stays enabled (30m, 24h, 7d, 2w).', default: '7d'}),
    value: Flags.string({summary: 'Use this value (20 to 128 characters) for the new key instead of a generated one.'}),
    'output-file': Flags.string({summary: 'Write the new value to this file (mode 0600) instead of printing it.'}),
    api: Flags.string({summary: 'API in apigw.yaml (optional when it has one API).'}),
  }

  async run(): Promise<RotateKeyResult> {
    const {flags, args} = await this.parseAll()
    const {rotateKey, markValueShown} = await import('../../services/keys/rotate.ts')
    const deps = await this.deps()
    const {renderRotated, chooseKeyName} = await import('../../output/keys.ts')
    const result = await rotateKey(
      {
        cwd: process.cwd(),
        configPath: flags.config,
        api: flags.api,
        name: args.name,
        choose: this.interactive ? chooseKeyName : undefined,
        overlap: flags.overlap,
        value: flags.value,
        outputFile: flags['output-file'],
        confirmDelivery: true,
      },
      deps,
    )
    this.out(renderRotated(result, {showValue: Boolean(process.stdout.isTTY), colors: await this.colors()}))
    // Shown at a terminal, or in the --json envelope printed just before cleanups run: mark it delivered.
    if (result.value !== undefined && (this.jsonEnabled() || process.stdout.isTTY))
      this.onCleanup(() => markValueShown(result.new.id, deps))
    return result
  }
}
