import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {GetUsagePlansCommand} from '@aws-sdk/client-api-gateway'
import {CliError} from '../../src/errors.ts'
import {deploy} from '../../src/services/deploy.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {emulatorDeps, restSpec, writeProject} from './lifecycle-project.ts'

describe('deploy: per-method throttles of usage plans', () => {
  let emu: TestEmulator
  before(async () => {
    emu = await startTestEmulator()
  })
  after(async () => {
    await emu.close()
  })

  const project = (methods: Record<string, unknown>) => ({
    config: {apis: {shop: {type: 'rest', spec: 'openapi.json', stages: {prod: {}}, usagePlans: {basic: {stages: ['prod'], throttle: {rateLimit: 10, burstLimit: 20}, methods}}}}},
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
    await assert.rejects(deploy({cwd: dir, stage: 'prod'}, emulatorDeps(emu, dir)), (e: unknown) => e instanceof CliError && e.code === 'CONFIG_INVALID' && /METHOD \/path/.test(e.message))
  })
})
