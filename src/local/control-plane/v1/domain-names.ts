/**
 * API Gateway v1 custom domain names: CreateDomainName, GetDomainName(s), UpdateDomainName, DeleteDomainName;
 * base path mappings (Create/Get/Update/Delete/GetBasePathMappings); domain name access associations
 * (Create/Get/Delete/Reject, stored with AWS's validation). Certificates are accepted as given (no ACM), and a
 * domain name is AVAILABLE at once. The documents are shared with v2 (../domain-names.ts).
 * https://docs.aws.amazon.com/apigateway/latest/api/API_CreateDomainName.html
 * https://docs.aws.amazon.com/apigateway/latest/api/API_CreateBasePathMapping.html
 */
import {AwsError, badRequest, notFound} from '../../protocol/aws-error.ts'
import type {Handler, OperationContext, OperationRequest, RouteDef} from '../../types.ts'
import {
  type AccessAssociationDoc,
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
  type MappingDoc,
  newTarget,
  normaliseBasePath,
  type RoutingMode,
  requireDomain,
  saveDomain,
  saveMapping,
} from '../domain-names.ts'
import {childId, KIND} from '../model.ts'
import {invalidPatchPath, page, readPatchOperations, readStringMap} from './common.ts'

const SECURITY_POLICIES = [
  'TLS_1_0',
  'TLS_1_2',
  'SecurityPolicy_TLS13_1_3_2025_09',
  'SecurityPolicy_TLS13_1_3_FIPS_2025_09',
  'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
  'SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09',
  'SecurityPolicy_TLS13_1_2_PQ_2025_09',
  'SecurityPolicy_TLS13_1_2_Ext2_PQ_2025_09',
  'SecurityPolicy_TLS13_1_2_Ext2_FIPS_PQ_2025_09',
  'SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09',
  'SecurityPolicy_TLS13_1_2_2021_06',
  'SecurityPolicy_TLS13_2025_EDGE',
  'SecurityPolicy_TLS12_PFS_2025_EDGE',
  'SecurityPolicy_TLS12_2018_EDGE',
]
const V1_ROUTING: Record<string, RoutingMode> = {
  BASE_PATH_MAPPING_ONLY: 'MAPPINGS',
  ROUTING_RULE_ONLY: 'RULES',
  ROUTING_RULE_THEN_BASE_PATH_MAPPING: 'RULES_THEN_MAPPINGS',
}
const V1_ROUTING_OUT: Record<RoutingMode, string> = {
  MAPPINGS: 'BASE_PATH_MAPPING_ONLY',
  RULES: 'ROUTING_RULE_ONLY',
  RULES_THEN_MAPPINGS: 'ROUTING_RULE_THEN_BASE_PATH_MAPPING',
}

function enumError(value: string, member: string, allowed: readonly string[]): AwsError {
  return new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ` +
      `Member must satisfy enum value set: [${allowed.join(', ')}]`,
    400,
  )
}

const optString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

/** The v1 wire shape of a domain name (GetDomainName). */
export function domainOut(d: DomainDoc): Record<string, unknown> {
  const out: Record<string, unknown> = {domainName: d.domainName}
  if (d.domainNameId) out.domainNameId = d.domainNameId
  out.domainNameArn = domainArn(d)
  if (d.endpointType === 'EDGE') {
    if (d.certificateName) out.certificateName = d.certificateName
    if (d.certificateArn) out.certificateArn = d.certificateArn
    out.certificateUploadDate = Math.floor(Date.parse(d.certificateUploadDate) / 1000)
    out.distributionDomainName = d.targetDomainName
    out.distributionHostedZoneId = d.hostedZoneId
  } else {
    if (d.regionalCertificateName) out.regionalCertificateName = d.regionalCertificateName
    if (d.regionalCertificateArn) out.regionalCertificateArn = d.regionalCertificateArn
    if (d.endpointType === 'REGIONAL') {
      out.regionalDomainName = d.targetDomainName
      out.regionalHostedZoneId = d.hostedZoneId
    }
  }
  out.endpointConfiguration = {types: [d.endpointType], ipAddressType: d.ipAddressType}
  out.domainNameStatus = 'AVAILABLE'
  out.securityPolicy = d.securityPolicy
  if (d.endpointAccessMode) out.endpointAccessMode = d.endpointAccessMode
  out.tags = d.tags
  if (d.mutualTls) out.mutualTlsAuthentication = {...d.mutualTls, truststoreWarnings: []}
  if (d.ownershipVerificationCertificateArn) out.ownershipVerificationCertificateArn = d.ownershipVerificationCertificateArn
  if (d.policy) out.policy = d.policy
  out.routingMode = V1_ROUTING_OUT[d.routingMode]
  return out
}

function readEndpointType(raw: unknown): {type: DomainDoc['endpointType']; ipAddressType?: string} {
  const cfg = (raw ?? {}) as {types?: unknown; ipAddressType?: unknown}
  const types = cfg.types === undefined ? ['EDGE'] : Array.isArray(cfg.types) ? cfg.types.map(String) : []
  for (const t of types) {
    if (!['EDGE', 'REGIONAL', 'PRIVATE'].includes(t)) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '[${types.join(', ')}]' at 'createDomainNameInput.endpointConfiguration.types' ` +
          'failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, EDGE, REGIONAL]]',
        400,
      )
    }
  }
  if (types.length === 0) throw badRequest('REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.')
  if (types.length > 1) throw badRequest('Cannot create a domain name with multiple Endpoint Types.')
  const ip = cfg.ipAddressType
  if (ip !== undefined && ip !== 'ipv4' && ip !== 'dualstack') {
    throw enumError(String(ip), 'createDomainNameInput.endpointConfiguration.ipAddressType', ['ipv4', 'dualstack'])
  }
  return {type: types[0] as DomainDoc['endpointType'], ...(typeof ip === 'string' ? {ipAddressType: ip} : {})}
}

/** domainNameId of the request (private custom domain names are addressed by name and id). */
const idOf = (req: OperationRequest): string | undefined => optString(req.query.domainNameId)

export const createDomainName: Handler = (req, ctx) => {
  const body = req.json()
  const name = optString(body.domainName)
  // AWS's message for a missing or malformed name (a name is a host name, lower-cased by AWS).
  if (!name || !/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(name)) {
    throw badRequest('Invalid domain name identifier specified')
  }
  const domainName = name.toLowerCase()
  const {type, ipAddressType} = readEndpointType(body.endpointConfiguration)
  const securityPolicy = optString(body.securityPolicy) ?? 'TLS_1_2'
  if (!SECURITY_POLICIES.includes(securityPolicy)) {
    throw enumError(securityPolicy, 'createDomainNameInput.securityPolicy', SECURITY_POLICIES)
  }
  const routingRaw = optString(body.routingMode) ?? 'BASE_PATH_MAPPING_ONLY'
  const routingMode = V1_ROUTING[routingRaw]
  if (!routingMode) throw enumError(routingRaw, 'createDomainNameInput.routingMode', Object.keys(V1_ROUTING))
  const certificateArn = optString(body.certificateArn)
  const regionalCertificateArn = optString(body.regionalCertificateArn)
  const certificateName = optString(body.certificateName)
  const regionalCertificateName = optString(body.regionalCertificateName)
  if (type === 'EDGE') {
    if (regionalCertificateArn) throw badRequest('Regional certificate ARN cannot be specified for an EDGE domain name.')
    if (!certificateArn && !body.certificateBody)
      throw badRequest('A certificate ARN or a certificate body is required for an EDGE domain name.')
    // CloudFront only takes ACM certificates from us-east-1.
    if (certificateArn) checkCertificate(certificateArn, 'us-east-1')
  } else {
    if (certificateArn) throw badRequest(`Certificate ARN cannot be specified for a ${type} domain name. Use regionalCertificateArn.`)
    if (!regionalCertificateArn) throw badRequest(`A regional certificate ARN is required for a ${type} domain name.`)
    checkCertificate(regionalCertificateArn, ctx.region)
  }
  const domainNameId = type === 'PRIVATE' ? ctx.newId(10) : undefined
  const key = domainKey(domainName, domainNameId)
  // The answer AWS gives a name it already has (quoted in zappa/Zappa#532).
  if (type !== 'PRIVATE' && findDomain(ctx.store, domainName)) throw badRequest('The domain name you provided already exists.')
  const mtls = body.mutualTlsAuthentication as {truststoreUri?: unknown; truststoreVersion?: unknown} | undefined
  if (mtls && type === 'EDGE') throw badRequest('Mutual TLS is only supported for REGIONAL domain names.')
  const policy = body.policy
  if (policy !== undefined && type !== 'PRIVATE') throw badRequest('Policy is only supported for PRIVATE domain names.')
  if (type === 'PRIVATE' && typeof policy !== 'string') throw badRequest('A policy is required for a PRIVATE domain name.')
  const doc: DomainDoc = {
    key,
    domainName,
    ...(domainNameId ? {domainNameId} : {}),
    endpointType: type,
    ipAddressType: ipAddressType ?? (type === 'PRIVATE' ? 'dualstack' : 'ipv4'),
    region: ctx.region,
    accountId: ctx.accountId,
    ...(certificateArn ? {certificateArn} : {}),
    ...(certificateName ? {certificateName} : {}),
    ...(regionalCertificateArn ? {regionalCertificateArn} : {}),
    ...(regionalCertificateName ? {regionalCertificateName} : {}),
    certificateUploadDate: ctx.now().toISOString(),
    ...newTarget(type, ctx.region, ctx.newId),
    securityPolicy,
    routingMode,
    ...(mtls && typeof mtls.truststoreUri === 'string'
      ? {
          mutualTls: {
            truststoreUri: mtls.truststoreUri,
            ...(typeof mtls.truststoreVersion === 'string' ? {truststoreVersion: mtls.truststoreVersion} : {}),
          },
        }
      : {}),
    ...(optString(body.ownershipVerificationCertificateArn)
      ? {ownershipVerificationCertificateArn: optString(body.ownershipVerificationCertificateArn)!}
      : {}),
    ...(typeof policy === 'string' ? {policy} : {}),
    ...(optString(body.endpointAccessMode) ? {endpointAccessMode: optString(body.endpointAccessMode)!} : {}),
    tags: readStringMap(body.tags, 'tags') ?? {},
  }
  saveDomain(ctx.store, doc)
  return {status: 201, body: domainOut(doc)}
}

export const getDomainName: Handler = (req, ctx) => ({
  status: 200,
  body: domainOut(requireDomain(ctx.store, req.params.domain_name ?? '', idOf(req))),
})

export const getDomainNames: Handler = (req, ctx) => {
  const owner = req.query.resourceOwner
  if (owner !== undefined && owner !== 'SELF' && owner !== 'OTHER_ACCOUNTS') {
    throw enumError(owner, 'getDomainNamesInput.resourceOwner', ['SELF', 'OTHER_ACCOUNTS'])
  }
  const all = owner === 'OTHER_ACCOUNTS' ? [] : listDomains(ctx.store)
  return {status: 200, body: page(req, all.map(domainOut))}
}

const DOMAIN_PATCH_PATHS = [
  '/certificateName',
  '/certificateArn',
  '/regionalCertificateName',
  '/regionalCertificateArn',
  '/endpointConfiguration/types/0',
  '/endpointConfiguration/ipAddressType',
  '/securityPolicy',
  '/mutualTlsAuthentication/truststoreUri',
  '/mutualTlsAuthentication/truststoreVersion',
  '/ownershipVerificationCertificateArn',
  '/routingMode',
  '/policy',
  '/endpointAccessMode',
]

/** UpdateDomainName: `replace` on the paths AWS documents (certificates, endpoint type, security policy, mTLS…). */
export const updateDomainName: Handler = (req, ctx) => {
  const doc = requireDomain(ctx.store, req.params.domain_name ?? '', idOf(req))
  for (const op of readPatchOperations(req, 'updateDomainNameInput')) {
    const value = op.value ?? ''
    if (op.op !== 'replace' || !op.path || !DOMAIN_PATCH_PATHS.includes(op.path)) throw invalidPatchPath(op.path, op.op, DOMAIN_PATCH_PATHS)
    switch (op.path) {
      case '/certificateName':
        doc.certificateName = value
        break
      case '/certificateArn':
        checkCertificate(value, 'us-east-1')
        doc.certificateArn = value
        doc.certificateUploadDate = ctx.now().toISOString()
        break
      case '/regionalCertificateName':
        doc.regionalCertificateName = value
        break
      case '/regionalCertificateArn':
        checkCertificate(value, doc.region)
        doc.regionalCertificateArn = value
        doc.certificateUploadDate = ctx.now().toISOString()
        break
      case '/endpointConfiguration/types/0': {
        // AWS converts an EDGE domain name to REGIONAL (not back) and only with a regional certificate.
        if (value !== 'REGIONAL' && value !== 'EDGE') throw badRequest(`Invalid endpoint type: ${value}`)
        if (value !== doc.endpointType) {
          if (value === 'EDGE') throw badRequest('Cannot update a REGIONAL domain name to EDGE.')
          if (!doc.regionalCertificateArn && !doc.regionalCertificateName) {
            throw badRequest('A regional certificate ARN is required for a REGIONAL domain name.')
          }
          doc.endpointType = 'REGIONAL'
          Object.assign(doc, newTarget('REGIONAL', doc.region, ctx.newId))
        }
        break
      }
      case '/endpointConfiguration/ipAddressType':
        if (value !== 'ipv4' && value !== 'dualstack') throw enumError(value, 'updateDomainNameInput.ipAddressType', ['ipv4', 'dualstack'])
        doc.ipAddressType = value
        break
      case '/securityPolicy':
        if (!SECURITY_POLICIES.includes(value)) throw enumError(value, 'updateDomainNameInput.securityPolicy', SECURITY_POLICIES)
        doc.securityPolicy = value
        break
      case '/mutualTlsAuthentication/truststoreUri':
        doc.mutualTls = {...doc.mutualTls, truststoreUri: value}
        break
      case '/mutualTlsAuthentication/truststoreVersion':
        if (!doc.mutualTls) throw badRequest('Mutual TLS is not enabled for this domain name.')
        doc.mutualTls.truststoreVersion = value
        break
      case '/ownershipVerificationCertificateArn':
        doc.ownershipVerificationCertificateArn = value
        break
      case '/routingMode': {
        const mode = V1_ROUTING[value]
        if (!mode) throw enumError(value, 'updateDomainNameInput.routingMode', Object.keys(V1_ROUTING))
        doc.routingMode = mode
        break
      }
      case '/policy':
        if (doc.endpointType !== 'PRIVATE') throw badRequest('Policy is only supported for PRIVATE domain names.')
        doc.policy = value
        break
      case '/endpointAccessMode':
        doc.endpointAccessMode = value
        break
    }
  }
  saveDomain(ctx.store, doc)
  return {status: 200, body: domainOut(doc)}
}

export const deleteDomainName: Handler = (req, ctx) => {
  const doc = requireDomain(ctx.store, req.params.domain_name ?? '', idOf(req))
  deleteDomain(ctx.store, doc)
  for (const a of ctx.store.list<AccessAssociationDoc>(DOMAIN_KIND.accessAssociation)) {
    if (a.domainNameArn === domainArn(doc)) ctx.store.delete(DOMAIN_KIND.accessAssociation, a.domainNameAccessAssociationArn)
  }
  return {status: 202}
}

// Base path mappings.

/** The v1 wire shape of a mapping: `(none)` for the empty base path. */
export const mappingOut = (m: MappingDoc): Record<string, unknown> => ({
  basePath: m.basePath === '' ? '(none)' : m.basePath,
  restApiId: m.apiId,
  ...(m.stage !== undefined ? {stage: m.stage} : {}),
})

/** The REST API and stage a v1 mapping names must exist (AWS: BadRequestException for either). */
function checkTarget(ctx: OperationContext, restApiId: string, stage: string | undefined): void {
  if (!ctx.store.get(KIND.restApi, restApiId)) throw badRequest('Invalid REST API identifier specified')
  if (stage !== undefined && !ctx.store.get(KIND.stage, childId(restApiId, stage))) throw badRequest('Invalid stage identifier specified')
}

function findMapping(ctx: OperationContext, domain: DomainDoc, rawBasePath: string): MappingDoc {
  let basePath: string
  try {
    basePath = normaliseBasePath(rawBasePath)
  } catch {
    basePath = rawBasePath
  }
  const m = listMappings(ctx.store, domain.key).find((x) => x.basePath === basePath)
  if (!m) throw notFound('Invalid base path mapping identifier specified')
  return m
}

export const createBasePathMapping: Handler = (req, ctx) => {
  const domain = requireDomain(ctx.store, req.params.domain_name ?? '', idOf(req))
  const body = req.json()
  const restApiId = optString(body.restApiId)
  if (!restApiId) throw badRequest('Invalid REST API identifier specified')
  const stageRaw = optString(body.stage)
  const stage = stageRaw === '(none)' ? undefined : stageRaw
  checkTarget(ctx, restApiId, stage)
  const basePath = normaliseBasePath(typeof body.basePath === 'string' ? body.basePath : undefined)
  checkMappingConflict(listMappings(ctx.store, domain.key), basePath)
  const m: MappingDoc = {
    apiMappingId: ctx.newId(6),
    domainKey: domain.key,
    basePath,
    apiId: restApiId,
    ...(stage !== undefined ? {stage} : {}),
  }
  saveMapping(ctx.store, m)
  return {status: 201, body: mappingOut(m)}
}

export const getBasePathMapping: Handler = (req, ctx) => {
  const domain = requireDomain(ctx.store, req.params.domain_name ?? '', idOf(req))
  return {status: 200, body: mappingOut(findMapping(ctx, domain, req.params.base_path ?? ''))}
}

export const getBasePathMappings: Handler = (req, ctx) => {
  const domain = requireDomain(ctx.store, req.params.domain_name ?? '', idOf(req))
  return {status: 200, body: page(req, listMappings(ctx.store, domain.key).map(mappingOut))}
}

const MAPPING_PATCH_PATHS = ['/basePath', '/restapiId', '/stage']

/** UpdateBasePathMapping: `replace` of /basePath, /restapiId, /stage (AWS's spelling of the REST API path). */
export const updateBasePathMapping: Handler = (req, ctx) => {
  const domain = requireDomain(ctx.store, req.params.domain_name ?? '', idOf(req))
  const m = findMapping(ctx, domain, req.params.base_path ?? '')
  const next: MappingDoc = {...m}
  for (const op of readPatchOperations(req, 'updateBasePathMappingInput')) {
    if (op.op !== 'replace' || !op.path || !MAPPING_PATCH_PATHS.includes(op.path))
      throw invalidPatchPath(op.path, op.op, MAPPING_PATCH_PATHS)
    if (op.path === '/basePath') next.basePath = normaliseBasePath(op.value)
    else if (op.path === '/restapiId') next.apiId = op.value ?? ''
    else if (op.value === undefined || op.value === '(none)') delete next.stage
    else next.stage = op.value
  }
  checkTarget(ctx, next.apiId, next.stage)
  checkMappingConflict(listMappings(ctx.store, domain.key), next.basePath, m.apiMappingId)
  saveMapping(ctx.store, next)
  return {status: 200, body: mappingOut(next)}
}

export const deleteBasePathMapping: Handler = (req, ctx) => {
  const domain = requireDomain(ctx.store, req.params.domain_name ?? '', idOf(req))
  deleteMapping(ctx.store, findMapping(ctx, domain, req.params.base_path ?? ''))
  return {status: 202}
}

// Domain name access associations (private custom domain names, reached from a VPC endpoint).

const associationOut = (a: AccessAssociationDoc): Record<string, unknown> => ({...a, tags: a.tags ?? {}})

function privateDomainByArn(ctx: OperationContext, arn: string): DomainDoc {
  const doc = listDomains(ctx.store).find((d) => domainArn(d) === arn)
  if (!doc) throw notFound('Invalid domain name identifier specified')
  if (doc.endpointType !== 'PRIVATE') throw badRequest('Domain name access associations are only supported for PRIVATE domain names.')
  return doc
}

export const createDomainNameAccessAssociation: Handler = (req, ctx) => {
  const body = req.json()
  const domainNameArn = optString(body.domainNameArn)
  const sourceType = optString(body.accessAssociationSourceType)
  const source = optString(body.accessAssociationSource)
  if (sourceType !== 'VPCE')
    throw enumError(String(sourceType), 'createDomainNameAccessAssociationInput.accessAssociationSourceType', ['VPCE'])
  if (!source || !/^vpce-[0-9a-f]+$/.test(source)) throw badRequest(`Invalid VPC endpoint identifier specified: ${source ?? ''}`)
  if (!domainNameArn) throw badRequest('Invalid domain name ARN specified')
  const domain = privateDomainByArn(ctx, domainNameArn)
  const existing = ctx.store
    .list<AccessAssociationDoc>(DOMAIN_KIND.accessAssociation)
    .find((a) => a.domainNameArn === domainNameArn && a.accessAssociationSource === source)
  if (existing) throw new AwsError('ConflictException', 'A domain name access association already exists for this source.', 409)
  const arn =
    `arn:aws:apigateway:${domain.region}:${ctx.accountId}:/domainnameaccessassociations` +
    `/domainname/${domain.domainName}+${domain.domainNameId}/vpcesource/${source}`
  const doc: AccessAssociationDoc = {
    domainNameAccessAssociationArn: arn,
    domainNameArn,
    accessAssociationSourceType: sourceType,
    accessAssociationSource: source,
    tags: readStringMap(body.tags, 'tags') ?? {},
  }
  ctx.store.put(DOMAIN_KIND.accessAssociation, arn, doc)
  return {status: 201, body: associationOut(doc)}
}

export const getDomainNameAccessAssociations: Handler = (req, ctx) => {
  const owner = req.query.resourceOwner
  if (owner !== undefined && owner !== 'SELF' && owner !== 'OTHER_ACCOUNTS') {
    throw enumError(owner, 'getDomainNameAccessAssociationsInput.resourceOwner', ['SELF', 'OTHER_ACCOUNTS'])
  }
  const all = owner === 'OTHER_ACCOUNTS' ? [] : ctx.store.list<AccessAssociationDoc>(DOMAIN_KIND.accessAssociation)
  return {status: 200, body: page(req, all.map(associationOut))}
}

export const deleteDomainNameAccessAssociation: Handler = (req, ctx) => {
  const arn = req.params.association_arn ?? ''
  if (!ctx.store.delete(DOMAIN_KIND.accessAssociation, arn)) throw notFound('Invalid domain name access association identifier specified')
  return {status: 202}
}

/** RejectDomainNameAccessAssociation: the domain's owner in another account refuses it; locally every domain is ours. */
export const rejectDomainNameAccessAssociation: Handler = (req, ctx) => {
  const arn = req.query.domainNameAccessAssociationArn ?? ''
  if (!ctx.store.get(DOMAIN_KIND.accessAssociation, arn)) throw notFound('Invalid domain name access association identifier specified')
  throw badRequest('Cannot reject a domain name access association for a domain name owned by this account.')
}

const DOMAIN = '/domainnames/{domain_name}'

export const domainNameRoutes: RouteDef[] = [
  {method: 'GET', path: '/domainnames', operation: 'GetDomainNames', handler: getDomainNames},
  {method: 'POST', path: '/domainnames', operation: 'CreateDomainName', handler: createDomainName},
  {method: 'GET', path: DOMAIN, operation: 'GetDomainName', handler: getDomainName},
  {method: 'PATCH', path: DOMAIN, operation: 'UpdateDomainName', handler: updateDomainName},
  {method: 'DELETE', path: DOMAIN, operation: 'DeleteDomainName', handler: deleteDomainName},
  {method: 'GET', path: `${DOMAIN}/basepathmappings`, operation: 'GetBasePathMappings', handler: getBasePathMappings},
  {method: 'POST', path: `${DOMAIN}/basepathmappings`, operation: 'CreateBasePathMapping', handler: createBasePathMapping},
  {method: 'GET', path: `${DOMAIN}/basepathmappings/{base_path}`, operation: 'GetBasePathMapping', handler: getBasePathMapping},
  {method: 'PATCH', path: `${DOMAIN}/basepathmappings/{base_path}`, operation: 'UpdateBasePathMapping', handler: updateBasePathMapping},
  {method: 'DELETE', path: `${DOMAIN}/basepathmappings/{base_path}`, operation: 'DeleteBasePathMapping', handler: deleteBasePathMapping},
  {
    method: 'POST',
    path: '/domainnameaccessassociations',
    operation: 'CreateDomainNameAccessAssociation',
    handler: createDomainNameAccessAssociation,
  },
  {
    method: 'GET',
    path: '/domainnameaccessassociations',
    operation: 'GetDomainNameAccessAssociations',
    handler: getDomainNameAccessAssociations,
  },
  {
    method: 'DELETE',
    path: '/domainnameaccessassociations/{association_arn+}',
    operation: 'DeleteDomainNameAccessAssociation',
    handler: deleteDomainNameAccessAssociation,
  },
  {
    method: 'POST',
    path: '/rejectdomainnameaccessassociations',
    operation: 'RejectDomainNameAccessAssociation',
    handler: rejectDomainNameAccessAssociation,
  },
]
