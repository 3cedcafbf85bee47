/**
 * The check of issue 5 as a user would run it: `apigw keys … --local` (the built CLI) attached to an emulator
 * serving the project, and the AWS CLI v2 reading the result after each step of a create, rotate, retire and
 * revoke cycle (keys in and out of the plan, enabled or not). The AWS CLI comes from env APIGW_AWS_CLI
 * (default /usr/bin/aws); without it the test is skipped with a reason, except in CI.
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'
import {APIGatewayClient, CreateDeploymentCommand, CreateUsagePlanCommand, ImportRestApiCommand} from '@aws-sdk/client-api-gateway'
import {type Emulator, startEmulator} from '../../src/local/server.ts'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {TEST_CREDENTIALS} from '../helpers/emulator.ts'
import {CONFIG, SPEC} from './keys-setup.ts'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {tempDir} from '../helpers/temp.ts'

const execAsync = promisify(execFile)

function skipReason(): string | false {
  if (!cliBuilt()) return 'the CLI is not built (run `npm run build`)'
  return awsCliSkipReason() ?? false
}

type Key = {id: string; name: string; enabled: boolean; tags?: Record<string, string>}

describe('apigw keys cycle, checked with the AWS CLI', {skip: skipReason()}, () => {
  let dir: string
  let emulator: Emulator
  let planId: string

  before(async () => {
    dir = tempDir('apigw-keys-awscli-')
    writeFileSync(join(dir, 'apigw.yaml'), CONFIG)
    writeFileSync(join(dir, 'openapi.yaml'), SPEC)
    emulator = await startEmulator({port: 0, dataDir: join(dir, '.apigw', 'local'), advertise: true})
    const v1 = new APIGatewayClient({endpoint: emulator.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    const api = await v1.send(new ImportRestApiCommand({body: new TextEncoder().encode(SPEC), failOnWarnings: false}))
    await v1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'dev'}))
    planId = (
      await v1.send(
        new CreateUsagePlanCommand({
          name: 'pets-basic',
          apiStages: [{apiId: api.id!, stage: 'dev'}],
          tags: {'apigw:api': 'pets', 'apigw:usage-plan': 'basic'},
        }),
      )
    ).id!
    v1.destroy()
  })
  after(async () => {
    await emulator?.close()
    rmSync(dir, {recursive: true, force: true})
  })

  const apigw = async (...args: string[]) => {
    const r = await runCli(['keys', ...args, '--local'], {cwd: dir, timeoutMs: 120_000})
    assert.equal(r.code, 0, `apigw keys ${args.join(' ')}: ${r.stderr}`)
    return r
  }
  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const {stdout} = await execAsync(
      AWS_CLI,
      ['apigateway', ...args, '--endpoint-url', emulator.url, '--output', 'json', '--no-cli-pager'],
      {
        env: awsCliEnv(dir),
        timeout: 60_000,
      },
    )
    return JSON.parse(stdout) as Record<string, unknown>
  }
  const inPlan = async () => ((await aws('get-usage-plan-keys', '--usage-plan-id', planId)).items as Key[]).map((k) => k.name).sort()
  const keys = async () =>
    ((await aws('get-api-keys')).items as Key[])
      .filter((k) => k.tags?.['apigw:key'] === 'partner')
      .sort((a, b) => a.name.localeCompare(b.name))

  it('moves keys in and out of the plan through create, rotate, retire and revoke', async () => {
    // create: partner/g1 in the plan, enabled
    await apigw('create', 'partner', '--plan', 'basic')
    assert.deepEqual(await inPlan(), ['partner/g1'])
    // rotate: both generations in the plan, the old one enabled and tagged to retire
    await apigw('rotate', 'partner', '--overlap', '1h')
    assert.deepEqual(await inPlan(), ['partner/g1', 'partner/g2'])
    const rotated = await keys()
    assert.deepEqual(
      rotated.map((k) => [k.name, k.enabled]),
      [
        ['partner/g1', true],
        ['partner/g2', true],
      ],
    )
    assert.match(rotated[0]!.tags?.['apigw:retire-after'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    // retire --now: the old generation disabled and out of the plan
    await apigw('retire', '--now')
    assert.deepEqual(await inPlan(), ['partner/g2'])
    assert.deepEqual(
      (await keys()).map((k) => [k.name, k.enabled]),
      [
        ['partner/g1', false],
        ['partner/g2', true],
      ],
    )
    // revoke: nothing left in the plan, nothing enabled
    await apigw('revoke', 'partner', '--yes')
    assert.deepEqual(await inPlan(), [])
    assert.ok((await keys()).every((k) => !k.enabled))
  })
})
