/**
 * Custom domain names, shared by API Gateway v1 and v2 as AWS shares them: one domain name is visible through
 * both APIs, and a v1 base path mapping is a v2 API mapping (`(none)` on v1 is the empty `ApiMappingKey` on v2).
 * The documents here are neutral; v1/domain-names.ts and v2/domain-names.ts render them in each wire shape.
 *
 * | kind                     | id                                  | parent     |
 * |--------------------------|-------------------------------------|------------|
 * | domainname               | domain key (name, `name+id` private)| -          |
 * | domainmapping            | `${domainKey}/${apiMappingId}`      | domainKey  |
 * | routingrule              | `${domainKey}/${routingRuleId}`     | domainKey  |
 * | domainaccessassociation  | the association's ARN               | -          |
 *
 * The data plane (data-plane/custom-domains.ts) reads the same documents to route a mapped Host.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains.html
 */
import {AwsError, badRequest, notFound} from '../protocol/aws-error.ts'
import type {Store} from '../store/store.ts'

export const DOMAIN_KIND = {
  domain: 'domainname',
  mapping: 'domainmapping',
  routingRule: 'routingrule',
  accessAssociation: 'domainaccessassociation',
} as const

/** How a domain name picks the API: v1 and v2 spell the same three modes differently. */
export type RoutingMode = 'MAPPINGS' | 'RULES' | 'RULES_THEN_MAPPINGS'

export type DomainDoc = {
  /** The store key: the name, or `name+domainNameId` for a private custom domain name. */
  key: string
  domainName: string
  domainNameId?: string
  endpointType: 'REGIONAL' | 'EDGE' | 'PRIVATE'
  ipAddressType: string
  region: string
  accountId: string
  /** EDGE: the ACM certificate in us-east-1 (or an uploaded certificate's name). */
  certificateArn?: string
  certificateName?: string
  /** REGIONAL / PRIVATE: the ACM certificate in the domain's region. */
  regionalCertificateArn?: string
  regionalCertificateName?: string
  certificateUploadDate: string
  /** `d-xxxxxxxxxx.execute-api.{region}.amazonaws.com` (REGIONAL) or `dxxxxxxxxxxxxx.cloudfront.net` (EDGE). */
  targetDomainName: string
  hostedZoneId: string
  securityPolicy: string
  routingMode: RoutingMode
  mutualTls?: {truststoreUri: string; truststoreVersion?: string}
  ownershipVerificationCertificateArn?: string
  policy?: string
  endpointAccessMode?: string
  tags: Record<string, string>
}

export type MappingDoc = {
  apiMappingId: string
  domainKey: string
  /** '' for the empty base path (`(none)` on v1). No leading or trailing '/'. */
  basePath: string
  apiId: string
  /** Undefined when a v1 mapping names no stage: callers then give the stage after the base path. */
  stage?: string
}

export type RoutingRuleCondition = {
  matchBasePaths?: {anyOf: string[]}
  matchHeaders?: {anyOf: Array<{header: string; valueGlob: string}>}
}

export type RoutingRuleDoc = {
  routingRuleId: string
  routingRuleArn: string
  priority: number
  conditions: RoutingRuleCondition[]
  actions: Array<{invokeApi: {apiId: string; stage: string; stripBasePath?: boolean}}>
}

export type AccessAssociationDoc = {
  domainNameAccessAssociationArn: string
  domainNameArn: string
  accessAssociationSourceType: string
  accessAssociationSource: string
  tags?: Record<string, string>
}

/**
 * Route 53 hosted zones of API Gateway's Regional endpoints (the alias target of a Regional domain name).
 * https://docs.aws.amazon.com/general/latest/gr/apigateway.html
 */
const REGIONAL_ZONES: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8',
  'us-east-2': 'ZOJJZC49E0EPZ',
  'us-west-1': 'Z2MUQ32089INYE',
  'us-west-2': 'Z2OJLYMUO9EFXC',
  'ca-central-1': 'Z19DQILCV0OWEC',
  'eu-west-1': 'ZLY8HYME6SFDD',
  'eu-west-2': 'ZJ5UAJN8Y3Z2Q',
  'eu-west-3': 'Z3KY65QIEKYHQQ',
  'eu-central-1': 'Z1U9ULNL0V5AJ3',
  'eu-north-1': 'Z3UWIKFBOOGXPP',
  'ap-northeast-1': 'Z1YSHQZHG15GKL',
  'ap-northeast-2': 'Z20JF4UZKIW1U8',
  'ap-southeast-1': 'ZL327KTPIQFUL',
  'ap-southeast-2': 'Z2RPCDW04V8134',
  'ap-south-1': 'Z3VO1THU9YC4UR',
  'sa-east-1': 'ZCMLWB8V5SYIT',
}
/** CloudFront's one hosted zone: every edge-optimized domain name's alias target. */
export const CLOUDFRONT_ZONE = 'Z2FDTNDATAQYW2'

export function regionalHostedZone(region: string): string {
  return REGIONAL_ZONES[region] ?? 'Z1UJRXOUMOOFQ8'
}

/** The domain name's ARN: `arn:aws:apigateway:{region}::/domainnames/{name}` (`+{id}` for private ones). */
export function domainArn(doc: Pick<DomainDoc, 'region' | 'domainName' | 'domainNameId' | 'accountId'>): string {
  return doc.domainNameId
    ? `arn:aws:apigateway:${doc.region}:${doc.accountId}:/domainnames/${doc.domainName}+${doc.domainNameId}`
    : `arn:aws:apigateway:${doc.region}::/domainnames/${doc.domainName}`
}

export const domainKey = (name: string, domainNameId?: string): string => (domainNameId ? `${name}+${domainNameId}` : name)

/** AWS's answer for a domain name it does not know, v1 and v2 alike (v2 adds `resourceType`). */
export function domainNotFound(v2 = false): AwsError {
  return notFound('Invalid domain name identifier specified', v2 ? {resourceType: 'DomainName'} : undefined)
}

export function findDomain(store: Store, name: string, domainNameId?: string): DomainDoc | undefined {
  return store.get<DomainDoc>(DOMAIN_KIND.domain, domainKey(name, domainNameId))
}

export function requireDomain(store: Store, name: string, domainNameId?: string, v2 = false): DomainDoc {
  const doc = findDomain(store, name, domainNameId)
  if (!doc) throw domainNotFound(v2)
  return doc
}

export function saveDomain(store: Store, doc: DomainDoc): void {
  store.put(DOMAIN_KIND.domain, doc.key, doc)
}

export const listDomains = (store: Store): DomainDoc[] => store.list<DomainDoc>(DOMAIN_KIND.domain)
export const listMappings = (store: Store, key: string): MappingDoc[] => store.list<MappingDoc>(DOMAIN_KIND.mapping, key)
export const listRoutingRules = (store: Store, key: string): RoutingRuleDoc[] =>
  store.list<RoutingRuleDoc>(DOMAIN_KIND.routingRule, key).sort((a, b) => a.priority - b.priority)

export function saveMapping(store: Store, m: MappingDoc): void {
  store.put(DOMAIN_KIND.mapping, `${m.domainKey}/${m.apiMappingId}`, m, m.domainKey)
}

export function deleteMapping(store: Store, m: MappingDoc): void {
  store.delete(DOMAIN_KIND.mapping, `${m.domainKey}/${m.apiMappingId}`)
}

/** Delete a domain name with everything under it (mappings, routing rules). */
export function deleteDomain(store: Store, doc: DomainDoc): void {
  store.deleteChildren(DOMAIN_KIND.mapping, doc.key)
  store.deleteChildren(DOMAIN_KIND.routingRule, doc.key)
  store.delete(DOMAIN_KIND.domain, doc.key)
}

/** The region an ACM certificate ARN lives in (`arn:aws:acm:{region}:{account}:certificate/{id}`). */
export function certificateRegion(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/.+$/.exec(arn)?.[1]
}

/**
 * AWS refuses a certificate outside the region the endpoint type needs: us-east-1 for EDGE (CloudFront), the
 * domain's region for REGIONAL. "Invalid certificate ARN: {arn}. Certificate must be in '{region}'." (answers
 * quoted in amplify-education/serverless-domain-manager#64 and #49).
 */
export function checkCertificate(arn: string, requiredRegion: string): void {
  const region = certificateRegion(arn)
  if (region !== requiredRegion) throw badRequest(`Invalid certificate ARN: ${arn}. Certificate must be in '${requiredRegion}'.`)
}

/** Base paths: AWS's allowed characters, one or more levels separated by '/'. */
const BASE_PATH = /^[a-zA-Z0-9$\-_.+!*'()]+(\/[a-zA-Z0-9$\-_.+!*'()]+)*$/

/** A base path as the client sent it ('(none)', '', '/v1/', 'v1') → the stored form ('' or 'v1'). */
export function normaliseBasePath(raw: string | undefined): string {
  if (raw === undefined || raw === '(none)') return ''
  const trimmed = raw.replace(/^\/+|\/+$/g, '')
  if (trimmed === '') return ''
  if (!BASE_PATH.test(trimmed)) throw badRequest('Invalid base path specified')
  return trimmed
}

/**
 * AWS's conflicts between the mappings of one domain name: a base path used twice ("Base path already exists
 * for this domain name", amplify-education/serverless-domain-manager#214) and the empty base path next to any
 * other ("Only one base path mapping is allowed if the base path is empty.", #179). Both are 409s.
 */
export function checkMappingConflict(existing: readonly MappingDoc[], basePath: string, exceptId?: string): void {
  const others = existing.filter((m) => m.apiMappingId !== exceptId)
  if (others.some((m) => m.basePath === basePath)) {
    throw new AwsError('ConflictException', 'Base path already exists for this domain name', 409)
  }
  if (others.length > 0 && (basePath === '' || others.some((m) => m.basePath === ''))) {
    throw new AwsError('ConflictException', 'Only one base path mapping is allowed if the base path is empty.', 409)
  }
}

/** The domain's alias target, as v1 and v2 return it, for a new domain name. */
export function newTarget(
  endpointType: DomainDoc['endpointType'],
  region: string,
  newId: (length?: number) => string,
): {targetDomainName: string; hostedZoneId: string} {
  if (endpointType === 'EDGE') return {targetDomainName: `d${newId(13)}.cloudfront.net`, hostedZoneId: CLOUDFRONT_ZONE}
  return {targetDomainName: `d-${newId(10)}.execute-api.${region}.amazonaws.com`, hostedZoneId: regionalHostedZone(region)}
}
