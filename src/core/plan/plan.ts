/**
 * planDeployment(desired, actual): what `deploy` will do, as the exact AWS calls in order. Pure: reads
 * only its arguments. The order is what makes a deploy safe: import, then a new deployment, and only
 * then the stage moves (in one UpdateStage together with its settings), then usage plans.
 */
import {diffSpecs} from '../diff/diff-specs.ts'
import {compareSettings, httpStageUpdate, restPatchOperations, restrictToHttp} from './settings.ts'
import type {
  ActualState,
  ActualUsagePlan,
  ApiSettings,
  DeploymentPlan,
  DesiredState,
  DesiredUsagePlan,
  PatchOperation,
  PlanStep,
  SettingChange,
} from './types.ts'

export const TAG_API = 'apigw:api'
export const TAG_USAGE_PLAN = 'apigw:usage-plan'
const REST_API_ID = '${restApiId}'
const DEPLOYMENT_ID = '${deploymentId}'

/** ARN used by TagResource for an API (https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html). */
export function apiArn(type: 'rest' | 'http', region: string, id: string): string {
  return `arn:aws:apigateway:${region}::/${type === 'rest' ? 'restapis' : 'apis'}/${id}`
}

function tagStep(desired: DesiredState, id: string, why: string): PlanStep {
  return desired.type === 'rest'
    ? {service: 'apigateway', operation: 'TagResource', input: {resourceArn: apiArn('rest', desired.region, id), tags: desired.tags}, why}
    : {service: 'apigatewayv2', operation: 'TagResource', input: {ResourceArn: apiArn('http', desired.region, id), Tags: desired.tags}, why}
}

/**
 * API-level differences between apigw.yaml and the API: the REST endpoint type (one type per API), and tags
 * apigw.yaml sets that the API lacks or carries with another value (tags set by others are left alone).
 */
export function compareApiSettings(
  type: 'rest' | 'http',
  desired: {endpointType?: string | undefined; tags: Record<string, string>},
  actual: ApiSettings,
): SettingChange[] {
  const out: SettingChange[] = []
  const types = actual.endpointTypes ?? []
  if (type === 'rest' && desired.endpointType && types.length > 0 && !(types.length === 1 && types[0] === desired.endpointType)) {
    out.push({setting: 'endpointType', from: types.join(','), to: desired.endpointType})
  }
  // Tags not read (undefined) are not compared.
  for (const [k, v] of Object.entries(desired.tags).sort(([a], [b]) => a.localeCompare(b))) {
    if (actual.tags && actual.tags[k] !== v) out.push({setting: `tags.${k}`, from: actual.tags[k] ?? null, to: v})
  }
  return out
}

export function planDeployment(desiredIn: DesiredState, actualIn: ActualState): DeploymentPlan {
  const desired = structuredClone(desiredIn)
  const actual = structuredClone(actualIn)
  const rest = desired.type === 'rest'
  const apiId = actual.api?.id
  const stage = actual.stage
  const want = rest ? desired.settings : restrictToHttp(desired.settings)
  const have = stage ? (rest ? stage.settings : restrictToHttp(stage.settings)) : undefined

  const promote = desired.deploymentId !== undefined
  let reason: DeploymentPlan['reason']
  if (promote) reason = 'promote'
  else if (!apiId) reason = 'api-missing'
  else if (!stage?.deploymentId) reason = 'stage-missing'
  else if (desired.force) reason = 'forced'
  else if (actual.deployedSpecHash === undefined) reason = 'not-recorded'
  else if (actual.deployedSpecHash !== desired.specHash) reason = 'spec-changed'
  else reason = 'settings-changed'
  const newDeployment = !promote && reason !== 'settings-changed'
  const movesStage = newDeployment || (promote && stage?.deploymentId !== desired.deploymentId)
  const deploymentRef = promote ? desired.deploymentId! : DEPLOYMENT_ID

  const settings: SettingChange[] = have ? compareSettings(have, want, desired.managesDescription) : []
  // HTTP autoDeploy (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html): an
  // auto-deploy stage gets its deployments from API Gateway after each change to the API. apigw imports, then
  // reads the deployment back and records the spec on it. Turning it on or off is a stage setting of its own.
  const auto = !rest && !promote && desired.autoDeploy === true
  const wasAuto = !rest && stage?.autoDeploy === true
  if (!rest && !promote && stage && auto !== wasAuto) settings.push({setting: 'autoDeploy', from: wasAuto, to: auto})
  const viaAuto = auto && (!stage || wasAuto)
  const steps: PlanStep[] = []
  const id = apiId ?? REST_API_ID
  const body = `<spec: ${desired.specBytes} bytes, sha256 ${desired.specHash}>`

  // API-level settings first: neither needs a new deployment, and a failure here changes nothing else.
  const apiChanges = apiId && actual.api?.tagged ? compareApiSettings(desired.type, desired, actual.api) : []
  const endpoint = apiChanges.find((c) => c.setting === 'endpointType')
  if (endpoint && apiId) {
    const from = actual.api?.endpointTypes?.[0] ?? ''
    steps.push({
      service: 'apigateway',
      operation: 'UpdateRestApi',
      input: {
        restApiId: apiId,
        patchOperations: [{op: 'replace', path: `/endpointConfiguration/types/${from}`, value: String(endpoint.to)}],
      },
      why: `apigw.yaml asks for endpointType ${String(endpoint.to)}; the API is ${String(endpoint.from)}`,
    })
  }
  const tagChanges = apiChanges.filter((c) => c.setting.startsWith('tags.'))
  if (tagChanges.length > 0 && apiId) {
    const changed = Object.fromEntries(tagChanges.map((c) => [c.setting.slice('tags.'.length), String(c.to)]))
    const why = `apigw.yaml sets tags the API lacks: ${Object.keys(changed).join(', ')}`
    steps.push(
      rest
        ? {service: 'apigateway', operation: 'TagResource', input: {resourceArn: apiArn('rest', desired.region, apiId), tags: changed}, why}
        : {
            service: 'apigatewayv2',
            operation: 'TagResource',
            input: {ResourceArn: apiArn('http', desired.region, apiId), Tags: changed},
            why,
          },
    )
  }

  if (newDeployment) {
    if (!apiId) {
      const why = `no API is tagged ${TAG_API}=${desired.api} or named ${desired.api}: create it from the spec`
      steps.push(
        rest
          ? {
              service: 'apigateway',
              operation: 'ImportRestApi',
              input: {
                body,
                failOnWarnings: desired.failOnWarnings,
                ...(desired.endpointType ? {parameters: {endpointConfigurationTypes: desired.endpointType}} : {}),
              },
              why,
            }
          : {service: 'apigatewayv2', operation: 'ImportApi', input: {Body: body, FailOnWarnings: desired.failOnWarnings}, why},
      )
      steps.push(tagStep(desired, id, 'tag the new API so apigw finds it again'))
    } else {
      if (!actual.api?.tagged) {
        steps.push(tagStep(desired, id, `the API was found by name; tag it ${TAG_API}=${desired.api}`))
      }
      const why = 'replace the API definition with the spec (the stage is not touched yet)'
      steps.push(
        rest
          ? {
              service: 'apigateway',
              operation: 'PutRestApi',
              input: {restApiId: id, mode: desired.mode, failOnWarnings: desired.failOnWarnings, body},
              why,
            }
          : {
              service: 'apigatewayv2',
              operation: 'ReimportApi',
              input: {ApiId: id, Body: body, FailOnWarnings: desired.failOnWarnings},
              why,
            },
      )
    }
    const why = 'freeze the imported API as a new deployment (no stage moves yet)'
    if (!viaAuto)
      steps.push(
        rest
          ? {service: 'apigateway', operation: 'CreateDeployment', input: {restApiId: id, description: desired.deploymentDescription}, why}
          : {service: 'apigatewayv2', operation: 'CreateDeployment', input: {ApiId: id, Description: desired.deploymentDescription}, why},
      )
  }

  // The access-log group is made before the stage points at it.
  const lg = desired.logGroup
  if (lg && desired.settings.accessLogs && !actual.logGroup) {
    steps.push({
      service: 'logs',
      operation: 'CreateLogGroup',
      input: {logGroupName: lg.name, tags: desired.tags},
      why: 'the stage writes access logs there',
    })
  }
  if (lg?.retentionDays !== undefined && actual.logGroup?.retentionDays !== lg.retentionDays) {
    steps.push({
      service: 'logs',
      operation: 'PutRetentionPolicy',
      input: {logGroupName: lg.name, retentionInDays: lg.retentionDays},
      why: `keep access logs ${lg.retentionDays} days`,
    })
  }

  if (!stage) {
    const why = `stage ${desired.stage} does not exist yet: create it on the ${promote ? 'promoted' : 'new'} deployment`
    steps.push(
      rest
        ? {
            service: 'apigateway',
            operation: 'CreateStage',
            input: {
              restApiId: id,
              stageName: desired.stage,
              deploymentId: deploymentRef,
              ...(desired.settings.description ? {description: desired.settings.description} : {}),
              variables: desired.settings.variables,
              tracingEnabled: desired.settings.tracing,
              ...(desired.settings.caching.cluster
                ? {cacheClusterEnabled: true, cacheClusterSize: desired.settings.caching.clusterSize}
                : {}),
              tags: desired.tags,
            },
            why,
          }
        : {
            service: 'apigatewayv2',
            operation: 'CreateStage',
            input: {
              ApiId: id,
              StageName: desired.stage,
              ...(viaAuto ? {AutoDeploy: true} : {DeploymentId: deploymentRef}),
              ...(desired.settings.description ? {Description: desired.settings.description} : {}),
              StageVariables: desired.settings.variables,
              ...httpStageUpdate(
                compareSettings(restrictToHttp(blankSettings()), want, false).filter((c) => !c.setting.startsWith('variables.')),
                want,
              ),
              Tags: desired.tags,
            },
            why,
          },
    )
    if (rest) {
      // CreateStage takes no method settings or access logs: the rest follows in one UpdateStage.
      const rest2 = compareSettings(blankSettings(), want, false).filter(
        (c) => !c.setting.startsWith('variables.') && c.setting !== 'tracing' && !c.setting.startsWith('caching.cluster'),
      )
      const ops = restPatchOperations(rest2, want)
      if (ops.length > 0)
        steps.push({
          service: 'apigateway',
          operation: 'UpdateStage',
          input: {restApiId: id, stageName: desired.stage, patchOperations: ops},
          why: 'apply the stage settings of apigw.yaml',
        })
    }
  } else if (movesStage || settings.length > 0) {
    if (rest) {
      const ops: PatchOperation[] = [
        ...(movesStage ? [{op: 'replace' as const, path: '/deploymentId', value: deploymentRef}] : []),
        ...restPatchOperations(settings, want),
      ]
      steps.push({
        service: 'apigateway',
        operation: 'UpdateStage',
        input: {restApiId: id, stageName: desired.stage, patchOperations: ops},
        why: movesStage ? 'point the stage at the new deployment and apply its settings, in one call' : 'apply the changed stage settings',
      })
    } else {
      if (wasAuto && !auto && !promote) {
        steps.push({
          service: 'apigatewayv2',
          operation: 'UpdateStage',
          input: {ApiId: id, StageName: desired.stage, AutoDeploy: false},
          why: 'apigw.yaml turns autoDeploy off: apigw deploys this stage itself again',
        })
      }
      const update = httpStageUpdate(settings, want)
      const sendsDeployment = movesStage && !viaAuto
      if (sendsDeployment || Object.keys(update).length > 0) {
        steps.push({
          service: 'apigatewayv2',
          operation: 'UpdateStage',
          input: {ApiId: id, StageName: desired.stage, ...(sendsDeployment ? {DeploymentId: deploymentRef} : {}), ...update},
          why: movesStage
            ? 'point the stage at the new deployment and apply its settings, in one call'
            : 'apply the changed stage settings',
        })
      }
      if (auto && !wasAuto) {
        steps.push({
          service: 'apigatewayv2',
          operation: 'UpdateStage',
          input: {ApiId: id, StageName: desired.stage, AutoDeploy: true},
          why: 'apigw.yaml turns autoDeploy on: API Gateway deploys this stage after each change from now on',
        })
      }
      // v2 UpdateStage cannot unset access logs: they have their own delete call.
      if (have?.accessLogs && !want.accessLogs) {
        steps.push({
          service: 'apigatewayv2',
          operation: 'DeleteAccessLogSettings',
          input: {ApiId: id, StageName: desired.stage},
          why: 'apigw.yaml has no accessLogs for this stage any more',
        })
      }
    }
  }

  if (auto && (newDeployment || !stage || !wasAuto)) {
    steps.push(
      {
        service: 'apigatewayv2',
        operation: 'GetStage',
        input: {ApiId: id, StageName: desired.stage},
        why: "read back the deployment the stage's auto-deploy made",
      },
      {
        service: 'apigatewayv2',
        operation: 'UpdateDeployment',
        input: {ApiId: id, DeploymentId: DEPLOYMENT_ID, Description: desired.deploymentDescription},
        why: 'record the spec on the automatic deployment (history, status and rollback read it)',
      },
    )
  }

  const usagePlans: DeploymentPlan['usagePlans'] = []
  if (rest) {
    for (const want of [...desired.usagePlans].sort((a, b) => a.key.localeCompare(b.key))) {
      const have = actual.usagePlans.find((p) => p.key === want.key)
      const plan = planUsagePlan(want, have, id, desired.stage, desired.tags)
      if (plan) {
        usagePlans.push({name: want.name, action: plan.action, changes: plan.changes})
        steps.push(plan.step)
      }
    }
    const configured = new Set(desired.configuredUsagePlans ?? desired.usagePlans.map((p) => p.key))
    for (const have of [...actual.usagePlans].sort((a, b) => a.key.localeCompare(b.key))) {
      if (desired.usagePlans.some((p) => p.key === have.key)) continue
      const mine = have.apiStages.filter((s) => s.apiId === id)
      if (!configured.has(have.key)) {
        if (!have.tagged) continue
        // Gone from apigw.yaml: reported on every plan, deleted only when asked (it may hold customers' keys).
        if (!desired.prune) {
          usagePlans.push({name: have.name, action: 'orphan', changes: ['not in apigw.yaml any more: `deploy --prune` deletes it']})
          continue
        }
        const others = have.apiStages.filter((s) => s.apiId !== id)
        const ops = mine.map((s): PatchOperation => ({op: 'remove', path: '/apiStages', value: `${s.apiId}:${s.stage}`}))
        if (ops.length > 0)
          steps.push({
            service: 'apigateway',
            operation: 'UpdateUsagePlan',
            input: {usagePlanId: have.id, patchOperations: ops},
            why: `unlink usage plan ${have.key}, which apigw.yaml no longer declares, before deleting it`,
          })
        if (others.length === 0) {
          steps.push({
            service: 'apigateway',
            operation: 'DeleteUsagePlan',
            input: {usagePlanId: have.id},
            why: `--prune: usage plan ${have.key} is not in apigw.yaml`,
          })
          usagePlans.push({name: have.name, action: 'delete', changes: ['deleted (--prune)']})
        } else {
          usagePlans.push({
            name: have.name,
            action: 'unlink',
            changes: [`unlinked; kept because other APIs use it (${others.map((s) => `${s.apiId}:${s.stage}`).join(', ')})`],
          })
        }
        continue
      }
      // Still declared, but no longer for this stage: unlink the stage.
      if (mine.some((s) => s.stage === desired.stage)) {
        steps.push({
          service: 'apigateway',
          operation: 'UpdateUsagePlan',
          input: {usagePlanId: have.id, patchOperations: [{op: 'remove', path: '/apiStages', value: `${id}:${desired.stage}`}]},
          why: `apigw.yaml no longer lists stage ${desired.stage} for usage plan ${have.key}`,
        })
        usagePlans.push({name: have.name, action: 'unlink', changes: [`unlink ${desired.stage}`]})
      }
    }
  }

  const documentation = rest && !promote ? planDocumentation(desired, actual, id, steps) : undefined
  const operations = operationChanges(desired, actual, newDeployment)
  const upToDate = steps.length === 0
  return {
    api: desired.api,
    type: desired.type,
    stage: desired.stage,
    apiId,
    upToDate,
    newDeployment,
    reason: upToDate ? 'up-to-date' : reason,
    specHash: {repo: desired.specHash, stage: actual.deployedSpecHash},
    operations,
    settings,
    apiChanges,
    usagePlans,
    ...(documentation ? {documentation} : {}),
    steps,
  }
}

/** What a documentation version's description says, so a later deploy can tell whether it carries the same parts. */
export function documentationDescription(docs: {hash: string; parts: number}): string {
  return `apigw: ${docs.parts} documentation parts, sha256 ${docs.hash}`
}

/**
 * Publish the spec's documentation: a new version made from the parts the import just wrote (after the stage
 * exists, so it can point at it), or the stage pointed at the version that already carries them. Versions are
 * immutable on API Gateway; one with the same name and other parts is refused before the plan (gather).
 */
function planDocumentation(desired: DesiredState, actual: ActualState, id: string, steps: PlanStep[]): DeploymentPlan['documentation'] {
  const docs = desired.documentation
  if (!docs) return undefined
  const base = {version: docs.version, parts: docs.parts}
  if (!actual.documentation?.versions.includes(docs.version)) {
    steps.push({
      service: 'apigateway',
      operation: 'CreateDocumentationVersion',
      input: {restApiId: id, documentationVersion: docs.version, stageName: desired.stage, description: documentationDescription(docs)},
      why: `docs.publish: the spec's ${docs.parts} documentation parts become version ${docs.version}, published by stage ${desired.stage}`,
    })
    return {...base, action: 'publish'}
  }
  if (actual.documentation.stageVersion !== docs.version) {
    steps.push({
      service: 'apigateway',
      operation: 'UpdateStage',
      input: {
        restApiId: id,
        stageName: desired.stage,
        patchOperations: [{op: 'replace', path: '/documentationVersion', value: docs.version}],
      },
      why: `docs.publish: documentation version ${docs.version} exists with these parts; stage ${desired.stage} publishes it`,
    })
    return {...base, action: 'point-stage'}
  }
  return {...base, action: 'up-to-date'}
}

function blankSettings() {
  return {
    variables: {},
    throttling: {},
    caching: {enabled: false, ttlSeconds: 300, encrypted: false, cluster: false},
    metrics: false,
    executionLogs: {level: 'OFF', dataTrace: false},
    tracing: false,
  }
}

function operationChanges(desired: DesiredState, actual: ActualState, newDeployment: boolean): DeploymentPlan['operations'] {
  const none = {added: [], removed: [], changed: [], basis: 'none' as const}
  if (!newDeployment || desired.deploymentId !== undefined) return none
  if (actual.deployedSpecHash !== undefined && actual.deployedSpecHash === desired.specHash) return none
  const basis = actual.deployedSpec === undefined ? 'none' : (actual.deployedSpecSource ?? 'export')
  const base = actual.deployedSpec ?? {openapi: '3.0.1', info: {title: 'none', version: '0'}, paths: {}}
  const diff = diffSpecs(base, desired.spec)
  const names = (list: Array<{operation: string}>) => list.map((o) => o.operation).sort()
  // An export differs from the source in form (ids, schemas, extensions): only its operation list is trusted.
  return {
    added: names(diff.operations.added),
    removed: names(diff.operations.removed),
    changed: basis === 'export' ? [] : names(diff.operations.modified),
    basis,
  }
}

function planUsagePlan(
  want: DesiredUsagePlan,
  have: ActualUsagePlan | undefined,
  apiId: string,
  stage: string,
  tags: Record<string, string>,
): {action: 'create' | 'update' | 'link'; changes: string[]; step: PlanStep} | undefined {
  if (!have) {
    return {
      action: 'create',
      changes: [`link ${stage}`],
      step: {
        service: 'apigateway',
        operation: 'CreateUsagePlan',
        input: {
          name: want.name,
          ...(want.description ? {description: want.description} : {}),
          apiStages: [{apiId, stage, ...(want.methods && Object.keys(want.methods).length > 0 ? {throttle: want.methods} : {})}],
          ...(want.throttle ? {throttle: want.throttle} : {}),
          ...(want.quota ? {quota: want.quota} : {}),
          tags: {...tags, [TAG_USAGE_PLAN]: want.key},
        },
        why: `usage plan ${want.key} of apigw.yaml does not exist yet`,
      },
    }
  }
  const ops: PatchOperation[] = []
  const changes: string[] = []
  const linked = have.apiStages.some((s) => s.apiId === apiId && s.stage === stage)
  if (!linked) {
    ops.push({op: 'add', path: '/apiStages', value: `${apiId}:${stage}`})
    changes.push(`link ${stage}`)
  }
  if ((want.description ?? '') !== (have.description ?? '')) {
    ops.push({op: 'replace', path: '/description', value: want.description ?? ''})
    changes.push('description')
  }
  for (const k of ['rateLimit', 'burstLimit'] as const) {
    const to = want.throttle?.[k]
    const from = have.throttle?.[k]
    if (to !== from) {
      ops.push(to === undefined ? {op: 'remove', path: `/throttle/${k}`} : {op: 'replace', path: `/throttle/${k}`, value: String(to)})
      changes.push(`throttle.${k}: ${from ?? 'none'} → ${to ?? 'none'}`)
    }
  }
  if (!want.quota && have.quota) {
    ops.push({op: 'remove', path: '/quota'})
    changes.push('quota removed')
  } else if (want.quota) {
    for (const k of ['limit', 'period', 'offset'] as const) {
      const to = want.quota[k] ?? (k === 'offset' ? 0 : undefined)
      const from = have.quota?.[k] ?? (k === 'offset' ? 0 : undefined)
      if (to !== from) {
        ops.push({op: 'replace', path: `/quota/${k}`, value: String(to)})
        changes.push(`quota.${k}: ${from ?? 'none'} → ${to}`)
      }
    }
  }
  methodThrottleOps(
    want.methods ?? {},
    have.apiStages.find((s) => s.apiId === apiId && s.stage === stage)?.throttle ?? {},
    `${apiId}:${stage}`,
    ops,
    changes,
  )
  if (ops.length === 0) return undefined
  return {
    action: linked ? 'update' : 'link',
    changes,
    step: {
      service: 'apigateway',
      operation: 'UpdateUsagePlan',
      input: {usagePlanId: have.id, patchOperations: ops},
      why: `bring usage plan ${want.key} in line with apigw.yaml`,
    },
  }
}

/**
 * Patch operations that bring a stage's per-method throttles in line: `replace` each changed limit and
 * `remove` each dropped method, at /apiStages/{apiId}:{stage}/throttle/{resourcePath}/{httpMethod}, with
 * `/` in the resource path written `~1` (UpdateUsagePlan's path syntax).
 */
function methodThrottleOps(
  want: Record<string, {rateLimit?: number | undefined; burstLimit?: number | undefined}>,
  have: Record<string, {rateLimit?: number | undefined; burstLimit?: number | undefined}>,
  apiStage: string,
  ops: Array<{op: string; path: string; value?: string}>,
  changes: string[],
): void {
  const throttlePath = (key: string) => {
    const at = key.lastIndexOf('/')
    return `${key.slice(0, at).replaceAll('~', '~0').replaceAll('/', '~1')}/${key.slice(at + 1)}`
  }
  for (const key of Object.keys(want).sort()) {
    for (const k of ['rateLimit', 'burstLimit'] as const) {
      const to = want[key]?.[k]
      const from = have[key]?.[k]
      if (to === undefined || to === from) continue
      ops.push({op: 'replace', path: `/apiStages/${apiStage}/throttle/${throttlePath(key)}/${k}`, value: String(to)})
      changes.push(`throttle ${key}.${k}: ${from ?? 'none'} → ${to}`)
    }
  }
  for (const key of Object.keys(have).sort()) {
    if (key in want) continue
    ops.push({op: 'remove', path: `/apiStages/${apiStage}/throttle/${throttlePath(key)}`})
    changes.push(`throttle ${key} removed`)
  }
}
