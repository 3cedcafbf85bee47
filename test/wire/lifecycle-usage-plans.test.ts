import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {GetUsagePlansCommand} from '@aws-sdk/client-api-gateway'
import {plan} from '../../src/services/lifecycle/plan.ts'
import {CliError} from '../../src/errors.ts'
import {deploy} from '../../src/services/lifecycle/deploy.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {emulatorDeps, restSpec, writeProject} from './lifecycle-project.ts'

describe('deploy: usage plans from apigw.yaml', () => {
  let emu: TestEmulator
  before(async () => {
    emu = await startTestEmulator()
  })
  after(async () => {
    await emu.close()
  })

  const project = (methods: Record<string, unknown>) => ({
    config: {
      apis: {
        shop: {
          type: 'rest',
          spec: 'openapi.json',
          stages: {prod: {}},
          usagePlans: {basic: {stages: ['prod'], throttle: {rateLimit: 10, burstLimit: 20}, methods}},
        },
      },
    },
    specs: {'openapi.json': restSpec('shop')},
  })
  const stageThrottle = async () => {
    const plans = await emu.v1.send(new GetUsagePlansCommand({}))
    const plan = plans.items?.find((p) => p.name?.includes('basic'))
    return plan?.apiStages?.[0]?.throttle ?? {}
  }

  it('creates the plan with them, changes them and removes them as apigw.yaml says', async () => {
    // Given a plan with a throttle for GET /items, When deployed, Then the plan's stage carries it in AWS's form
    const dir = writeProject(project({'GET /items': {rateLimit: 5, burstLimit: 10}}))
    await deploy({cwd: dir, stage: 'prod'}, emulatorDeps(emu, dir))
    assert.deepEqual(await stageThrottle(), {'/items/GET': {rateLimit: 5, burstLimit: 10}})
    // When the limit changes and another method is added, Then both are there after the next deploy
    writeProject(project({'GET /items': {rateLimit: 7, burstLimit: 10}, 'GET /health': {rateLimit: 1, burstLimit: 2}}), dir)
    await deploy({cwd: dir, stage: 'prod'}, emulatorDeps(emu, dir))
    assert.deepEqual(await stageThrottle(), {'/items/GET': {rateLimit: 7, burstLimit: 10}, '/health/GET': {rateLimit: 1, burstLimit: 2}})
    // When one is dropped from apigw.yaml, Then it is removed
    writeProject(project({'GET /health': {rateLimit: 1, burstLimit: 2}}), dir)
    await deploy({cwd: dir, stage: 'prod'}, emulatorDeps(emu, dir))
    assert.deepEqual(await stageThrottle(), {'/health/GET': {rateLimit: 1, burstLimit: 2}})
  })

  it('refuses a key that is not "METHOD /path"', async () => {
    const dir = writeProject(project({'items GET': {rateLimit: 1}}))
    await assert.rejects(
      deploy({cwd: dir, stage: 'prod'}, emulatorDeps(emu, dir)),
      (e: unknown) => e instanceof CliError && e.code === 'CONFIG_INVALID' && /METHOD \/path/.test(e.message),
    )
  })

  it('reports a plan gone from apigw.yaml, deletes it only with --prune, and unlinks a stage a plan no longer lists', async () => {
    // Given two plans deployed for the stage
    const twoPlans = (gold: boolean, basicStages: string[]) => ({
      config: {
        apis: {
          zoo: {
            type: 'rest',
            spec: 'openapi.json',
            stages: {prod: {}},
            usagePlans: {basic: {stages: basicStages}, ...(gold ? {gold: {stages: ['prod']}} : {})},
          },
        },
      },
      specs: {'openapi.json': restSpec('zoo')},
    })
    const dir = writeProject(twoPlans(true, ['prod']))
    await deploy({cwd: dir, stage: 'prod'}, emulatorDeps(emu, dir))
    const names = async () =>
      ((await emu.v1.send(new GetUsagePlansCommand({}))).items ?? [])
        .filter((p) => p.name?.startsWith('zoo'))
        .map((p) => `${p.name}:${(p.apiStages ?? []).map((s) => s.stage).join(',')}`)
        .sort()
    assert.deepEqual(await names(), ['zoo-basic:prod', 'zoo-gold:prod'])
    // When gold leaves apigw.yaml, Then plan reports it as an orphan and deploy keeps it
    writeProject(twoPlans(false, ['prod']), dir)
    const p = await plan({cwd: dir, stage: 'prod'}, emulatorDeps(emu, dir))
    assert.deepEqual(
      p.usagePlans.map((u) => [u.name, u.action]),
      [['zoo-gold', 'orphan']],
    )
    await deploy({cwd: dir, stage: 'prod'}, emulatorDeps(emu, dir))
    assert.deepEqual(await names(), ['zoo-basic:prod', 'zoo-gold:prod'])
    // When deployed with --prune, Then it is unlinked and deleted
    await deploy({cwd: dir, stage: 'prod', prune: true}, emulatorDeps(emu, dir))
    assert.deepEqual(await names(), ['zoo-basic:prod'])
    // When basic no longer lists prod, Then the stage is unlinked from it and the plan kept
    writeProject(twoPlans(false, []), dir)
    await deploy({cwd: dir, stage: 'prod'}, emulatorDeps(emu, dir))
    assert.deepEqual(await names(), ['zoo-basic:'])
  })
})
