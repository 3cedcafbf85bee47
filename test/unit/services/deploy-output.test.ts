/** The human renderers of the lifecycle commands, and the progress modes (plain lines, silent with --json). */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import type {DeploymentPlan} from '../../../src/core/plan/types.ts'
import {renderDeploy, renderStageMove} from '../../../src/output/deploy.ts'
import {renderHistory} from '../../../src/output/history.ts'
import {renderPlan} from '../../../src/output/plan.ts'
import {createProgress, progressMode} from '../../../src/output/progress.ts'
import {renderStatus} from '../../../src/output/status.ts'

const plan: DeploymentPlan = {
  api: 'pets',
  type: 'rest',
  stage: 'dev',
  apiId: 'api1',
  upToDate: false,
  newDeployment: true,
  reason: 'spec-changed',
  specHash: {repo: 'bbbbbbbbbbbb', stage: 'aaaaaaaaaaaa'},
  operations: {added: ['GET /owners'], removed: ['GET /old'], changed: ['GET /pets'], basis: 'git'},
  settings: [{setting: 'variables.a', from: '1', to: '2'}],
  apiChanges: [],
  usagePlans: [],
  steps: [
    {
      service: 'apigateway',
      operation: 'PutRestApi',
      input: {restApiId: 'api1', mode: 'overwrite', failOnWarnings: true, body: '<spec>'},
      why: 'import',
    },
    {service: 'apigateway', operation: 'CreateDeployment', input: {restApiId: 'api1', description: 'apigw:v1'}, why: 'freeze'},
  ],
}

describe('renderers', () => {
  test('plan: why, operations, settings and numbered calls', () => {
    const text = renderPlan(plan)
    for (const line of [
      'Why: the spec changed (aaaaaaaaaaaa → bbbbbbbbbbbb)',
      '  + GET /owners',
      '  - GET /old',
      '  ~ GET /pets',
      '  ~ variables.a: "1" → "2"',
      'AWS calls (2)',
      ' 1. PutRestApi {"restApiId":"api1","mode":"overwrite","failOnWarnings":true,"body":"<spec>"}',
      ' 2. CreateDeployment',
    ]) {
      assert.ok(text.includes(line), `missing ${JSON.stringify(line)} in\n${text}`)
    }
    assert.match(renderPlan({...plan, upToDate: true, steps: []}), /Up to date/)
  })

  test('plan: the ids and ARNs AWS gives later are shown as what they will be, never as ${…} (issue 14 point 11)', () => {
    // Given a first deploy: no API yet, a log group to create, access logs pointing at it
    const first: DeploymentPlan = {
      ...plan,
      apiId: undefined,
      reason: 'api-missing',
      settings: [{setting: 'accessLogs.destinationArn', from: null, to: '${logGroupArn}'}],
      steps: [
        {service: 'logs', operation: 'CreateLogGroup', input: {logGroupName: '/apigw/pets/dev', tags: {}}, why: 'access logs'},
        {service: 'apigateway', operation: 'ImportRestApi', input: {failOnWarnings: true, body: '<spec>'}, why: 'import'},
        {service: 'apigateway', operation: 'CreateDeployment', input: {restApiId: '${restApiId}', description: 'apigw:v1'}, why: 'freeze'},
      ],
    }
    // When rendered / Then no placeholder is left, and each says what it will be
    const text = renderPlan(first)
    assert.doesNotMatch(text, /\$\{/)
    assert.ok(text.includes('"<ARN of log group /apigw/pets/dev>"'), text)
    assert.ok(text.includes('"restApiId":"<id of the new REST API>"'), text)
    // And once the API exists, its id stands in
    assert.ok(renderPlan({...first, apiId: 'api1'}).includes('"restApiId":"api1"'))
  })

  test('deploy: new deployment with the undo command; up to date says so', () => {
    const base = {
      api: 'pets',
      type: 'rest' as const,
      stage: 'dev',
      apiId: 'api1',
      spec: 'pets.json',
      specHash: 'bbbbbbbbbbbb',
      createdApi: false,
      warnings: [],
      plan,
      calls: [],
      dryRun: false,
    }
    const text = renderDeploy({...base, upToDate: false, deploymentId: 'd2', previousDeploymentId: 'd1'})
    assert.match(text, /pets dev now runs deployment d2 \(spec bbbbbbbbbbbb\); it ran d1 before\./)
    assert.match(text, /Undo: `apigw rollback pets --stage dev --to d1`/)
    assert.match(renderDeploy({...base, upToDate: true, deploymentId: 'd1'}), /up to date .*no new deployment/)
    assert.match(renderDeploy({...base, upToDate: false, dryRun: true}), /Dry run: nothing was changed\./)
  })

  test('stage moves name both deployments', () => {
    const move = {api: 'pets', type: 'rest' as const, apiId: 'a', stage: 'prod', from: 'd1', to: 'd2', canary: null, changed: true}
    assert.equal(renderStageMove({...move, action: 'rollback'}), 'pets prod rolled back to deployment d2 (was d1).')
    assert.match(
      renderStageMove({...move, action: 'canary-start', canary: {deploymentId: 'd3', percentTraffic: 10}}),
      /10% of traffic to deployment d3/,
    )
  })

  test('status and history tables', () => {
    const status = renderStatus({
      api: 'pets',
      type: 'rest',
      apiId: 'api1',
      apiDrift: [],
      spec: 'pets.json',
      specHash: 'bbbbbbbbbbbb',
      stages: [
        {
          name: 'dev',
          configured: true,
          deploymentId: 'd2',
          deployedAt: '2026-01-02T03:04:05.000Z',
          record: {spec: 'aaaaaaaaaaaa', git: 'abcdef123456', dirty: true},
          sync: 'repo-ahead',
          reason: 'the stage runs spec aaaaaaaaaaaa',
          canary: null,
          settingsDrift: [{setting: 'tracing', from: false, to: true}],
          invokeUrl: 'https://api1.execute-api.us-east-1.amazonaws.com/dev',
        },
      ],
    })
    assert.match(status, /^dev\s+d2\s+2026-01-02 03:04\s+abcdef123456\+dirty\s+aaaaaaaaaaaa\s+repo-ahead\s+-$/m)
    assert.match(status, /tracing: stage false, apigw.yaml true/)
    assert.match(status, /^dev: https:\/\/api1\.execute-api\.us-east-1\.amazonaws\.com\/dev$/m)
    const history = renderHistory({
      api: 'pets',
      type: 'rest',
      apiId: 'api1',
      stage: 'dev',
      current: 'd2',
      deployments: [
        {
          id: 'd2',
          createdDate: '2026-01-02T03:04:05.000Z',
          description: null,
          record: {spec: 'aaaaaaaaaaaa', git: 'abc', dirty: false, by: 'ana'},
          stages: ['dev'],
          canaryStages: ['prod'],
        },
      ],
      total: 1,
    })
    assert.match(history, /^\*\s+d2\s+2026-01-02 03:04:05\s+aaaaaaaaaaaa\s+abc\s+ana\s+dev, prod \(canary\)$/m)
    assert.match(history, /^pets \(REST API api1\): 1 deployment; \* = what dev runs$/m)
    // With --limit 2 of 14: say both numbers (issue 14.11)
    const limited = renderHistory({
      api: 'pets',
      type: 'rest',
      apiId: 'api1',
      stage: null,
      current: null,
      total: 14,
      deployments: [1, 2].map((n) => ({id: `d${n}`, createdDate: null, description: null, record: null, stages: [], canaryStages: []})),
    })
    assert.match(limited, /^pets \(REST API api1\): 2 of 14 deployments$/m)
  })
})

describe('progress modes', () => {
  const modes = [
    [{json: true, isTTY: true, ci: false}, 'silent'],
    [{json: false, isTTY: true, ci: false}, 'tty'],
    [{json: false, isTTY: true, ci: true}, 'plain'],
    [{json: false, isTTY: false, ci: false}, 'plain'],
  ] as const
  for (const [input, expected] of modes) test(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(progressMode(input), expected))

  test('plain writes lines; silent writes nothing; both collect warnings', async () => {
    for (const mode of ['plain', 'silent'] as const) {
      const lines: string[] = []
      const warnings: string[] = []
      const p = createProgress(mode, warnings, (l) => lines.push(l))
      assert.equal(await p.step('Create a deployment', async () => 42), 42)
      p.info('Waiting 4.0 s for CreateDeployment')
      p.warn('Import warning: x')
      assert.deepEqual(warnings, ['Import warning: x'])
      assert.deepEqual(
        lines,
        mode === 'plain' ? ['• Create a deployment', 'Waiting 4.0 s for CreateDeployment', 'Warning: Import warning: x'] : [],
      )
    }
  })
})
