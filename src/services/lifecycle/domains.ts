/**
 * apigw.yaml's `domains:` on deploy: the custom domain names that map the deployed API's stage are created or
 * updated (certificate, endpoint type, security policy), and that stage's mappings made or moved: base path mappings
 * for REST APIs (v1), API mappings for HTTP and WebSocket APIs (v2). A mapping on the domain name that apigw.yaml does
 * not have is kept and reported, unless `prune`. Mappings of other APIs or stages are left to their own deploys.
 * The result carries each domain name's DNS target (the regional or CloudFront name, and its hosted zone).
 */
import {createDomainsPort, type DomainName, type DomainsPort} from '../../aws/domains.ts'
import {type DomainConfig, certificateRegionProblem, normaliseBasePath} from '../../core/config/domains.ts'
import type {ProjectConfig} from '../../core/config/config.ts'
import {CliError} from '../../errors.ts'
import {type LifecycleDeps, portsFor} from './find-api.ts'

export type DomainMappingOutcome = {
  /** '' for the whole domain (`(none)`). */
  basePath: string
  api: string
  stage: string
  /**
   * create/update/keep: this deploy's stage; extra: on the domain, not in apigw.yaml (remove with --prune); other:
   * another API or stage's.
   */
  action: 'create' | 'update' | 'keep' | 'remove' | 'extra' | 'other'
}

export type DomainOutcome = {
  domainName: string
  endpointType: 'REGIONAL' | 'EDGE'
  action: 'create' | 'update' | 'keep'
  /** The name to point a CNAME or alias record at (undefined on a dry run before the domain name exists). */
  dnsTarget?: string | undefined
  hostedZoneId?: string | undefined
  mappings: DomainMappingOutcome[]
}

const made = new WeakMap<LifecycleDeps, DomainsPort>()
function domainsPort(deps: LifecycleDeps): DomainsPort {
  let port = made.get(deps)
  if (!port) {
    port = createDomainsPort(deps.aws, portsFor(deps).scheduler)
    made.set(deps, port)
  }
  return port
}

/** The domain names of apigw.yaml that map `api`'s `stage`. */
export function domainsFor(config: ProjectConfig, api: string, stage: string): Array<[string, DomainConfig]> {
  return Object.entries(config.domains ?? {}).filter(([, d]) => d.mappings.some((m) => m.api === api && m.stage === stage))
}

/** Refuse, before any call, a REGIONAL domain name whose certificate is not in the region the API goes to. */
export function checkDomainRegions(config: ProjectConfig, api: string, stage: string, region: string, configPath: string): void {
  for (const [name, d] of domainsFor(config, api, stage)) {
    const problem = certificateRegionProblem(name, d, region)
    if (problem) {
      throw new CliError('CONFIG_INVALID', `${configPath}: ${problem}`, {
        hint:
          `Use an ACM certificate issued in ${(d.endpointType ?? 'REGIONAL') === 'EDGE' ? 'us-east-1' : region}, ` +
          'or deploy with --region of the certificate.',
      })
    }
  }
}

function targetOf(d: DomainName | undefined): {dnsTarget?: string | undefined; hostedZoneId?: string | undefined} {
  if (!d) return {}
  return d.regionalDomainName
    ? {dnsTarget: d.regionalDomainName, hostedZoneId: d.regionalHostedZoneId}
    : {dnsTarget: d.distributionDomainName, hostedZoneId: d.distributionHostedZoneId}
}

/**
 * Bring the domain names that map `api`'s `stage` to apigw.yaml (nothing is called on a dry run but reads).
 * `apiIds` names the deployed id of every API of apigw.yaml apigw could find (for reporting other mappings).
 */
export async function reconcileDomains(
  input: {
    config: ProjectConfig
    api: string
    apiType: 'rest' | 'http' | 'websocket'
    apiId: string
    stage: string
    dryRun: boolean
    prune: boolean
  },
  deps: LifecycleDeps,
): Promise<DomainOutcome[]> {
  const port = domainsPort(deps)
  const out: DomainOutcome[] = []
  for (const [domainName, d] of domainsFor(input.config, input.api, input.stage)) {
    const endpointType = d.endpointType ?? 'REGIONAL'
    const securityPolicy = d.securityPolicy ?? 'TLS_1_2'
    let current = await port.getDomainName(domainName)
    let action: DomainOutcome['action'] = 'keep'
    if (!current) {
      action = 'create'
      if (!input.dryRun) {
        current = await deps.progress.step(`Create domain name ${domainName}`, () =>
          port.v1<DomainName>('CreateDomainName', {
            domainName,
            endpointConfiguration: {types: [endpointType]},
            securityPolicy,
            ...(endpointType === 'EDGE' ? {certificateArn: d.certificateArn} : {regionalCertificateArn: d.certificateArn}),
            tags: {'apigw:domain': domainName},
          }),
        )
      }
    } else {
      const patch: Array<{op: 'replace'; path: string; value: string}> = []
      const currentType = current.endpointConfiguration?.types?.[0] ?? 'EDGE'
      if (currentType !== endpointType) {
        if (endpointType === 'EDGE') {
          throw new CliError('NOT_SUPPORTED', `${domainName} is REGIONAL on AWS; API Gateway cannot turn it back into EDGE.`, {
            hint: `Set endpointType: REGIONAL for ${domainName} in apigw.yaml, or delete and recreate the domain name.`,
          })
        }
        patch.push({op: 'replace', path: '/regionalCertificateArn', value: d.certificateArn})
        patch.push({op: 'replace', path: '/endpointConfiguration/types/0', value: 'REGIONAL'})
      } else if (endpointType === 'EDGE' && current.certificateArn !== d.certificateArn) {
        patch.push({op: 'replace', path: '/certificateArn', value: d.certificateArn})
      } else if (endpointType === 'REGIONAL' && current.regionalCertificateArn !== d.certificateArn) {
        patch.push({op: 'replace', path: '/regionalCertificateArn', value: d.certificateArn})
      }
      if ((current.securityPolicy ?? 'TLS_1_2') !== securityPolicy)
        patch.push({op: 'replace', path: '/securityPolicy', value: securityPolicy})
      if (patch.length > 0) {
        action = 'update'
        if (!input.dryRun) {
          current = await deps.progress.step(`Update domain name ${domainName}`, () =>
            port.v1<DomainName>('UpdateDomainName', {domainName, patchOperations: patch}),
          )
        }
      }
    }
    const mappings = await reconcileMappings(
      domainName,
      d,
      current !== undefined && action !== 'create' ? port : undefined,
      input,
      deps,
      port,
    )
    out.push({domainName, endpointType, action, ...targetOf(current), mappings})
  }
  return out
}

async function reconcileMappings(
  domainName: string,
  d: DomainConfig,
  existing: DomainsPort | undefined,
  input: Parameters<typeof reconcileDomains>[0],
  deps: LifecycleDeps,
  port: DomainsPort,
): Promise<DomainMappingOutcome[]> {
  // What the domain name maps now (none when it is new or, on a dry run, not made yet).
  const actual = existing ? await port.apiMappings(domainName) : []
  const byKey = new Map(actual.map((m) => [normaliseBasePath(m.ApiMappingKey), m]))
  const wanted = new Map(d.mappings.map((m) => [normaliseBasePath(m.basePath), m]))
  const out: DomainMappingOutcome[] = []
  const rest = input.apiType === 'rest'
  for (const [basePath, m] of wanted) {
    const now = byKey.get(basePath)
    if (m.api !== input.api || m.stage !== input.stage) {
      out.push({basePath, api: m.api, stage: m.stage, action: 'other'})
      continue
    }
    const same = now && now.ApiId === input.apiId && now.Stage === input.stage
    const action: DomainMappingOutcome['action'] = same ? 'keep' : now ? 'update' : 'create'
    out.push({basePath, api: m.api, stage: m.stage, action})
    if (input.dryRun || same) continue
    const label = `${action === 'create' ? 'Map' : 'Remap'} ${domainName}/${basePath || '(none)'} to ${input.api} ${input.stage}`
    await deps.progress.step(label, async () => {
      if (rest) {
        if (!now) {
          await port.v1('CreateBasePathMapping', {domainName, basePath: basePath || '(none)', restApiId: input.apiId, stage: input.stage})
        } else {
          await port.v1('UpdateBasePathMapping', {
            domainName,
            basePath: basePath || '(none)',
            patchOperations: [
              {op: 'replace', path: '/restapiId', value: input.apiId},
              {op: 'replace', path: '/stage', value: input.stage},
            ],
          })
        }
      } else if (!now) {
        await port.v2('CreateApiMapping', {DomainName: domainName, ApiId: input.apiId, Stage: input.stage, ApiMappingKey: basePath})
      } else {
        await port.v2('UpdateApiMapping', {
          DomainName: domainName,
          ApiMappingId: now.ApiMappingId,
          ApiId: input.apiId,
          Stage: input.stage,
          ApiMappingKey: basePath,
        })
      }
    })
  }
  for (const [basePath, m] of byKey) {
    if (wanted.has(basePath)) continue
    const entry: DomainMappingOutcome = {basePath, api: m.ApiId ?? '', stage: m.Stage ?? '', action: input.prune ? 'remove' : 'extra'}
    out.push(entry)
    if (!input.prune || input.dryRun) continue
    await deps.progress.step(`Remove mapping ${domainName}/${basePath || '(none)'} (not in apigw.yaml; --prune)`, () =>
      port.v2('DeleteApiMapping', {DomainName: domainName, ApiMappingId: m.ApiMappingId}),
    )
  }
  return out.sort((a, b) => a.basePath.localeCompare(b.basePath))
}
