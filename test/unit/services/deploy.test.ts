/**
 * deploy with fake ports (no emulator): the deployment record, git info, and the error after a failure
 * once the stage has moved (a usage plan step failing): it names what changed and the rollback command.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, test} from 'node:test'
import type {ApiGatewayPort} from '../../../src/aws/api-gateway.ts'
import type {ApiGatewayV2Port} from '../../../src/aws/api-gateway-v2.ts'
import type {AwsClients} from '../../../src/aws/clients.ts'
import type {ExportPort} from '../../../src/aws/export.ts'
import type {LogsPort} from '../../../src/aws/logs.ts'
import {silentProgress} from '../../../src/deps.ts'
import {CliError} from '../../../src/errors.ts'
import {deploy} from '../../../src/services/lifecycle/deploy.ts'
import {currentUser, formatRecord, gitInfo, parseRecord} from '../../../src/services/lifecycle/deployment-record.ts'
import type {LifecycleDeps} from '../../../src/services/lifecycle/find-api.ts'
import {tempDir} from '../../helpers/temp.ts'

describe('deployment record', () => {
  const cases = [
    [
      {spec: '0123456789ab', git: 'abcdef123456', dirty: false, by: 'ana', tool: '0.1.0'},
      'apigw:v1 spec=0123456789ab git=abcdef123456 by=ana tool=0.1.0',
    ],
    [
      {spec: '0123456789ab', git: 'abcdef123456', dirty: true, by: 'ana', tool: '0.1.0'},
      'apigw:v1 spec=0123456789ab git=abcdef123456+dirty by=ana tool=0.1.0',
    ],
    [
      {spec: '0123456789ab', git: undefined, dirty: false, by: 'ana', tool: '0.1.0'},
      'apigw:v1 spec=0123456789ab git=none by=ana tool=0.1.0',
    ],
  ] as const
  for (const [record, line] of cases) {
    test(`formats and parses ${line}`, () => {
      // Given a record / When formatted and parsed back / Then the same line and the same record
      assert.equal(formatRecord(record), line)
      assert.deepEqual(parseRecord(line), record)
    })
  }
  for (const other of [undefined, '', 'deployed by hand', 'apigw:v1 spec=nothex git=none']) {
    test(`a description apigw did not write (${JSON.stringify(other)}) has no record`, () => assert.equal(parseRecord(other), undefined))
  }
})

describe('git info', () => {
  test('clean, dirty, and outside a repository', () => {
    // Given a git repository with one commit
    const dir = tempDir('apigw-git-')
    const git = (...args: string[]) => execFileSync('git', args, {cwd: dir, stdio: 'ignore'})
    git('init', '-q')
    writeFileSync(join(dir, 'a.txt'), 'a')
    git('add', 'a.txt')
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'one')
    const clean = gitInfo(dir)
    assert.match(clean?.sha ?? '', /^[0-9a-f]{12}$/)
    assert.equal(clean?.dirty, false)
    // When a tracked file changes / Then dirty
    writeFileSync(join(dir, 'a.txt'), 'b')
    assert.equal(gitInfo(dir)?.dirty, true)
    // And outside any repository there is no git info
    assert.equal(gitInfo(tempDir('apigw-nogit-')), undefined)
  })

  test('a spec that is not in git makes the version +dirty (issue 14 point 11)', () => {
    // Given a clean repository with one commit, and a spec file next to it that was never added
    const dir = tempDir('apigw-git-')
    const git = (...args: string[]) => execFileSync('git', args, {cwd: dir, stdio: 'ignore'})
    git('init', '-q')
    writeFileSync(join(dir, 'apigw.yaml'), 'apis: {}\n')
    git('add', 'apigw.yaml')
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'one')
    const spec = join(dir, 'openapi.yaml')
    writeFileSync(spec, 'openapi: 3.0.3\n')
    // When the deploy's files include the untracked spec / Then dirty; without it the tree is clean
    assert.equal(gitInfo(dir, [join(dir, 'apigw.yaml'), spec])?.dirty, true)
    assert.equal(gitInfo(dir, [join(dir, 'apigw.yaml')])?.dirty, false)
    // And an ignored spec is not in git either
    writeFileSync(join(dir, '.gitignore'), 'openapi.yaml\n')
    git('add', '.gitignore')
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'two')
    assert.equal(gitInfo(dir, [spec])?.dirty, true)
    // And once committed, clean
    git('add', '-f', 'openapi.yaml')
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'three')
    assert.equal(gitInfo(dir, [spec])?.dirty, false)
  })

  test("who deploys is git's author: user.name, else HEAD's author; APIGW_USER first (issue 14 point 11)", () => {
    const saved = process.env.APIGW_USER
    delete process.env.APIGW_USER
    try {
      // Given a repository whose user.name is set locally
      const dir = tempDir('apigw-git-')
      const git = (...args: string[]) => execFileSync('git', args, {cwd: dir, stdio: 'ignore'})
      git('init', '-q')
      git('config', 'user.name', 'Ana Lima')
      // Then that name, spaces kept through the record line
      assert.equal(currentUser(dir), 'Ana Lima')
      const line = formatRecord({spec: '0123456789ab', git: undefined, dirty: false, by: currentUser(dir), tool: '0.1.0'})
      assert.equal(line, 'apigw:v1 spec=0123456789ab git=none by=Ana%20Lima tool=0.1.0')
      assert.equal(parseRecord(line)?.by, 'Ana Lima')
      // And with no user.name anywhere (no global or system config), HEAD's author
      process.env.GIT_CONFIG_GLOBAL = '/dev/null'
      process.env.GIT_CONFIG_NOSYSTEM = '1'
      git('config', '--unset', 'user.name')
      git('-c', 'user.email=bo@example.com', '-c', 'user.name=Bo Chen', 'commit', '-q', '--allow-empty', '-m', 'one')
      assert.equal(currentUser(dir), 'Bo Chen')
      // And APIGW_USER overrides it
      process.env.APIGW_USER = 'ci-bot'
      assert.equal(currentUser(dir), 'ci-bot')
    } finally {
      if (saved === undefined) delete process.env.APIGW_USER
      else process.env.APIGW_USER = saved
      delete process.env.GIT_CONFIG_GLOBAL
      delete process.env.GIT_CONFIG_NOSYSTEM
    }
  })
})

function fakeDeps(dir: string, failOn: string): LifecycleDeps & {calls: string[]} {
  const calls: string[] = []
  let deployments = 1
  const stage = {stageName: 'prod', deploymentId: 'd1', variables: {}, methodSettings: {}}
  const fail = (op: string) => {
    calls.push(op)
    if (op === failOn)
      throw new CliError('AWS_THROTTLED', `${op}: AWS kept throttling the call after retries (TooManyRequestsException).`, {
        hint: 'Wait a minute.',
      })
  }
  const v1: Partial<ApiGatewayPort> = {
    listRestApis: async () => [{id: 'api1', name: 'pets', tags: {'apigw:api': 'pets'}}],
    getStage: async () => structuredClone(stage),
    listDeployments: async () => [{id: 'd1', description: 'apigw:v1 spec=000000000000 git=none by=x tool=0', createdDate: new Date(1000)}],
    putRestApi: async () => {
      fail('PutRestApi')
      return {id: 'api1'}
    },
    createDeployment: async () => {
      fail('CreateDeployment')
      return {id: `d${++deployments}`}
    },
    updateStage: async (_id, _s, patch) => {
      fail('UpdateStage')
      for (const op of patch) if (op.path === '/deploymentId') stage.deploymentId = op.value ?? ''
      return stage
    },
    listUsagePlans: async () => [],
    createUsagePlan: async () => {
      fail('CreateUsagePlan')
      return {id: 'up1'}
    },
  }
  return {
    aws: {local: true, options: {}} as AwsClients,
    clock: () => new Date(0),
    progress: silentProgress,
    interactive: false,
    cwd: dir,
    calls,
    ports: {
      v1: v1 as ApiGatewayPort,
      v2: {} as ApiGatewayV2Port,
      logs: {} as LogsPort,
      exports: {
        getExport: async () => ({
          body: new TextEncoder().encode(JSON.stringify({openapi: '3.0.1', info: {title: 'x', version: '1'}, paths: {}})),
        }),
      } as unknown as ExportPort,
      region: 'us-east-1',
    },
  }
}

describe('deploy with fake ports', () => {
  const project = () => {
    const dir = tempDir('apigw-deploy-')
    writeFileSync(
      join(dir, 'apigw.yaml'),
      JSON.stringify({
        apis: {
          pets: {
            type: 'rest',
            spec: 'pets.json',
            stages: {prod: {}},
            usagePlans: {basic: {stages: ['prod'], throttle: {rateLimit: 1, burstLimit: 2}}},
          },
        },
      }),
    )
    const integration = {
      type: 'mock',
      requestTemplates: {'application/json': '{"statusCode": 200}'},
      responses: {default: {statusCode: '200'}},
    }
    writeFileSync(
      join(dir, 'pets.json'),
      JSON.stringify({
        openapi: '3.0.1',
        info: {title: 'pets', version: '1'},
        paths: {'/pets': {get: {responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': integration}}},
      }),
    )
    return dir
  }

  test('a failure after the stage moved says so and gives the rollback command', async () => {
    // Given the usage plan call failing after the stage moved to the new deployment
    const dir = project()
    const deps = fakeDeps(dir, 'CreateUsagePlan')
    // When deploying / Then the error says the stage now runs d2, ran d1, and how to restore it
    await assert.rejects(deploy({cwd: dir, stage: 'prod'}, deps), (e: CliError) => {
      assert.equal(e.code, 'AWS_THROTTLED')
      assert.match(e.message, /Deploy stopped at CreateUsagePlan/)
      assert.match(e.message, /Stage prod now runs deployment d2 \(it ran d1 before\)/)
      assert.match(e.hint ?? '', /apigw rollback pets --stage prod --to d1/)
      assert.equal(e.details?.stageChanged, true)
      return true
    })
    assert.deepEqual(deps.calls, ['PutRestApi', 'CreateDeployment', 'UpdateStage', 'CreateUsagePlan'])
  })

  test('a failure at CreateDeployment: nothing moved, the stage still runs d1', async () => {
    const dir = project()
    const deps = fakeDeps(dir, 'CreateDeployment')
    await assert.rejects(deploy({cwd: dir, stage: 'prod'}, deps), (e: CliError) => {
      assert.match(e.message, /Stage prod still runs its previous deployment d1/)
      assert.match(e.message, /imported the spec into the API's working copy/)
      assert.equal(e.details?.stageChanged, false)
      return true
    })
    assert.deepEqual(deps.calls, ['PutRestApi', 'CreateDeployment'])
  })

  test('--dry-run calls nothing that writes', async () => {
    const dir = project()
    const deps = fakeDeps(dir, 'none')
    const r = await deploy({cwd: dir, stage: 'prod', dryRun: true}, deps)
    assert.equal(r.dryRun, true)
    assert.deepEqual(
      r.plan.steps.map((s) => s.operation),
      ['PutRestApi', 'CreateDeployment', 'UpdateStage', 'CreateUsagePlan'],
    )
    assert.deepEqual(deps.calls, [])
  })
})
