/** planDeployment: the calls, in order, for each situation; settings → patch operations; purity. */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {planDeployment} from '../../../../src/core/plan/plan.ts'
import {
  accessLogFormat,
  compareSettings,
  desiredSettings,
  httpStageSettings,
  restPatchOperations,
  restStageSettings,
} from '../../../../src/core/plan/settings.ts'
import type {ActualState, DesiredState} from '../../../../src/core/plan/types.ts'

const spec = (paths: string[]) => ({
  openapi: '3.0.1',
  info: {title: 't', version: '1'},
  paths: Object.fromEntries(paths.map((p) => [p, {get: {responses: {'200': {description: 'ok'}}}}])),
})

function desired(over: Partial<DesiredState> = {}): DesiredState {
  return {
    api: 'pets',
    type: 'rest',
    stage: 'dev',
    specHash: 'aaaaaaaaaaaa',
    specBytes: 100,
    spec: spec(['/pets']),
    settings: desiredSettings({variables: {a: '1'}}, 'rest', undefined),
    managesDescription: false,
    mode: 'overwrite',
    failOnWarnings: true,
    deploymentDescription: 'apigw:v1 spec=aaaaaaaaaaaa git=none by=me tool=0.1.0',
    tags: {'apigw:api': 'pets'},
    region: 'us-east-1',
    usagePlans: [],
    force: false,
    ...over,
  }
}

const running = (over: Partial<ActualState> = {}): ActualState => ({
  api: {id: 'api1', name: 'pets', tagged: true},
  stage: {deploymentId: 'd1', settings: restStageSettings({variables: {a: '1'}})},
  deployedSpecHash: 'aaaaaaaaaaaa',
  deployedSpec: spec(['/pets']),
  usagePlans: [],
  ...over,
})

const ops = (p: ReturnType<typeof planDeployment>) => p.steps.map((s) => s.operation)

describe('planDeployment: the calls for each situation', () => {
  const cases: Array<{name: string; desired: DesiredState; actual: ActualState; reason: string; calls: string[]; upToDate?: boolean}> = [
    {
      name: 'REST API missing',
      desired: desired(),
      actual: {usagePlans: []},
      reason: 'api-missing',
      calls: ['ImportRestApi', 'TagResource', 'CreateDeployment', 'CreateStage'],
    },
    {
      name: 'REST stage missing',
      desired: desired(),
      actual: running({stage: undefined}),
      reason: 'stage-missing',
      calls: ['PutRestApi', 'CreateDeployment', 'CreateStage'],
    },
    {
      name: 'REST spec changed',
      desired: desired({specHash: 'bbbbbbbbbbbb'}),
      actual: running(),
      reason: 'spec-changed',
      calls: ['PutRestApi', 'CreateDeployment', 'UpdateStage'],
    },
    {name: 'REST up to date', desired: desired(), actual: running(), reason: 'up-to-date', calls: [], upToDate: true},
    {
      name: 'REST forced',
      desired: desired({force: true}),
      actual: running(),
      reason: 'forced',
      calls: ['PutRestApi', 'CreateDeployment', 'UpdateStage'],
    },
    {
      name: 'REST deployment not made by apigw',
      desired: desired(),
      actual: running({deployedSpecHash: undefined}),
      reason: 'not-recorded',
      calls: ['PutRestApi', 'CreateDeployment', 'UpdateStage'],
    },
    {
      name: 'REST found by name only: tag it',
      desired: desired({specHash: 'bbbbbbbbbbbb'}),
      actual: running({api: {id: 'api1', name: 'pets', tagged: false}}),
      reason: 'spec-changed',
      calls: ['TagResource', 'PutRestApi', 'CreateDeployment', 'UpdateStage'],
    },
    {
      name: 'REST settings only',
      desired: desired({settings: desiredSettings({variables: {a: '2'}}, 'rest', undefined)}),
      actual: running(),
      reason: 'settings-changed',
      calls: ['UpdateStage'],
    },
    {
      name: 'REST promote to an existing deployment',
      desired: desired({deploymentId: 'd9'}),
      actual: running(),
      reason: 'promote',
      calls: ['UpdateStage'],
    },
    {
      name: 'HTTP API missing',
      desired: desired({type: 'http'}),
      actual: {usagePlans: []},
      reason: 'api-missing',
      calls: ['ImportApi', 'TagResource', 'CreateDeployment', 'CreateStage'],
    },
    {
      name: 'HTTP spec changed',
      desired: desired({type: 'http', specHash: 'bbbbbbbbbbbb'}),
      actual: running({stage: {deploymentId: 'd1', settings: httpStageSettings({StageVariables: {a: '1'}})}}),
      reason: 'spec-changed',
      calls: ['ReimportApi', 'CreateDeployment', 'UpdateStage'],
    },
    {
      name: 'HTTP up to date',
      desired: desired({type: 'http'}),
      actual: running({stage: {deploymentId: 'd1', settings: httpStageSettings({StageVariables: {a: '1'}})}}),
      reason: 'up-to-date',
      calls: [],
      upToDate: true,
    },
  ]
  for (const c of cases) {
    test(c.name, () => {
      // Given the desired and actual states / When planning
      const p = planDeployment(c.desired, c.actual)
      // Then the reason and the calls, in order
      assert.equal(p.reason, c.reason)
      assert.deepEqual(ops(p), c.calls)
      assert.equal(p.upToDate, c.upToDate ?? false)
    })
  }

  test('the stage moves in the same UpdateStage that applies settings, after CreateDeployment', () => {
    const p = planDeployment(
      desired({specHash: 'bbbbbbbbbbbb', settings: desiredSettings({variables: {a: '2'}, tracing: true}, 'rest', undefined)}),
      running(),
    )
    const update = p.steps.find((s) => s.operation === 'UpdateStage')
    assert.deepEqual((update?.input as Record<string, unknown> | undefined)?.patchOperations, [
      {op: 'replace', path: '/deploymentId', value: '${deploymentId}'},
      {op: 'replace', path: '/tracingEnabled', value: 'true'},
      {op: 'replace', path: '/variables/a', value: '2'},
    ])
    assert.ok(ops(p).indexOf('CreateDeployment') < ops(p).indexOf('UpdateStage'))
  })

  test('PutRestApi mode and failonwarnings come from the options', () => {
    const p = planDeployment(desired({specHash: 'bbbbbbbbbbbb', mode: 'merge', failOnWarnings: false}), running())
    assert.deepEqual(p.steps[0]?.input, {
      restApiId: 'api1',
      mode: 'merge',
      failOnWarnings: false,
      body: '<spec: 100 bytes, sha256 bbbbbbbbbbbb>',
    })
  })

  test('operation changes: exact against the deployed commit, added/removed only against an export', () => {
    // Given the deployed spec had /pets (200 only) and /old; the repo has /pets (200 and 404) and /owners
    const repo = spec(['/pets', '/owners']) as {paths: Record<string, {get: {responses: Record<string, unknown>}}>}
    repo.paths['/pets']!.get.responses['404'] = {description: 'missing'}
    const deployed = spec(['/pets', '/old'])
    // When the deployed spec came from git / Then changed operations are listed
    const fromGit = planDeployment(
      desired({specHash: 'bbbbbbbbbbbb', spec: repo}),
      running({deployedSpec: deployed, deployedSpecSource: 'git'}),
    )
    assert.deepEqual(fromGit.operations, {added: ['GET /owners'], removed: ['GET /old'], changed: ['GET /pets'], basis: 'git'})
    // When it came from an export / Then only added and removed are trusted
    const fromExport = planDeployment(
      desired({specHash: 'bbbbbbbbbbbb', spec: repo}),
      running({deployedSpec: deployed, deployedSpecSource: 'export'}),
    )
    assert.deepEqual(fromExport.operations, {added: ['GET /owners'], removed: ['GET /old'], changed: [], basis: 'export'})
  })

  test('the access-log group is created before the stage uses it, with retention', () => {
    const d = desired({
      settings: desiredSettings({variables: {a: '1'}, accessLogs: {format: 'json', retentionDays: 7}}, 'rest', '${logGroupArn}'),
      logGroup: {name: '/apigw/pets/dev/access', retentionDays: 7},
    })
    const p = planDeployment(d, running())
    assert.deepEqual(ops(p), ['CreateLogGroup', 'PutRetentionPolicy', 'UpdateStage'])
    const patch = (p.steps[2]?.input as Record<string, unknown> | undefined)?.patchOperations as Array<{path: string; value?: string}>
    assert.deepEqual(
      patch.map((o) => o.path),
      ['/accessLogSettings/destinationArn', '/accessLogSettings/format'],
    )
    assert.equal(patch[0]?.value, '${logGroupArn}')
  })

  test('usage plans: created with the stage, updated and linked when they exist', () => {
    const plan = {key: 'basic', name: 'pets-basic', throttle: {rateLimit: 10, burstLimit: 20}, quota: {limit: 100, period: 'DAY'}}
    const created = planDeployment(desired({usagePlans: [plan]}), running())
    assert.deepEqual(ops(created), ['CreateUsagePlan'])
    assert.deepEqual((created.steps[0]?.input as Record<string, unknown> | undefined)?.apiStages, [{apiId: 'api1', stage: 'dev'}])
    const existing = {...plan, id: 'up1', throttle: {rateLimit: 5, burstLimit: 20}, apiStages: []}
    const updated = planDeployment(desired({usagePlans: [plan]}), running({usagePlans: [existing]}))
    assert.deepEqual(updated.steps[0]?.input, {
      usagePlanId: 'up1',
      patchOperations: [
        {op: 'add', path: '/apiStages', value: 'api1:dev'},
        {op: 'replace', path: '/throttle/rateLimit', value: '10'},
      ],
    })
    const same = planDeployment(
      desired({usagePlans: [plan]}),
      running({usagePlans: [{...plan, id: 'up1', apiStages: [{apiId: 'api1', stage: 'dev'}]}]}),
    )
    assert.equal(same.upToDate, true)
  })

  test('pure: the inputs are not mutated and the same inputs give the same plan', () => {
    const d = desired({specHash: 'bbbbbbbbbbbb'})
    const a = running()
    const before = JSON.stringify([d, a])
    assert.deepEqual(planDeployment(d, a), planDeployment(d, a))
    assert.equal(JSON.stringify([d, a]), before)
  })
})

describe('stage settings', () => {
  test('throttling, caching, metrics and execution logs map to /*/* patch paths', () => {
    // Given a stage with defaults and a config asking for everything
    const want = desiredSettings(
      {
        throttling: {rateLimit: 100, burstLimit: 200},
        caching: {enabled: true, ttlSeconds: 60},
        metrics: true,
        executionLogs: {level: 'ERROR', dataTrace: true},
      },
      'rest',
      undefined,
    )
    const changes = compareSettings(restStageSettings({}), want, false)
    // Then each change becomes the documented patch path
    assert.deepEqual(
      restPatchOperations(changes, want).map((o) => `${o.op} ${o.path} ${o.value}`),
      [
        'replace /cacheClusterEnabled true',
        'replace /cacheClusterSize 0.5',
        'replace /*/*/caching/enabled true',
        'replace /*/*/caching/ttlInSeconds 60',
        'replace /*/*/logging/dataTrace true',
        'replace /*/*/logging/loglevel ERROR',
        'replace /*/*/metrics/enabled true',
        'replace /*/*/throttling/burstLimit 200',
        'replace /*/*/throttling/rateLimit 100',
      ],
    )
  })

  test('a setting dropped from apigw.yaml goes back to the default; a dropped variable is removed', () => {
    const have = restStageSettings({
      variables: {a: '1', 'b/c': '2'},
      methodSettings: {'*/*': {throttlingRateLimit: 5, throttlingBurstLimit: 5000}},
      accessLogSettings: {destinationArn: 'arn:x', format: 'f'},
    })
    const want = desiredSettings({variables: {a: '1'}}, 'rest', undefined)
    assert.deepEqual(restPatchOperations(compareSettings(have, want, false), want), [
      {op: 'remove', path: '/accessLogSettings'},
      {op: 'replace', path: '/*/*/throttling/rateLimit', value: '10000'},
      {op: 'remove', path: '/variables/b~1c'},
    ])
  })

  test('API Gateway defaults read as unset, so a fresh stage matches an empty config', () => {
    const fresh = restStageSettings({
      methodSettings: {
        '*/*': {
          throttlingRateLimit: 10000,
          throttlingBurstLimit: 5000,
          metricsEnabled: false,
          loggingLevel: 'OFF',
          cachingEnabled: false,
          cacheTtlInSeconds: 300,
        },
      },
    })
    assert.deepEqual(compareSettings(fresh, desiredSettings({}, 'rest', undefined), false), [])
  })

  const formats = [
    [
      'json',
      'rest',
      /^\{"requestId":"\$context\.requestId","ip":"\$context\.identity\.sourceIp",.*"resourcePath":"\$context\.resourcePath".*"integrationLatency":"\$context\.integrationLatency"\}$/,
    ],
    ['json', 'http', /"resourcePath":"\$context\.routeKey"/],
    ['clf', 'rest', /^\$context\.identity\.sourceIp .*\$context\.requestId$/],
    ['$context.requestId custom', 'rest', /^\$context\.requestId custom$/],
  ] as const
  for (const [format, type, expected] of formats) {
    test(`access-log format ${format} (${type})`, () => assert.match(accessLogFormat(format, type), expected))
  }

  test('the json format has every field of the default', () => {
    const parsed = JSON.parse(accessLogFormat(undefined, 'rest')) as Record<string, string>
    assert.deepEqual(Object.keys(parsed), [
      'requestId',
      'ip',
      'caller',
      'user',
      'requestTime',
      'httpMethod',
      'resourcePath',
      'status',
      'protocol',
      'responseLength',
      'integrationLatency',
    ])
  })
})

describe('HTTP access logs removed from apigw.yaml', () => {
  test('plan DeleteAccessLogSettings (v2 UpdateStage cannot unset them)', () => {
    // Given an HTTP stage writing access logs, and apigw.yaml without accessLogs
    const have = httpStageSettings({
      StageVariables: {a: '1'},
      AccessLogSettings: {DestinationArn: 'arn:aws:logs:us-east-1:1:log-group:/x', Format: '$context.requestId'},
    })
    const p = planDeployment(desired({type: 'http'}), running({stage: {deploymentId: 'd1', settings: have}}))
    // Then only the delete call is planned
    assert.deepEqual(
      p.steps.map((s) => [s.operation, s.input]),
      [['DeleteAccessLogSettings', {ApiId: 'api1', StageName: 'dev'}]],
    )
  })
})

test('an HTTP stage variable sent empty (how apigw removes one) reads as unset', () => {
  assert.deepEqual(httpStageSettings({StageVariables: {a: '1', gone: ''}}).variables, {a: '1'})
})

describe('planDeployment: documentation published with docs.publish', () => {
  const docs = {version: '1.0.0', hash: 'bbbbbbbbbbbb', parts: 3}
  const cases: Array<{name: string; actual: ActualState; calls: string[]; action: string}> = [
    {
      name: 'a new API: the version is made last, once the stage exists',
      actual: {usagePlans: []},
      calls: ['ImportRestApi', 'TagResource', 'CreateDeployment', 'CreateStage', 'CreateDocumentationVersion'],
      action: 'publish',
    },
    {
      name: 'the version exists and the stage publishes it: nothing to do',
      actual: running({documentation: {versions: ['0.9.0', '1.0.0'], stageVersion: '1.0.0'}}),
      calls: [],
      action: 'up-to-date',
    },
    {
      name: 'the version exists, the stage publishes another: the stage is pointed at it',
      actual: running({documentation: {versions: ['0.9.0', '1.0.0'], stageVersion: '0.9.0'}}),
      calls: ['UpdateStage'],
      action: 'point-stage',
    },
  ]
  for (const c of cases) {
    test(c.name, () => {
      // Given docs to publish and the API as it is, When the plan is made
      const plan = planDeployment(desired({documentation: docs}), c.actual)
      // Then the calls and the documentation action are these
      assert.deepEqual(ops(plan), c.calls)
      assert.equal(plan.documentation?.action, c.action)
      assert.equal(plan.upToDate, c.calls.length === 0)
    })
  }

  test('the version carries the parts hash in its description, and a promote publishes nothing', () => {
    const plan = planDeployment(desired({documentation: docs}), {usagePlans: []})
    const step = plan.steps.at(-1)
    assert.deepEqual(step?.input, {
      restApiId: '${restApiId}',
      documentationVersion: '1.0.0',
      stageName: 'dev',
      description: 'apigw: 3 documentation parts, sha256 bbbbbbbbbbbb',
    })
    const promoted = planDeployment(desired({documentation: docs, deploymentId: 'd2'}), running())
    assert.equal(promoted.documentation, undefined)
  })
})
