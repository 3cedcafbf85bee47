/**
 * `autoDeploy: true` in apigw.yaml: on an HTTP API stage apigw imports and lets the stage's auto-deploy make
 * the deployment, reads it back and records the spec on it (status, history and the next deploy read it);
 * turning it off goes back to apigw's own deployments; on a REST stage it is a config error.
 */
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {GetDeploymentCommand, GetStageCommand} from '@aws-sdk/client-apigatewayv2'
import {CliError, EXIT} from '../../src/errors.ts'
import {deploy} from '../../src/services/lifecycle/deploy.ts'
import {plan} from '../../src/services/lifecycle/plan.ts'
import {status} from '../../src/services/lifecycle/status.ts'
import {SIGNED, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {emulatorDeps, httpSpec, restSpec, writeProject} from './lifecycle-project.ts'

describe('deploy: autoDeploy in apigw.yaml', () => {
  let emu: TestEmulator
  before(async () => {
    emu = await startTestEmulator()
  })
  after(async () => {
    await emu.close()
  })

  it('refuses autoDeploy: true on a REST stage before changing anything', async () => {
    const dir = writeProject({
      config: {apis: {a: {type: 'rest', spec: 'openapi.json', stages: {dev: {autoDeploy: true}}}}},
      specs: {'openapi.json': restSpec('r')},
    })
    await assert.rejects(deploy({cwd: dir, stage: 'dev'}, emulatorDeps(emu, dir)), (e: unknown) => {
      assert.ok(e instanceof CliError)
      assert.equal(e.code, 'CONFIG_INVALID')
      assert.equal(e.exitCode, EXIT.INPUT)
      assert.match(e.message, /autoDeploy is for HTTP APIs/)
      return true
    })
    const apis = await fetch(`${emu.url}/v2/apis`, {headers: SIGNED}).then((r) => r.json() as Promise<{items: unknown[]}>)
    const rest = await fetch(`${emu.url}/restapis`, {headers: SIGNED}).then((r) => r.json() as Promise<{item: unknown[]}>)
    assert.equal(apis.items.length + rest.item.length, 0)
  })

  it('HTTP: deploys through the stage auto-deploy, records the spec on the automatic deployment, and follows spec changes', async () => {
    // Given an HTTP API whose dev stage has autoDeploy
    const config = {apis: {web: {type: 'http', spec: 'web.json', stages: {dev: {autoDeploy: true, variables: {v: '1'}}}}}}
    const dir = writeProject({config, specs: {'web.json': httpSpec('web')}})
    const deps = emulatorDeps(emu, dir)
    try {
      // When it is deployed the first time
      const first = await deploy({cwd: dir, stage: 'dev'}, deps)
      // Then no CreateDeployment: the stage is created with AutoDeploy, and its deployment is read back and recorded
      assert.deepEqual(
        first.plan.steps.map((s) => s.operation),
        ['ImportApi', 'TagResource', 'CreateStage', 'GetStage', 'UpdateDeployment'],
      )
      const stage = await emu.v2.send(new GetStageCommand({ApiId: first.apiId, StageName: 'dev'}))
      assert.equal(stage.AutoDeploy, true)
      assert.equal(stage.DeploymentId, first.deploymentId)
      const d1 = await emu.v2.send(new GetDeploymentCommand({ApiId: first.apiId, DeploymentId: first.deploymentId!}))
      assert.equal(d1.AutoDeployed, true)
      assert.match(d1.Description ?? '', /^apigw:v1 spec=[0-9a-f]{12} /)
      // And the same files deploy nothing; status says in sync
      assert.equal((await deploy({cwd: dir, stage: 'dev'}, deps)).upToDate, true)
      assert.equal((await status({cwd: dir}, deps)).stages[0]?.sync, 'in-sync')

      // When the spec changes
      writeFileSync(
        join(dir, 'web.json'),
        JSON.stringify(
          httpSpec('web', {
            '/owners': {
              get: {
                responses: {'200': {description: 'ok'}},
                'x-amazon-apigateway-integration': {
                  type: 'HTTP_PROXY',
                  httpMethod: 'GET',
                  uri: 'https://example.com/o',
                  payloadFormatVersion: '1.0',
                },
              },
            },
          }),
        ),
      )
      const p = await plan({cwd: dir, stage: 'dev'}, deps)
      assert.deepEqual(
        p.steps.map((s) => s.operation),
        ['ReimportApi', 'GetStage', 'UpdateDeployment'],
      )
      const second = await deploy({cwd: dir, stage: 'dev'}, deps)
      // Then the reimport redeployed the stage and apigw recorded the new spec on that deployment
      assert.notEqual(second.deploymentId, first.deploymentId)
      const after2 = await emu.v2.send(new GetStageCommand({ApiId: first.apiId, StageName: 'dev'}))
      assert.equal(after2.DeploymentId, second.deploymentId)
      const d2 = await emu.v2.send(new GetDeploymentCommand({ApiId: first.apiId, DeploymentId: second.deploymentId!}))
      assert.equal(d2.AutoDeployed, true)
      assert.notEqual(d2.Description, d1.Description)
      assert.equal((await status({cwd: dir}, deps)).stages[0]?.sync, 'in-sync')

      // When autoDeploy is removed from apigw.yaml, the stage turns it off (and no deployment is needed)
      writeFileSync(
        join(dir, 'apigw.yaml'),
        JSON.stringify({apis: {web: {type: 'http', spec: 'web.json', stages: {dev: {variables: {v: '1'}}}}}}),
      )
      const off = await deploy({cwd: dir, stage: 'dev'}, deps)
      assert.deepEqual(
        off.plan.steps.map((s) => s.operation),
        ['UpdateStage'],
      )
      assert.equal((await emu.v2.send(new GetStageCommand({ApiId: first.apiId, StageName: 'dev'}))).AutoDeploy, false)
      assert.equal((await deploy({cwd: dir, stage: 'dev'}, deps)).upToDate, true)
    } finally {
      deps.aws.destroy()
    }
  })
})
