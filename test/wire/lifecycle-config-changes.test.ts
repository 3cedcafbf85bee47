/**
 * Issue 14 point 3: config changes that used to be ignored. A REST API's endpointType change shows in the
 * plan, deploy applies it (UpdateRestApi) and status compares it; tags added to apigw.yaml after the API
 * exists are applied (TagResource); on HTTP APIs caching, executionLogs, tracing and --mode merge are
 * refused instead of accepted and ignored. Services with real SDK clients against the emulator, plus the
 * exit codes through the built CLI.
 */
import assert from 'node:assert/strict'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {GetRestApiCommand} from '@aws-sdk/client-api-gateway'
import {GetApiCommand} from '@aws-sdk/client-apigatewayv2'
import {deploy} from '../../src/services/lifecycle/deploy.ts'
import {plan} from '../../src/services/lifecycle/plan.ts'
import {status} from '../../src/services/lifecycle/status.ts'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {emulatorDeps, httpSpec, restSpec, writeProject} from './lifecycle-project.ts'

const writeConfig = (dir: string, config: Record<string, unknown>) =>
  writeFileSync(join(dir, 'apigw.yaml'), JSON.stringify(config, null, 2))

describe('apigw.yaml changes after the API exists', () => {
  let emu: TestEmulator
  let dir: string
  let deps: ReturnType<typeof emulatorDeps>
  const rest = (extra: Record<string, unknown>) => ({apis: {pets: {type: 'rest', spec: 'pets.json', stages: {dev: {}}, ...extra}}})
  before(async () => {
    emu = await startTestEmulator()
    dir = writeProject({config: rest({endpointType: 'REGIONAL'}), specs: {'pets.json': restSpec('pets'), 'web.json': httpSpec('web')}})
    deps = emulatorDeps(emu, dir)
  })
  after(async () => {
    deps.aws.destroy()
    await emu.close()
    rmSync(dir, {recursive: true, force: true})
  })

  test('endpointType REGIONAL → EDGE: in the plan, applied by deploy, compared by status', async () => {
    // Given a REGIONAL API deployed
    const first = await deploy({cwd: dir, stage: 'dev'}, deps)
    const get = () => emu.v1.send(new GetRestApiCommand({restApiId: first.apiId}))
    assert.deepEqual((await get()).endpointConfiguration?.types, ['REGIONAL'])
    // When apigw.yaml asks for EDGE
    writeConfig(dir, rest({endpointType: 'EDGE'}))
    // Then status is not in sync, and says why
    const before = await status({cwd: dir}, deps)
    assert.deepEqual(before.apiDrift, [{setting: 'endpointType', from: 'REGIONAL', to: 'EDGE'}])
    assert.equal(before.stages[0]?.sync, 'drifted')
    // And the plan changes it with one UpdateRestApi (no new deployment)
    const p = await plan({cwd: dir, stage: 'dev'}, deps)
    assert.equal(p.upToDate, false)
    assert.equal(p.newDeployment, false)
    assert.deepEqual(p.apiChanges, [{setting: 'endpointType', from: 'REGIONAL', to: 'EDGE'}])
    assert.deepEqual(
      p.steps.map((s) => [s.operation, s.input]),
      [
        [
          'UpdateRestApi',
          {restApiId: first.apiId, patchOperations: [{op: 'replace', path: '/endpointConfiguration/types/REGIONAL', value: 'EDGE'}]},
        ],
      ],
    )
    // And deploy applies it; then status is in sync and the plan empty
    await deploy({cwd: dir, stage: 'dev'}, deps)
    assert.deepEqual((await get()).endpointConfiguration?.types, ['EDGE'])
    const after = await status({cwd: dir}, deps)
    assert.deepEqual(after.apiDrift, [])
    assert.equal(after.stages[0]?.sync, 'in-sync')
    assert.equal((await plan({cwd: dir, stage: 'dev'}, deps)).upToDate, true)
  })

  test('tags added after the API exists are applied', async () => {
    // When apigw.yaml gains tags / Then the plan tags the API with them, and deploy does
    writeConfig(dir, rest({endpointType: 'EDGE', tags: {team: 'payments', env: 'test'}}))
    const p = await plan({cwd: dir, stage: 'dev'}, deps)
    assert.deepEqual(
      p.apiChanges.map((c) => c.setting),
      ['tags.env', 'tags.team'],
    )
    assert.deepEqual(
      p.steps.map((s) => s.operation),
      ['TagResource'],
    )
    assert.equal((await status({cwd: dir}, deps)).stages[0]?.sync, 'drifted')
    const d = await deploy({cwd: dir, stage: 'dev'}, deps)
    const tags = (await emu.v1.send(new GetRestApiCommand({restApiId: d.apiId}))).tags
    assert.equal(tags?.team, 'payments')
    assert.equal(tags?.env, 'test')
    assert.equal(tags?.['apigw:api'], 'pets')
    assert.equal((await plan({cwd: dir, stage: 'dev'}, deps)).upToDate, true)
  })

  test('an HTTP API gets its new tags too', async () => {
    writeConfig(dir, {apis: {web: {type: 'http', spec: 'web.json', stages: {dev: {}}}}})
    const d = await deploy({cwd: dir, stage: 'dev'}, deps)
    writeConfig(dir, {apis: {web: {type: 'http', spec: 'web.json', tags: {team: 'web'}, stages: {dev: {}}}}})
    await deploy({cwd: dir, stage: 'dev'}, deps)
    assert.equal((await emu.v2.send(new GetApiCommand({ApiId: d.apiId}))).Tags?.team, 'web')
  })

  const httpRefusals: Array<[string, Record<string, unknown>, RegExp]> = [
    ['caching', {caching: {enabled: true, ttlSeconds: 60}}, /apis\.web\.stages\.dev\.caching/],
    ['executionLogs', {executionLogs: {level: 'INFO'}}, /apis\.web\.stages\.dev\.executionLogs/],
    ['tracing', {tracing: true}, /apis\.web\.stages\.dev\.tracing/],
  ]
  for (const [name, stage, where] of httpRefusals) {
    test(`HTTP: ${name} is refused as a config error, not ignored`, async () => {
      writeConfig(dir, {apis: {web: {type: 'http', spec: 'web.json', stages: {dev: stage}}}})
      for (const run of [() => plan({cwd: dir, stage: 'dev'}, deps), () => deploy({cwd: dir, stage: 'dev'}, deps)]) {
        await assert.rejects(run(), (e: {code: string; exitCode: number; message: string; hint?: string}) => {
          assert.equal(e.code, 'CONFIG_INVALID')
          assert.equal(e.exitCode, 3)
          assert.match(e.message, where)
          assert.match(e.hint ?? '', new RegExp(`Remove ${name}`))
          return true
        })
      }
    })
  }

  test('HTTP: --mode merge is a usage error', async () => {
    writeConfig(dir, {apis: {web: {type: 'http', spec: 'web.json', stages: {dev: {}}}}})
    await assert.rejects(deploy({cwd: dir, stage: 'dev', mode: 'merge'}, deps), {code: 'USAGE', exitCode: 2})
  })
})

describe('HTTP refusals through the built CLI', {skip: cliBuilt() ? false : 'the CLI is not built (run `npm run build`)'}, () => {
  test('caching exits 3 and --mode merge exits 2, before any AWS call', async () => {
    const dir = writeProject({
      config: {apis: {web: {type: 'http', spec: 'web.json', stages: {dev: {caching: {enabled: true}}}}}},
      specs: {'web.json': httpSpec('web')},
    })
    try {
      const r = await runCli(['deploy', 'web', '--stage', 'dev', '--local'], {cwd: dir, timeoutMs: 60_000})
      assert.equal(r.code, 3, r.stderr)
      assert.match(r.stderr, /apis\.web\.stages\.dev\.caching .*only on REST API stages.*\[CONFIG_INVALID\]\nHint: Remove caching/s)
      writeConfig(dir, {apis: {web: {type: 'http', spec: 'web.json', stages: {dev: {}}}}})
      const m = await runCli(['deploy', 'web', '--stage', 'dev', '--mode', 'merge', '--local'], {cwd: dir, timeoutMs: 60_000})
      assert.equal(m.code, 2, m.stderr)
      assert.match(m.stderr, /--mode merge is for REST APIs/)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
