/**
 * The AWS CLI v2 (a client nobody here wrote) against the emulator: create-api-key, create-usage-plan,
 * create-usage-plan-key, get-usage-plan-keys, update-api-key, and an error. The CLI comes from env
 * APIGW_AWS_CLI (default /usr/bin/aws); without it the test is skipped with a reason, except in CI.
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {rmSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'
import {childId, KIND} from '../../src/local/control-plane/model.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {tempDir} from '../helpers/temp.ts'

const run = promisify(execFile)

describe('AWS CLI v2: API keys and usage plans', () => {
  let t: TestEmulator
  let home: string
  const apiId = 'cliapi0001'

  before(async () => {
    t = await startTestEmulator()
    home = tempDir('apigw-awscli-')
    // A REST API with a dev stage, seeded straight into the store (CreateStage belongs to another module)
    t.emulator.store.put(KIND.restApi, apiId, {
      id: apiId,
      name: 'cli',
      createdDate: 0,
      endpointConfiguration: {types: ['EDGE']},
      disableExecuteApiEndpoint: false,
      rootResourceId: 'r',
    })
    t.emulator.store.put(KIND.stage, childId(apiId, 'dev'), {stageName: 'dev', deploymentId: 'd'}, apiId)
  })
  after(async () => {
    await t.close()
    rmSync(home, {recursive: true, force: true})
  })

  /** Run `aws apigateway <args>` against the emulator with dummy credentials; parse its JSON output. */
  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const {stdout} = await run(AWS_CLI, ['apigateway', ...args, '--endpoint-url', t.url, '--output', 'json', '--no-cli-pager'], {
      env: awsCliEnv(home),
      timeout: 60_000,
    })
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>)
  }

  const skipReason = awsCliSkipReason

  it('creates a key and a plan, links them, lists the plan keys and disables the key', async (ctx) => {
    const reason = skipReason()
    if (reason) return ctx.skip(reason)
    // Given a key and a usage plan on the dev stage, created by the CLI
    const key = await aws('create-api-key', '--name', 'cli-key', '--enabled', '--tags', 'team=core')
    assert.equal(key.name, 'cli-key')
    assert.equal(key.enabled, true)
    assert.match(String(key.value), /^[A-Za-z0-9]{40}$/)
    const plan = await aws(
      'create-usage-plan',
      '--name',
      'cli-plan',
      '--throttle',
      'burstLimit=10,rateLimit=5.5',
      '--quota',
      'limit=100,offset=0,period=DAY',
      '--api-stages',
      `apiId=${apiId},stage=dev`,
    )
    assert.deepEqual(plan.apiStages, [{apiId, stage: 'dev'}])
    assert.deepEqual(plan.throttle, {burstLimit: 10, rateLimit: 5.5})
    // When the key joins the plan
    const link = await aws('create-usage-plan-key', '--usage-plan-id', String(plan.id), '--key-id', String(key.id), '--key-type', 'API_KEY')
    assert.deepEqual(link, {id: key.id, type: 'API_KEY', value: key.value, name: 'cli-key'})
    // Then the plan lists it (with its value), by name prefix too
    const keys = await aws('get-usage-plan-keys', '--usage-plan-id', String(plan.id), '--name-query', 'cli-')
    assert.deepEqual(keys.items, [{id: key.id, type: 'API_KEY', value: key.value, name: 'cli-key'}])
    // And the key can be disabled
    const updated = await aws('update-api-key', '--api-key', String(key.id), '--patch-operations', 'op=replace,path=/enabled,value=false')
    assert.equal(updated.enabled, false)
    assert.deepEqual(updated.tags, {team: 'core'})
  })

  it('reports an unknown key as NotFoundException with a failing exit code', async (ctx) => {
    const reason = skipReason()
    if (reason) return ctx.skip(reason)
    await assert.rejects(aws('get-api-key', '--api-key', 'nosuchkey0'), (e: Error & {code?: number; stderr?: string}) => {
      assert.notEqual(e.code, 0)
      assert.match(e.stderr ?? '', /NotFoundException/)
      assert.match(e.stderr ?? '', /Invalid API Key identifier specified/)
      return true
    })
  })
})
