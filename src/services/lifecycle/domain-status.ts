/**
 * `apigw status` of custom domain names: each domain name of apigw.yaml that maps the API, read back from AWS (or
 * the emulator, through the same SDK clients): its DNS target, whether its endpoint type, certificate and security
 * policy are apigw.yaml's, and each mapping (base path → API stage) as matches / missing / differs / extra, the last
 * for a mapping the domain name has that apigw.yaml does not declare.
 */
import type {ProjectConfig} from '../../core/config/config.ts'
import {type DomainConfig, normaliseBasePath} from '../../core/config/domains.ts'
import {createDomainsPort, type DomainName} from '../../aws/domains.ts'
import {TAG_API} from '../../core/plan/plan.ts'
import {type LifecycleDeps, portsFor} from './find-api.ts'

export type DomainMappingState = 'matches' | 'missing' | 'differs' | 'extra'

export type DomainMappingStatus = {
  /** '' for the whole domain name (`(none)`). */
  basePath: string
  /** apigw.yaml's mapping of this base path, if it has one. */
  config: {api: string; stage: string} | null
  /** What the domain name maps there now: the API by its apigw.yaml name when apigw knows its id, else by id. */
  actual: {api: string; apiId: string; stage: string} | null
  state: DomainMappingState
}

export type DomainSettingDrift = {setting: 'endpointType' | 'certificateArn' | 'securityPolicy'; actual: string | null; config: string}

export type DomainStatus = {
  domainName: string
  endpointType: 'REGIONAL' | 'EDGE'
  /** False when the domain name does not exist yet (deploy a mapped stage to create it). */
  exists: boolean
  /** The name to point a CNAME or alias record at (the regional or CloudFront name). */
  dnsTarget: string | null
  hostedZoneId: string | null
  settingsDrift: DomainSettingDrift[]
  mappings: DomainMappingStatus[]
}

/**
 * The domain names of apigw.yaml that map any stage of `api` (in apigw.yaml or as deployed), with every mapping each
 * has, compared with the config.
 */
export async function domainStatus(config: ProjectConfig, api: string, deps: LifecycleDeps): Promise<DomainStatus[]> {
  // Every domain name of apigw.yaml is read: one that no longer maps the API in apigw.yaml may still map it as deployed.
  const domains = Object.entries(config.domains ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  if (domains.length === 0) return []
  const declared = new Set(domains.filter(([, d]) => d.mappings.some((m) => m.api === api)).map(([name]) => name))
  const ports = portsFor(deps)
  const port = createDomainsPort(deps.aws, ports.scheduler)
  const nameOf = apiNames(config, deps)
  const all = await Promise.all(
    domains.map(async ([domainName, d]): Promise<DomainStatus> => {
      const endpointType = d.endpointType ?? 'REGIONAL'
      const current = await port.getDomainName(domainName)
      const wanted = new Map(d.mappings.map((m) => [normaliseBasePath(m.basePath), m]))
      if (!current) {
        return {
          domainName,
          endpointType,
          exists: false,
          dnsTarget: null,
          hostedZoneId: null,
          settingsDrift: [],
          mappings: [...wanted]
            .map(([basePath, m]) => ({basePath, config: {api: m.api, stage: m.stage}, actual: null, state: 'missing' as const}))
            .sort(byBasePath),
        }
      }
      const actual = await port.apiMappings(domainName)
      const byId = await nameOf()
      const mappings: DomainMappingStatus[] = []
      const seen = new Set<string>()
      for (const a of actual) {
        const basePath = normaliseBasePath(a.ApiMappingKey)
        seen.add(basePath)
        const apiId = a.ApiId ?? ''
        const now = {api: byId.get(apiId) ?? apiId, apiId, stage: a.Stage ?? ''}
        const m = wanted.get(basePath)
        if (!m) {
          mappings.push({basePath, config: null, actual: now, state: 'extra'})
          continue
        }
        const same = now.api === m.api && now.stage === m.stage
        mappings.push({basePath, config: {api: m.api, stage: m.stage}, actual: now, state: same ? 'matches' : 'differs'})
      }
      for (const [basePath, m] of wanted)
        if (!seen.has(basePath)) mappings.push({basePath, config: {api: m.api, stage: m.stage}, actual: null, state: 'missing'})
      const target = current.regionalDomainName
        ? {dnsTarget: current.regionalDomainName, hostedZoneId: current.regionalHostedZoneId ?? null}
        : {dnsTarget: current.distributionDomainName ?? null, hostedZoneId: current.distributionHostedZoneId ?? null}
      return {
        domainName,
        endpointType,
        exists: true,
        ...target,
        settingsDrift: settingsDrift(current, endpointType, d.certificateArn, d.securityPolicy ?? 'TLS_1_2'),
        mappings: mappings.sort(byBasePath),
      }
    }),
  )
  return all.filter((d) => declared.has(d.domainName) || d.mappings.some((m) => m.actual?.api === api))
}

function settingsDrift(current: DomainName, endpointType: string, certificateArn: string, securityPolicy: string): DomainSettingDrift[] {
  const out: DomainSettingDrift[] = []
  const type = current.endpointConfiguration?.types?.[0] ?? 'EDGE'
  if (type !== endpointType) out.push({setting: 'endpointType', actual: type, config: endpointType})
  const cert = endpointType === 'EDGE' ? current.certificateArn : current.regionalCertificateArn
  if (cert !== certificateArn) out.push({setting: 'certificateArn', actual: cert ?? null, config: certificateArn})
  const policy = current.securityPolicy ?? 'TLS_1_2'
  if (policy !== securityPolicy) out.push({setting: 'securityPolicy', actual: policy, config: securityPolicy})
  return out
}

const byBasePath = (a: {basePath: string}, b: {basePath: string}) => (a.basePath < b.basePath ? -1 : a.basePath > b.basePath ? 1 : 0)

/** The apigw.yaml name of each deployed API by its id (by its apigw:api tag, else its name), read once when first asked. */
function apiNames(config: ProjectConfig, deps: LifecycleDeps): () => Promise<Map<string, string>> {
  const ports = portsFor(deps)
  let names: Promise<Map<string, string>> | undefined
  return () => {
    names ??= (async () => {
      const types = new Set(Object.values(config.apis).map((a) => (a.type === 'rest' ? 'rest' : 'http')))
      const [rest, v2] = await Promise.all([types.has('rest') ? ports.v1.listRestApis() : [], types.has('http') ? ports.v2.listApis() : []])
      const all = [
        ...rest.map((a) => ({id: a.id ?? '', name: a.name ?? '', tag: a.tags?.[TAG_API]})),
        ...v2.map((a) => ({id: a.ApiId ?? '', name: a.Name ?? '', tag: a.Tags?.[TAG_API]})),
      ]
      const out = new Map<string, string>()
      for (const a of all) {
        const name = a.tag ?? a.name
        if (config.apis[name]) out.set(a.id, name)
      }
      return out
    })()
    return names
  }
}

/**
 * The domain names `names` as deployed, in apigw.yaml's form (for `diff --base stage:S`): certificate, endpoint type,
 * security policy and every mapping, the API named as apigw.yaml names it (else by its id). Missing ones are left out.
 */
export async function deployedDomains(config: ProjectConfig, names: string[], deps: LifecycleDeps): Promise<Record<string, DomainConfig>> {
  const port = createDomainsPort(deps.aws, portsFor(deps).scheduler)
  const nameOf = apiNames(config, deps)
  const out: Record<string, DomainConfig> = {}
  for (const name of [...names].sort()) {
    const d = await port.getDomainName(name)
    if (!d) continue
    const [mappings, byId] = await Promise.all([port.apiMappings(name), nameOf()])
    const endpointType = d.endpointConfiguration?.types?.[0] === 'EDGE' ? 'EDGE' : 'REGIONAL'
    out[name] = {
      certificateArn: (endpointType === 'EDGE' ? d.certificateArn : d.regionalCertificateArn) ?? '',
      endpointType,
      securityPolicy: d.securityPolicy === 'TLS_1_0' ? 'TLS_1_0' : 'TLS_1_2',
      mappings: mappings
        .map((m) => ({api: byId.get(m.ApiId ?? '') ?? m.ApiId ?? '', stage: m.Stage ?? '', basePath: normaliseBasePath(m.ApiMappingKey)}))
        .sort((a, b) => (a.basePath < b.basePath ? -1 : a.basePath > b.basePath ? 1 : 0)),
    }
  }
  return out
}
