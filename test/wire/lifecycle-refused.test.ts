/**
 * A refused deploy leaves the stage as it was: a validation error (nothing is called), an import warning
 * (PutRestApi failonwarnings=true refuses; --allow-warnings deploys and reports), and a failure half-way
 * (UpdateStage fails after the import and the new deployment: the stage still runs its deployment, the
 * error says what changed and how to restore). Also: finding the API by tag, then by name, and two matches.
 */
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {CreateRestApiCommand, GetDeploymentsCommand, GetStageCommand, TagResourceCommand} from '@aws-sdk/client-api-gateway'
import {CliError} from '../../src/errors.ts'
import {deploy} from '../../src/services/lifecycle/deploy.ts'
import {findApi} from '../../src/services/lifecycle/find-api.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {emulatorDeps, mockIntegration, restSpec, writeProject} from './lifecycle-project.ts'

const config = {apis: {shop: {type: 'rest', spec: 'shop.json', stages: {dev: {variables: {v: '1'}}}}}}

describe('refused deploys leave the stage as it was', () => {
  let emu: TestEmulator
  let dir: string
  let deps: ReturnType<typeof emulatorDeps>
  let apiId: string
  let running: string

  const stageNow = async () => (await emu.v1.send(new GetStageCommand({restApiId: apiId, stageName: 'dev'}))).deploymentId
  const deploymentCount = async () => (await emu.v1.send(new GetDeploymentsCommand({restApiId: apiId}))).items?.length ?? 0

  before(async () => {
    emu = await startTestEmulator()
    dir = writeProject({config, specs: {'shop.json': restSpec('shop')}})
    deps = emulatorDeps(emu, dir)
    const r = await deploy({cwd: dir, stage: 'dev'}, deps)
    apiId = r.apiId
    running = r.deploymentId ?? ''
  })
  after(async () => {
    deps.aws.destroy()
    await emu.close()
  })

  test('a validation error refuses before any AWS call', async () => {
    // Given a spec whose integration type does not exist
    const bad = restSpec('shop')
    ;(bad.paths as Record<string, {get: Record<string, unknown>}>)['/health']!.get['x-amazon-apigateway-integration'] = {
      ...mockIntegration('{}'),
      type: 'bogus',
    }
    writeFileSync(join(dir, 'shop.json'), JSON.stringify(bad))
    // When deploying / Then VALIDATION_FAILED (exit 1) with the findings, and the stage is untouched
    await assert.rejects(deploy({cwd: dir, stage: 'dev'}, deps), (e: CliError) => {
      assert.equal(e.code, 'VALIDATION_FAILED')
      assert.equal(e.exitCode, 1)
      assert.ok(((e.details?.result ?? {findings: []}) as {findings: unknown[]}).findings.length > 0)
      // And the hint lists each error as validate prints it: file:line:column, message, [rule] (issue 14 point 11)
      assert.match(e.hint ?? '', /\n {2}\S*shop\.json:\d+:\d+ The integration of GET \/health .*\[integration-type-invalid\]/)
      return true
    })
    assert.equal(await stageNow(), running)
    assert.equal(await deploymentCount(), 1)
  })

  test('an import warning refuses the deploy unless --allow-warnings', async () => {
    // Given a spec AWS imports with a warning (a non-string requestParameters value)
    const warn = restSpec('shop')
    const integration = {...mockIntegration('{}'), requestParameters: {'integration.request.header.x-n': 1}}
    ;(warn.paths as Record<string, {get: Record<string, unknown>}>)['/health']!.get['x-amazon-apigateway-integration'] = integration
    writeFileSync(join(dir, 'shop.json'), JSON.stringify(warn))
    // When deploying / Then IMPORT_WARNINGS (exit 1) naming the warning; stage and deployments unchanged
    await assert.rejects(deploy({cwd: dir, stage: 'dev'}, deps), (e: CliError) => {
      assert.equal(e.code, 'IMPORT_WARNINGS')
      assert.equal(e.exitCode, 1)
      assert.match(e.message, /requestParameters/)
      assert.match(e.hint ?? '', /--allow-warnings/)
      return true
    })
    assert.equal(await stageNow(), running)
    assert.equal(await deploymentCount(), 1)
    // And with --allow-warnings it deploys and reports the warning
    const r = await deploy({cwd: dir, stage: 'dev', allowWarnings: true}, deps)
    assert.equal(r.warnings.length, 1)
    assert.ok(deps.progress.log.warnings.some((w) => /requestParameters/.test(w)))
    assert.equal(await stageNow(), r.deploymentId)
    running = r.deploymentId ?? ''
  })

  test('a failure half-way: the stage still runs its deployment and the error says what changed', async () => {
    // Given a new spec, and UpdateStage failing (a 503 from AWS, after retries)
    writeFileSync(
      join(dir, 'shop.json'),
      JSON.stringify(
        restSpec('shop', {
          '/new': {get: {responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': mockIntegration('{}')}},
        }),
      ),
    )
    const real = deps.ports!.v1.updateStage
    deps.ports!.v1.updateStage = async () => {
      throw new CliError('AWS_UNAVAILABLE', 'UpdateStage: AWS answered 503 (ServiceUnavailableException) after retries.', {
        hint: 'Run again later.',
      })
    }
    try {
      // When deploying
      await assert.rejects(deploy({cwd: dir, stage: 'dev'}, deps), (e: CliError) => {
        // Then the error names the step, says the stage still runs its deployment, and what was done
        assert.equal(e.code, 'AWS_UNAVAILABLE')
        assert.match(e.message, /Deploy stopped at UpdateStage/)
        assert.match(e.message, new RegExp(`still runs its previous deployment ${running}`))
        assert.match(e.message, /created deployment \w+/)
        assert.equal(e.details?.stageChanged, false)
        assert.match(e.hint ?? '', /apigw deploy shop --stage dev/)
        return true
      })
    } finally {
      deps.ports!.v1.updateStage = real
    }
    assert.equal(await stageNow(), running)
    assert.equal(await deploymentCount(), 3)
    // And the next deploy goes through
    const r = await deploy({cwd: dir, stage: 'dev'}, deps)
    assert.equal(await stageNow(), r.deploymentId)
  })
})

describe('finding the API', () => {
  let emu: TestEmulator
  let deps: ReturnType<typeof emulatorDeps>
  before(async () => {
    emu = await startTestEmulator()
    deps = emulatorDeps(emu, process.cwd())
  })
  after(async () => {
    deps.aws.destroy()
    await emu.close()
  })

  test('by name when untagged, by tag first, and two matches list both ids', async () => {
    // Given an untagged API named "orders"
    const a = await emu.v1.send(new CreateRestApiCommand({name: 'orders'}))
    assert.deepEqual(await findApi(deps.ports!, 'rest', 'orders'), {
      id: a.id,
      name: 'orders',
      tagged: false,
      createdDate: a.createdDate,
      endpointTypes: a.endpointConfiguration?.types,
      tags: a.tags ?? {},
    })
    // When another API carries the tag apigw:api=orders / Then the tagged one wins
    const b = await emu.v1.send(new CreateRestApiCommand({name: 'orders-v2', tags: {'apigw:api': 'orders'}}))
    assert.equal((await findApi(deps.ports!, 'rest', 'orders'))?.id, b.id)
    // When a second API carries the same tag / Then AWS_AMBIGUOUS lists both ids
    const c = await emu.v1.send(new CreateRestApiCommand({name: 'other'}))
    await emu.v1.send(
      new TagResourceCommand({resourceArn: `arn:aws:apigateway:us-east-1::/restapis/${c.id}`, tags: {'apigw:api': 'orders'}}),
    )
    await assert.rejects(findApi(deps.ports!, 'rest', 'orders'), (e: CliError) => {
      assert.equal(e.code, 'AWS_AMBIGUOUS')
      assert.deepEqual(e.details?.ids, [b.id, c.id].sort())
      for (const id of [b.id!, c.id!]) assert.ok(e.message.includes(id))
      return true
    })
    assert.equal(await findApi(deps.ports!, 'rest', 'nothing'), undefined)
  })
})
