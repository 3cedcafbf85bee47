/**
 * API Gateway v2 custom domain names (CreateDomainName with DomainNameConfigurations, Get/Update/Delete,
 * GetDomainNames), API mappings (Create/Get/Update/Delete/GetApiMappings, REST, HTTP and WebSocket APIs) and
 * routing rules (Create/Get/Put/Delete/ListRoutingRules). The same documents as v1's (../domain-names.ts): a
 * domain made through v1 is listed here, and a base path mapping is an API mapping.
 * https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/domainnames.html
 * https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/domainnames-domainname-routingrules.html
 */
import {AwsError, badRequest} from '../../protocol/aws-error.ts'
import type {Handler, OperationContext, OperationRequest, RouteDef} from '../../types.ts'
import {
  checkCertificate,
  checkMappingConflict,
  DOMAIN_KIND,
  type DomainDoc,
  deleteDomain,
  deleteMapping,
  domainArn,
  domainKey,
  findDomain,
  listDomains,
  listMappings,
  listRoutingRules,
  type MappingDoc,
  newTarget,
  normaliseBasePath,
  type RoutingMode,
  type RoutingRuleCondition,
  type RoutingRuleDoc,
  requireDomain,
  saveDomain,
  saveMapping,
} from '../domain-names.ts'
import {childId, KIND} from '../model.ts'
import {type ApiDoc, iso, noContent, notFoundV2, obj, ok, page, str, strMap} from './common.ts'

const V2_ROUTING: Record<string, RoutingMode> = {
  API_MAPPING_ONLY: 'MAPPINGS',
  ROUTING_RULE_ONLY: 'RULES',
  ROUTING_RULE_THEN_API_MAPPING: 'RULES_THEN_MAPPINGS',
}
const V2_ROUTING_OUT: Record<RoutingMode, string> = {
  MAPPINGS: 'API_MAPPING_ONLY',
  RULES: 'ROUTING_RULE_ONLY',
  RULES_THEN_MAPPINGS: 'ROUTING_RULE_THEN_API_MAPPING',
}

/** The v2 wire shape of a domain name. */
export function domainOutV2(d: DomainDoc): Record<string, unknown> {
  const certificateArn = d.endpointType === 'EDGE' ? d.certificateArn : d.regionalCertificateArn
  const certificateName = d.endpointType === 'EDGE' ? d.certificateName : d.regionalCertificateName
  const config: Record<string, unknown> = {
    apiGatewayDomainName: d.targetDomainName,
    ...(certificateArn ? {certificateArn} : {}),
    ...(certificateName ? {certificateName} : {}),
    certificateUploadDate: iso(new Date(d.certificateUploadDate)),
    domainNameStatus: 'AVAILABLE',
    endpointType: d.endpointType,
    hostedZoneId: d.hostedZoneId,
    ipAddressType: d.ipAddressType,
    securityPolicy: d.securityPolicy,
    ...(d.ownershipVerificationCertificateArn ? {ownershipVerificationCertificateArn: d.ownershipVerificationCertificateArn} : {}),
  }
  return {
    apiMappingSelectionExpression: '$request.basepath',
    domainName: d.domainName,
    domainNameArn: domainArn(d),
    domainNameConfigurations: [config],
    ...(d.mutualTls ? {mutualTlsAuthentication: {...d.mutualTls, truststoreWarnings: []}} : {}),
    routingMode: V2_ROUTING_OUT[d.routingMode],
    tags: d.tags,
  }
}

type Config = {
  endpointType: 'REGIONAL' | 'EDGE'
  certificateArn?: string
  certificateName?: string
  securityPolicy: string
  ipAddressType: string
}

function readConfigurations(body: Record<string, unknown>, region: string): Config | undefined {
  const raw = body.domainNameConfigurations
  if (raw === undefined || raw === null) return undefined
  if (!Array.isArray(raw)) throw badRequest('Invalid value for domainNameConfigurations: expected a list')
  // AWS takes exactly one configuration per domain name.
  if (raw.length !== 1) throw badRequest('Only one domain name configuration is supported.')
  const c = raw[0] as Record<string, unknown>
  const endpointType = str(c, 'endpointType') ?? 'REGIONAL'
  if (endpointType !== 'REGIONAL' && endpointType !== 'EDGE') throw badRequest(`Invalid endpoint type: ${endpointType}`)
  const securityPolicy = str(c, 'securityPolicy') ?? 'TLS_1_2'
  if (securityPolicy !== 'TLS_1_0' && securityPolicy !== 'TLS_1_2') throw badRequest(`Invalid security policy: ${securityPolicy}`)
  const ipAddressType = str(c, 'ipAddressType') ?? 'ipv4'
  if (ipAddressType !== 'ipv4' && ipAddressType !== 'dualstack') throw badRequest(`Invalid ipAddressType: ${ipAddressType}`)
  const certificateArn = str(c, 'certificateArn')
  if (!certificateArn) throw badRequest('A certificate ARN is required for the domain name configuration.')
  checkCertificate(certificateArn, endpointType === 'EDGE' ? 'us-east-1' : region)
  const certificateName = str(c, 'certificateName')
  return {endpointType, certificateArn, ...(certificateName ? {certificateName} : {}), securityPolicy, ipAddressType}
}

function readRouting(body: Record<string, unknown>): RoutingMode | undefined {
  const raw = str(body, 'routingMode')
  if (raw === undefined) return undefined
  const mode = V2_ROUTING[raw]
  if (!mode) throw badRequest(`Invalid routingMode: ${raw}. Must be one of ${Object.keys(V2_ROUTING).join(', ')}`)
  return mode
}

function readMtls(body: Record<string, unknown>): DomainDoc['mutualTls'] {
  const m = obj(body, 'mutualTlsAuthentication')
  if (!m) return undefined
  const uri = str(m, 'truststoreUri')
  if (!uri) return undefined
  if (!/^s3:\/\/[^/]+\/.+/.test(uri)) throw badRequest(`Invalid truststore URI: ${uri}`)
  const version = str(m, 'truststoreVersion')
  return {truststoreUri: uri, ...(version ? {truststoreVersion: version} : {})}
}

const requireDomainV2 = (ctx: OperationContext, name: string): DomainDoc => requireDomain(ctx.store, name, undefined, true)

export const createDomainNameV2: Handler = (req, ctx) => {
  const body = req.json()
  const name = str(body, 'domainName')
  if (!name || !/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(name)) {
    throw badRequest('Invalid domain name identifier specified')
  }
  const domainName = name.toLowerCase()
  const config = readConfigurations(body, ctx.region)
  if (!config) throw badRequest('A domain name configuration is required.')
  if (findDomain(ctx.store, domainName)) throw badRequest('The domain name you provided already exists.')
  const mutualTls = readMtls(body)
  if (mutualTls && config.endpointType === 'EDGE') throw badRequest('Mutual TLS is only supported for REGIONAL domain names.')
  const edge = config.endpointType === 'EDGE'
  const doc: DomainDoc = {
    key: domainKey(domainName),
    domainName,
    endpointType: config.endpointType,
    ipAddressType: config.ipAddressType,
    region: ctx.region,
    accountId: ctx.accountId,
    ...(edge ? {certificateArn: config.certificateArn!} : {regionalCertificateArn: config.certificateArn!}),
    ...(config.certificateName
      ? edge
        ? {certificateName: config.certificateName}
        : {regionalCertificateName: config.certificateName}
      : {}),
    certificateUploadDate: ctx.now().toISOString(),
    ...newTarget(config.endpointType, ctx.region, ctx.newId),
    securityPolicy: config.securityPolicy,
    routingMode: readRouting(body) ?? 'MAPPINGS',
    ...(mutualTls ? {mutualTls} : {}),
    tags: strMap(body, 'tags') ?? {},
  }
  saveDomain(ctx.store, doc)
  return ok(domainOutV2(doc), 201)
}

export const getDomainNameV2: Handler = (req, ctx) => ok(domainOutV2(requireDomainV2(ctx, req.params.domainName ?? '')))

export const getDomainNamesV2: Handler = (req, ctx) =>
  page(
    req,
    listDomains(ctx.store)
      .filter((d) => d.endpointType !== 'PRIVATE')
      .map(domainOutV2),
  )

export const updateDomainNameV2: Handler = (req, ctx) => {
  const doc = requireDomainV2(ctx, req.params.domainName ?? '')
  const body = req.json()
  const config = readConfigurations(body, doc.region)
  if (config) {
    if (config.endpointType === 'EDGE' && doc.endpointType !== 'EDGE') throw badRequest('Cannot update a REGIONAL domain name to EDGE.')
    if (config.endpointType === 'REGIONAL') {
      doc.regionalCertificateArn = config.certificateArn!
      if (config.certificateName) doc.regionalCertificateName = config.certificateName
      if (doc.endpointType === 'EDGE') Object.assign(doc, newTarget('REGIONAL', doc.region, ctx.newId))
    } else {
      doc.certificateArn = config.certificateArn!
      if (config.certificateName) doc.certificateName = config.certificateName
    }
    doc.endpointType = config.endpointType
    doc.securityPolicy = config.securityPolicy
    doc.ipAddressType = config.ipAddressType
    doc.certificateUploadDate = ctx.now().toISOString()
  }
  const mutualTls = readMtls(body)
  if (mutualTls) doc.mutualTls = mutualTls
  const routing = readRouting(body)
  if (routing) doc.routingMode = routing
  saveDomain(ctx.store, doc)
  return ok(domainOutV2(doc))
}

export const deleteDomainNameV2: Handler = (req, ctx) => {
  deleteDomain(ctx.store, requireDomainV2(ctx, req.params.domainName ?? ''))
  return noContent()
}

// API mappings.

const mappingOutV2 = (m: MappingDoc): Record<string, unknown> => ({
  apiId: m.apiId,
  apiMappingId: m.apiMappingId,
  apiMappingKey: m.basePath,
  ...(m.stage !== undefined ? {stage: m.stage} : {}),
})

type Target = {kind: 'REST' | 'HTTP' | 'WEBSOCKET'}

/** The API (REST, HTTP or WebSocket) and stage an API mapping names; both must exist. */
function checkApiTarget(ctx: OperationContext, apiId: string, stage: string): Target {
  const v2 = ctx.store.get<ApiDoc>(KIND.v2Api, apiId)
  if (v2) {
    if (!ctx.store.get(KIND.v2Stage, childId(apiId, stage))) throw notFoundV2(`Invalid stage identifier specified ${stage}`, 'Stage')
    return {kind: v2.protocolType}
  }
  if (ctx.store.get(KIND.restApi, apiId)) {
    if (!ctx.store.get(KIND.stage, childId(apiId, stage))) throw notFoundV2(`Invalid stage identifier specified ${stage}`, 'Stage')
    return {kind: 'REST'}
  }
  throw notFoundV2(`Invalid API identifier specified ${ctx.accountId}:${apiId}`, 'Api')
}

function kindOf(ctx: OperationContext, apiId: string): Target['kind'] | undefined {
  const v2 = ctx.store.get<ApiDoc>(KIND.v2Api, apiId)
  if (v2) return v2.protocolType
  return ctx.store.get(KIND.restApi, apiId) ? 'REST' : undefined
}

/**
 * What AWS allows on one domain name: HTTP APIs only on REGIONAL domain names with TLS 1.2, and a WebSocket API
 * never next to a REST or HTTP API.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-custom-domain-names.html
 */
function checkMix(ctx: OperationContext, domain: DomainDoc, target: Target, mappings: readonly MappingDoc[], basePath: string): void {
  if (target.kind !== 'REST' && domain.endpointType !== 'REGIONAL') {
    throw badRequest(`${target.kind === 'HTTP' ? 'HTTP' : 'WebSocket'} APIs can only be mapped to REGIONAL domain names.`)
  }
  if (target.kind !== 'REST' && domain.securityPolicy !== 'TLS_1_2') {
    throw badRequest(`${target.kind === 'HTTP' ? 'HTTP' : 'WebSocket'} APIs require the TLS_1_2 security policy.`)
  }
  if (target.kind !== 'REST' && basePath.includes('/')) throw badRequest('Multi-level base paths are only supported for REST APIs.')
  const kinds = new Set(mappings.map((m) => kindOf(ctx, m.apiId)).filter((k) => k !== undefined))
  const ws = target.kind === 'WEBSOCKET'
  if ((ws && [...kinds].some((k) => k !== 'WEBSOCKET')) || (!ws && kinds.has('WEBSOCKET'))) {
    throw badRequest('A WebSocket API cannot be mapped to the same domain name as a REST API or an HTTP API.')
  }
}

export const createApiMapping: Handler = (req, ctx) => {
  const domain = requireDomainV2(ctx, req.params.domainName ?? '')
  const body = req.json()
  const apiId = str(body, 'apiId')
  const stage = str(body, 'stage')
  if (!apiId) throw badRequest('apiId is required')
  if (!stage) throw badRequest('stage is required')
  const target = checkApiTarget(ctx, apiId, stage)
  const basePath = normaliseBasePath(str(body, 'apiMappingKey') ?? '')
  const mappings = listMappings(ctx.store, domain.key)
  checkMix(ctx, domain, target, mappings, basePath)
  checkMappingConflict(mappings, basePath)
  const m: MappingDoc = {apiMappingId: ctx.newId(6), domainKey: domain.key, basePath, apiId, stage}
  saveMapping(ctx.store, m)
  return ok(mappingOutV2(m), 201)
}

function requireMapping(ctx: OperationContext, domain: DomainDoc, id: string): MappingDoc {
  const m = listMappings(ctx.store, domain.key).find((x) => x.apiMappingId === id)
  if (!m) throw notFoundV2(`Invalid API mapping identifier specified ${id}`, 'ApiMapping')
  return m
}

export const getApiMapping: Handler = (req, ctx) => {
  const domain = requireDomainV2(ctx, req.params.domainName ?? '')
  return ok(mappingOutV2(requireMapping(ctx, domain, req.params.apiMappingId ?? '')))
}

export const getApiMappings: Handler = (req, ctx) => {
  const domain = requireDomainV2(ctx, req.params.domainName ?? '')
  return page(req, listMappings(ctx.store, domain.key).map(mappingOutV2))
}

export const updateApiMapping: Handler = (req, ctx) => {
  const domain = requireDomainV2(ctx, req.params.domainName ?? '')
  const m = requireMapping(ctx, domain, req.params.apiMappingId ?? '')
  const body = req.json()
  const apiId = str(body, 'apiId')
  if (!apiId) throw badRequest('apiId is required')
  const next: MappingDoc = {...m, apiId}
  const stage = str(body, 'stage')
  if (stage !== undefined) next.stage = stage
  const key = str(body, 'apiMappingKey')
  if (key !== undefined) next.basePath = normaliseBasePath(key)
  if (next.stage === undefined) throw badRequest('stage is required')
  const target = checkApiTarget(ctx, next.apiId, next.stage)
  const others = listMappings(ctx.store, domain.key).filter((x) => x.apiMappingId !== m.apiMappingId)
  checkMix(ctx, domain, target, others, next.basePath)
  checkMappingConflict(others, next.basePath)
  saveMapping(ctx.store, next)
  return ok(mappingOutV2(next))
}

export const deleteApiMapping: Handler = (req, ctx) => {
  const domain = requireDomainV2(ctx, req.params.domainName ?? '')
  deleteMapping(ctx.store, requireMapping(ctx, domain, req.params.apiMappingId ?? ''))
  return noContent()
}

// Routing rules: conditions on base paths and headers, one action that invokes a REST API stage.

const MAX_PRIORITY = 1_000_000

function readRule(req: OperationRequest, ctx: OperationContext): Omit<RoutingRuleDoc, 'routingRuleId' | 'routingRuleArn'> {
  const body = req.json()
  const priority = body.priority
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > MAX_PRIORITY) {
    throw badRequest(`Invalid priority: ${String(priority)}. The priority must be between 1 and ${MAX_PRIORITY}.`)
  }
  const actionsRaw = body.actions
  if (!Array.isArray(actionsRaw) || actionsRaw.length !== 1) throw badRequest('A routing rule must have exactly one action.')
  const invoke = (actionsRaw[0] as {invokeApi?: Record<string, unknown>}).invokeApi
  if (!invoke) throw badRequest('A routing rule action must be invokeApi.')
  const apiId = str(invoke, 'apiId')
  const stage = str(invoke, 'stage')
  if (!apiId || !stage) throw badRequest('invokeApi requires apiId and stage.')
  const target = checkApiTarget(ctx, apiId, stage)
  if (target.kind !== 'REST') throw badRequest('Routing rules can only invoke REST APIs.')
  const strip = invoke.stripBasePath
  if (strip !== undefined && typeof strip !== 'boolean') throw badRequest('Invalid value for stripBasePath: expected a boolean')
  const conditionsRaw = body.conditions
  if (!Array.isArray(conditionsRaw)) throw badRequest('conditions is required')
  const conditions: RoutingRuleCondition[] = []
  let basePathConditions = 0
  let headerConditions = 0
  for (const c of conditionsRaw as Array<Record<string, unknown>>) {
    const cond: RoutingRuleCondition = {}
    const bp = obj(c, 'matchBasePaths')
    if (bp) {
      const anyOf = bp.anyOf
      if (!Array.isArray(anyOf) || anyOf.length !== 1 || typeof anyOf[0] !== 'string') {
        throw badRequest('matchBasePaths.anyOf must hold exactly one base path.')
      }
      cond.matchBasePaths = {anyOf: [normaliseBasePath(anyOf[0])]}
      basePathConditions++
    }
    const mh = obj(c, 'matchHeaders')
    if (mh) {
      const anyOf = mh.anyOf
      if (!Array.isArray(anyOf) || anyOf.length !== 1) throw badRequest('matchHeaders.anyOf must hold exactly one header.')
      const h = anyOf[0] as Record<string, unknown>
      const header = str(h, 'header')
      const valueGlob = str(h, 'valueGlob')
      if (!header || !valueGlob) throw badRequest('A header condition requires header and valueGlob.')
      cond.matchHeaders = {anyOf: [{header, valueGlob}]}
      headerConditions++
    }
    if (!cond.matchBasePaths && !cond.matchHeaders) throw badRequest('A condition must have matchBasePaths or matchHeaders.')
    conditions.push(cond)
  }
  // The documented limits: at most one base path condition and two header conditions per rule.
  if (basePathConditions > 1) throw badRequest('A routing rule can have at most one matchBasePaths condition.')
  if (headerConditions > 2) throw badRequest('A routing rule can have at most two matchHeaders conditions.')
  return {
    priority,
    conditions,
    actions: [{invokeApi: {apiId, stage, stripBasePath: strip === true}}],
  }
}

function ruleOut(r: RoutingRuleDoc): Record<string, unknown> {
  return {
    actions: r.actions,
    conditions: r.conditions,
    priority: r.priority,
    routingRuleArn: r.routingRuleArn,
    routingRuleId: r.routingRuleId,
  }
}

function ruleDomain(req: OperationRequest, ctx: OperationContext): DomainDoc {
  const id = req.query.domainNameId
  return requireDomain(ctx.store, req.params.domainName ?? '', id || undefined, true)
}

function checkPriority(ctx: OperationContext, domain: DomainDoc, priority: number, exceptId?: string): void {
  if (listRoutingRules(ctx.store, domain.key).some((r) => r.priority === priority && r.routingRuleId !== exceptId)) {
    throw new AwsError('ConflictException', `A routing rule with priority ${priority} already exists for this domain name.`, 409)
  }
}

function requireRule(ctx: OperationContext, domain: DomainDoc, id: string): RoutingRuleDoc {
  const r = ctx.store.get<RoutingRuleDoc>(DOMAIN_KIND.routingRule, `${domain.key}/${id}`)
  if (!r) throw notFoundV2(`Invalid routing rule identifier specified ${id}`, 'RoutingRule')
  return r
}

export const createRoutingRule: Handler = (req, ctx) => {
  const domain = ruleDomain(req, ctx)
  const rule = readRule(req, ctx)
  checkPriority(ctx, domain, rule.priority)
  const routingRuleId = ctx.newId(6)
  const doc: RoutingRuleDoc = {
    routingRuleId,
    routingRuleArn: `${domainArn(domain).replace('::/', `:${ctx.accountId}:/`)}/routingrules/${routingRuleId}`,
    ...rule,
  }
  ctx.store.put(DOMAIN_KIND.routingRule, `${domain.key}/${routingRuleId}`, doc, domain.key)
  return ok(ruleOut(doc), 201)
}

export const getRoutingRule: Handler = (req, ctx) => {
  const domain = ruleDomain(req, ctx)
  return ok(ruleOut(requireRule(ctx, domain, req.params.routingRuleId ?? '')))
}

export const putRoutingRule: Handler = (req, ctx) => {
  const domain = ruleDomain(req, ctx)
  const existing = requireRule(ctx, domain, req.params.routingRuleId ?? '')
  const rule = readRule(req, ctx)
  checkPriority(ctx, domain, rule.priority, existing.routingRuleId)
  const doc: RoutingRuleDoc = {...existing, ...rule}
  ctx.store.put(DOMAIN_KIND.routingRule, `${domain.key}/${doc.routingRuleId}`, doc, domain.key)
  return ok(ruleOut(doc))
}

export const deleteRoutingRule: Handler = (req, ctx) => {
  const domain = ruleDomain(req, ctx)
  const r = requireRule(ctx, domain, req.params.routingRuleId ?? '')
  ctx.store.delete(DOMAIN_KIND.routingRule, `${domain.key}/${r.routingRuleId}`)
  return noContent()
}

export const listRoutingRulesV2: Handler = (req, ctx) => {
  const domain = ruleDomain(req, ctx)
  const result = page(req, listRoutingRules(ctx.store, domain.key).map(ruleOut))
  const body = result.body as {items: unknown[]; nextToken?: string}
  return ok({routingRules: body.items, ...(body.nextToken ? {nextToken: body.nextToken} : {})})
}

const DOMAIN = '/v2/domainnames/{domainName}'

export const domainNameRoutesV2: RouteDef[] = [
  {method: 'POST', path: '/v2/domainnames', operation: 'CreateDomainName', handler: createDomainNameV2},
  {method: 'GET', path: '/v2/domainnames', operation: 'GetDomainNames', handler: getDomainNamesV2},
  {method: 'GET', path: DOMAIN, operation: 'GetDomainName', handler: getDomainNameV2},
  {method: 'PATCH', path: DOMAIN, operation: 'UpdateDomainName', handler: updateDomainNameV2},
  {method: 'DELETE', path: DOMAIN, operation: 'DeleteDomainName', handler: deleteDomainNameV2},
  {method: 'POST', path: `${DOMAIN}/apimappings`, operation: 'CreateApiMapping', handler: createApiMapping},
  {method: 'GET', path: `${DOMAIN}/apimappings`, operation: 'GetApiMappings', handler: getApiMappings},
  {method: 'GET', path: `${DOMAIN}/apimappings/{apiMappingId}`, operation: 'GetApiMapping', handler: getApiMapping},
  {method: 'PATCH', path: `${DOMAIN}/apimappings/{apiMappingId}`, operation: 'UpdateApiMapping', handler: updateApiMapping},
  {method: 'DELETE', path: `${DOMAIN}/apimappings/{apiMappingId}`, operation: 'DeleteApiMapping', handler: deleteApiMapping},
  {method: 'POST', path: `${DOMAIN}/routingrules`, operation: 'CreateRoutingRule', handler: createRoutingRule},
  {method: 'GET', path: `${DOMAIN}/routingrules`, operation: 'ListRoutingRules', handler: listRoutingRulesV2},
  {method: 'GET', path: `${DOMAIN}/routingrules/{routingRuleId}`, operation: 'GetRoutingRule', handler: getRoutingRule},
  {method: 'PUT', path: `${DOMAIN}/routingrules/{routingRuleId}`, operation: 'PutRoutingRule', handler: putRoutingRule},
  {method: 'DELETE', path: `${DOMAIN}/routingrules/{routingRuleId}`, operation: 'DeleteRoutingRule', handler: deleteRoutingRule},
]
