/**
 * `apigw keys …` through the built CLI (`node bin/run.js keys … --local`) in a temp project whose state
 * directory is served by an emulator this test starts (the CLI attaches to it). The whole
 * create → list → rotate → retire → revoke cycle runs with human output, and no key value may appear in any
 * of it; --json and --output-file are the only ways a value comes out.
 */
import assert from 'node:assert/strict'
import {readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  GetApiKeysCommand,
  ImportRestApiCommand,
} from '@aws-sdk/client-api-gateway'
import {type Emulator, startEmulator} from '../../src/local/server.ts'
import {type CliRun, cliBuilt, runCli} from '../helpers/cli.ts'
import {TEST_CREDENTIALS} from '../helpers/emulator.ts'
import {CONFIG, SPEC} from './keys-setup.ts'
import {tempDir} from '../helpers/temp.ts'

const built = cliBuilt()
const VALUE_1 = 'FirstValueOfTheCiKey0000000000001'
const VALUE_2 = 'SecondValueOfTheCiKey000000000002'

describe('apigw keys (built CLI, --local)', {skip: built ? false : 'the CLI is not built (run `npm run build`)'}, () => {
  let dir: string
  let emulator: Emulator
  let v1: APIGatewayClient
  const outputs: Array<{args: string[]; run: CliRun}> = []
  const cli = async (...args: string[]) => {
    const run = await runCli(['keys', ...args, '--local'], {cwd: dir, timeoutMs: 120_000})
    outputs.push({args, run})
    return run
  }
  const json = async (...args: string[]) => {
    const run = await cli(...args, '--json')
    return {
      run,
      doc: JSON.parse(run.stdout) as {
        status: number
        result: Record<string, unknown>
        error?: {code: string; message: string; hint?: string}
      },
    }
  }

  before(async () => {
    dir = tempDir('apigw-keys-cli-')
    writeFileSync(join(dir, 'apigw.yaml'), CONFIG)
    writeFileSync(join(dir, 'openapi.yaml'), SPEC)
    // The emulator serves the project's state directory and advertises itself, so the CLI attaches to it.
    emulator = await startEmulator({port: 0, dataDir: join(dir, '.apigw', 'local'), advertise: true})
    v1 = new APIGatewayClient({endpoint: emulator.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    const api = await v1.send(new ImportRestApiCommand({body: new TextEncoder().encode(SPEC), failOnWarnings: false}))
    await v1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'dev'}))
    await v1.send(
      new CreateUsagePlanCommand({
        name: 'pets-basic',
        apiStages: [{apiId: api.id!, stage: 'dev'}],
        tags: {'apigw:api': 'pets', 'apigw:usage-plan': 'basic'},
      }),
    )
  })
  after(async () => {
    v1?.destroy()
    await emulator?.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('runs create, list, rotate, retire and revoke with no key value in any human output', {timeout: 900_000}, async () => {
    // When the whole cycle runs with human output (no terminal)
    const steps: string[][] = [
      ['plans'],
      ['create', 'ci', '--plan', 'basic', '--value', VALUE_1],
      ['list'],
      ['list', '--plan', 'basic'],
      ['rotate', 'ci', '--overlap', '1h', '--value', VALUE_2],
      ['list'],
      ['export'],
      ['retire', '--dry-run'],
      ['retire', '--now'],
      ['rotate', 'ci'],
      ['retire', '--now', '--delete'],
      ['revoke', 'ci', '--yes'],
      ['list'],
    ]
    const human: CliRun[] = []
    for (const args of steps) {
      const run = await cli(...args)
      assert.equal(run.code, 0, `keys ${args.join(' ')}: ${run.stderr}`)
      human.push(run)
    }
    // Then each step said what it did
    assert.match(human[1]!.stdout, /Created ci\/g1 \(id \w+\), enabled, in usage plan basic\./)
    assert.match(human[1]!.stdout, /not printed here \(no terminal\)/)
    assert.match(human[4]!.stdout, /Rotated ci: ci\/g2/)
    assert.match(human[8]!.stdout, /ci\/g1 \(id \w+\) disabled/)
    assert.match(human[10]!.stdout, /ci\/g1 \(id \w+\) deleted/)
    assert.match(human[11]!.stdout, /Revoked ci: 1 generation disabled/)
    // And the generated value of the second rotation is known only through --show-values
    const shown = await json('list', 'ci', '--show-values')
    const values = (shown.doc.result.keys as Array<{generations: Array<{value?: string}>}>)[0]!.generations.map((g) => g.value ?? '')
    assert.equal(values.length, 1)
    assert.ok(values.every((v) => v.length >= 20))
    const secrets = [VALUE_1, VALUE_2, ...values]
    // And no human output of the cycle (stdout or stderr) holds any value, not even with the --value flags it was given
    for (const [i, run] of human.entries()) {
      for (const secret of secrets) {
        assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `keys ${steps[i]!.join(' ')} printed a key value`)
      }
    }
  })

  it('returns the value once in --json, or writes it to --output-file (0600) and prints it nowhere', async () => {
    // When creating with --json; Then the value is in the result
    const {doc} = await json('create', 'web', '--plan', 'basic')
    assert.equal(doc.status, 0)
    const value = doc.result.value as string
    assert.ok(value.length >= 20)
    const all = await v1.send(new GetApiKeysCommand({includeValues: true, nameQuery: 'web/'}))
    assert.equal(all.items?.[0]?.value, value)
    // When rotating with --output-file; Then the file holds the new value with mode 0600, and stdout does not
    const run = await cli('rotate', 'web', '--output-file', 'web.key')
    assert.equal(run.code, 0, run.stderr)
    const file = join(dir, 'web.key')
    assert.equal(statSync(file).mode & 0o777, 0o600)
    const written = readFileSync(file, 'utf8').trim()
    assert.ok(written.length >= 20 && written !== value)
    assert.ok(!run.stdout.includes(written) && !run.stderr.includes(written))
    assert.match(run.stdout, /Value written to .*web\.key \(mode 0600\)/)
  })

  const errors: Array<[string, string[], number, string, RegExp]> = [
    ['an unknown key', ['rotate', 'nope'], 2, 'UNKNOWN_KEY', /Known keys: /],
    ['an unknown plan', ['create', 'x', '--plan', 'gold'], 2, 'UNKNOWN_PLAN', /Known plans: basic/],
    ['a plan not deployed', ['create', 'x', '--plan', 'premium'], 3, 'PLAN_NOT_DEPLOYED', /apigw deploy pets --stage prod/],
    ['revoke without --yes and no terminal', ['revoke', 'web'], 2, 'NON_INTERACTIVE', /--yes/],
    ['a bad --overlap', ['rotate', 'web', '--overlap', 'soon'], 2, 'USAGE', /30m, 24h, 7d/],
  ]
  for (const [what, args, exit, code, hint] of errors) {
    it(`fails on ${what} with ${code}, exit ${exit}, a hint, one JSON envelope`, async () => {
      const {run, doc} = await json(...args)
      assert.equal(run.code, exit, run.stderr)
      assert.equal(doc.status, exit)
      assert.equal(doc.error?.code, code)
      assert.match(`${doc.error?.message} ${doc.error?.hint ?? ''}`, hint)
      assert.ok(doc.error?.hint, 'every error has a hint')
    })
  }
})
