// Issue 19.6, as a user sees it: the built CLI prints a deployment description made on the emulator with
// an OSC title sequence and a fake table row as visible escapes; --json keeps the text as it is.
import assert from 'node:assert/strict'
import {rmSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {CreateDeploymentCommand} from '@aws-sdk/client-api-gateway'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {deployRest, petsRestSpec, writeProject} from '../wire/export-logs-support.ts'

const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  APIGW_CONTROL_PLANE_RATES: 'off',
}
const HOSTILE = 'ok\u001b]0;pwned\u0007\r\n*  fake0001  2026-01-01 00:00:00'
const ACTIVE = /[^\P{Cc}\t\n]/u

describe('terminal escapes in AWS text (issue 19.6)', {skip: cliBuilt() ? false : 'needs a build'}, () => {
  let emu: TestEmulator
  let cwd: string
  before(async () => {
    emu = await startTestEmulator()
    const id = await deployRest(emu, petsRestSpec('pets'), 'dev')
    await emu.v1.send(new CreateDeploymentCommand({restApiId: id, stageName: 'dev', description: HOSTILE}))
    cwd = writeProject({pets: {type: 'rest', stages: ['dev']}})
  })
  after(async () => {
    await emu.close()
    rmSync(cwd, {recursive: true, force: true})
  })

  it('history prints the description escaped, on one row', async () => {
    const run = await runCli(['history', 'pets', '--stage', 'dev', '--endpoint-url', emu.url], {cwd, env: AWS_ENV})
    assert.equal(run.code, 0, run.stderr)
    assert.doesNotMatch(run.stdout.replaceAll('\n', ''), ACTIVE)
    assert.match(run.stdout, /ok\\e\]0;pwned\\x07\\r\\n\* {2}fake0001/)
    assert.doesNotMatch(run.stdout, /^\*\s+fake0001/m)
  })

  it('--json keeps the description as AWS returned it', async () => {
    const run = await runCli(['history', 'pets', '--stage', 'dev', '--endpoint-url', emu.url, '--json'], {cwd, env: AWS_ENV})
    assert.equal(run.code, 0, run.stderr)
    assert.ok(run.stdout.includes(JSON.stringify(HOSTILE)), run.stdout)
  })
})
