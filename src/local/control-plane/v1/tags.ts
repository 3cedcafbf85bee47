/**
 * API Gateway v1 tags: TagResource (`PUT /tags/{resource_arn}` → 204), UntagResource (`DELETE
 * /tags/{resource_arn}?tagKeys=` → 204), GetTags (`GET /tags/{resource_arn}` → `{tags}`), on the ARNs of REST
 * APIs, stages, API keys, usage plans, client certificates and VPC links:
 * `arn:aws:apigateway:{region}::/restapis/{id}[/stages/{name}]`, `::/apikeys/{id}`, `::/usageplans/{id}`,
 * `::/clientcertificates/{id}`, `::/vpclinks/{id}`. Tags live inside the tagged document (model.ts).
 * https://docs.aws.amazon.com/apigateway/latest/api/API_TagResource.html
 */
import {AwsError, badRequest, notFound} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {OperationContext, OperationRequest, OperationResult} from '../../types.ts'
import {childId, KIND, requireRestApi} from '../model.ts'
import {requireApiKey} from './api-keys.ts'
import {readStringMap} from './common.ts'
import {requireUsagePlan} from './usage-plans.ts'
import {requireClientCertificate} from './client-certificates.ts'
import {requireVpcLink} from './vpc-links.ts'

/** A document that can carry tags, located in the store. */
export type TaggedTarget = {kind: string; id: string; parent?: string; doc: {tags?: Record<string, string>}}

/** Tag quotas (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html): 50 tags per resource. */
const MAX_TAGS = 50
const MAX_KEY = 128
const MAX_VALUE = 256

/** Find the tagged document an API Gateway v1 ARN names, with the NotFound each resource answers. */
export function resolveTaggedResource(store: Store, arn: string): TaggedTarget {
  // The message AWS gives other malformed ARNs (recording 19).
  const m = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]*::(\/.*)$/.exec(arn)
  if (!m) throw badRequest('Invalid ARN specified in the request')
  const path = m[1]!
  let p = /^\/restapis\/([^/]+)$/.exec(path)
  if (p) return {kind: KIND.restApi, id: p[1]!, doc: requireRestApi(store, p[1]!)}
  p = /^\/restapis\/([^/]+)\/stages\/([^/]+)$/.exec(path)
  if (p) {
    requireRestApi(store, p[1]!)
    const id = childId(p[1]!, p[2]!)
    const stage = store.get<{tags?: Record<string, string>}>(KIND.stage, id)
    // Message as moto answers GetStage for an unknown stage (not in the recordings).
    if (!stage) throw notFound('Invalid Stage identifier specified')
    return {kind: KIND.stage, id, parent: p[1]!, doc: stage}
  }
  p = /^\/apikeys\/([^/]+)$/.exec(path)
  if (p) return {kind: KIND.apiKey, id: p[1]!, doc: requireApiKey(store, p[1]!)}
  p = /^\/usageplans\/([^/]+)$/.exec(path)
  if (p) return {kind: KIND.usagePlan, id: p[1]!, doc: requireUsagePlan(store, p[1]!)}
  p = /^\/clientcertificates\/([^/]+)$/.exec(path)
  if (p) return {kind: KIND.clientCertificate, id: p[1]!, doc: requireClientCertificate(store, p[1]!)}
  p = /^\/vpclinks\/([^/]+)$/.exec(path)
  if (p) return {kind: KIND.vpcLink, id: p[1]!, doc: requireVpcLink(store, p[1]!)}
  throw notFound(`Invalid resource identifier specified: ${path} cannot be tagged in the apigw local emulator`)
}

function save(store: Store, target: TaggedTarget): void {
  store.put(target.kind, target.id, target.doc, target.parent)
}

/** TagResource: merge tags into the resource's `tags`. */
export function tagResource(req: OperationRequest, ctx: OperationContext): OperationResult {
  const tags = readStringMap(req.json().tags, 'tags')
  if (!tags) throw badRequest('Tags must be specified')
  const target = resolveTaggedResource(ctx.store, req.params.resource_arn ?? '')
  for (const [k, v] of Object.entries(tags)) {
    if (k.length === 0 || k.length > MAX_KEY) throw badRequest(`Invalid tag key: ${k}`)
    if (v.length > MAX_VALUE) throw badRequest(`Invalid tag value for key: ${k}`)
    if (k.toLowerCase().startsWith('aws:')) throw badRequest('Tag keys cannot start with the reserved prefix aws:')
  }
  const merged = {...target.doc.tags, ...tags}
  if (Object.keys(merged).length > MAX_TAGS) {
    throw new AwsError('BadRequestException', `A resource can have at most ${MAX_TAGS} tags`, 400)
  }
  target.doc.tags = merged
  save(ctx.store, target)
  return {status: 204}
}

/** UntagResource: remove `tagKeys` (a repeated query parameter); unknown keys are ignored. */
export function untagResource(req: OperationRequest, ctx: OperationContext): OperationResult {
  const target = resolveTaggedResource(ctx.store, req.params.resource_arn ?? '')
  const keys = req.queryAll.getAll('tagKeys').flatMap((k) => k.split(','))
  if (target.doc.tags) {
    for (const k of keys) delete target.doc.tags[k]
    save(ctx.store, target)
  }
  return {status: 204}
}

/** GetTags: `{tags}` (an empty map when the resource has none). */
export function getTags(req: OperationRequest, ctx: OperationContext): OperationResult {
  const target = resolveTaggedResource(ctx.store, req.params.resource_arn ?? '')
  return {status: 200, body: {tags: target.doc.tags ?? {}}}
}
