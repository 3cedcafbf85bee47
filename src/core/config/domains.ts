/**
 * apigw.yaml's `domains:` and private APIs, checked beyond the JSON Schema, before any call: a mapping names an API
 * and a stage apigw.yaml declares, a base path is used once per domain name, an EDGE certificate is in us-east-1
 * (CloudFront's), HTTP and WebSocket APIs only on REGIONAL domain names with TLS_1_2, a WebSocket API on a domain name
 * of its own (no REST or HTTP mappings next to it), and a PRIVATE REST API has a resource
 * policy (AWS refuses to deploy one without). The certificate of a REGIONAL domain name must be in the APIs' region,
 * which only the command knows: `certificateRegionProblem` is called with it.
 */
import {closest} from '../words.ts'
import {pointerOf} from '../findings.ts'
import {createLocator} from '../spec/locate.ts'
import {InputProblem} from '../spec/problem.ts'

export type DomainMappingConfig = {api: string; stage: string; basePath?: string}
export type DomainConfig = {
  certificateArn: string
  endpointType?: 'REGIONAL' | 'EDGE'
  securityPolicy?: 'TLS_1_0' | 'TLS_1_2'
  mappings: DomainMappingConfig[]
}

/** The base path as AWS keeps it: no leading or trailing '/', '' for the whole domain. */
export const normaliseBasePath = (p: string | undefined): string => (p ?? '').replace(/^\/+|\/+$/g, '')

/** The region of an ACM certificate ARN. */
export const certificateRegion = (arn: string): string | undefined => /^arn:aws[a-z-]*:acm:([a-z0-9-]+):/.exec(arn)?.[1]

/** Why a domain's certificate cannot serve its endpoint type in `region` (undefined when it can). */
export function certificateRegionProblem(name: string, domain: DomainConfig, region: string): string | undefined {
  const certRegion = certificateRegion(domain.certificateArn)
  const type = domain.endpointType ?? 'REGIONAL'
  const needed = type === 'EDGE' ? 'us-east-1' : region
  if (certRegion === needed) return undefined
  return (
    `domains.${name}.certificateArn is in ${certRegion ?? 'no region'}, ` +
    `but a${type === 'EDGE' ? 'n EDGE' : ' REGIONAL'} domain name needs ` +
    `a certificate in ${needed}${type === 'EDGE' ? " (CloudFront's region)" : ' (the region its APIs are deployed to)'}.`
  )
}

/** The parts of apigw.yaml these checks read (config.ts's ProjectConfig has them). */
type ConfigLike = {
  apis: Record<
    string,
    {type?: string; endpointType?: string; policy?: unknown; vpcEndpointIds?: string[]; stages?: Record<string, unknown>}
  >
  domains?: Record<string, DomainConfig>
}

/** Throw CONFIG_INVALID (file:line:column, the key, a hint) for the first problem of `domains:` or a private API. */
export function checkDomainsAndPrivateApis(path: string, text: string, config: ConfigLike): void {
  let locate: ReturnType<typeof createLocator> | undefined
  const fail = (tokens: string[], message: string, hint: string): never => {
    locate ??= createLocator(path, text)
    const pos = locate(pointerOf(tokens)) ?? {line: 1, column: 1}
    throw new InputProblem('CONFIG_INVALID', `${path}:${pos.line}:${pos.column}: ${message}`, {
      hint,
      details: {file: path, line: pos.line, column: pos.column, key: tokens.join('.')},
    })
  }
  for (const [name, api] of Object.entries(config.apis)) {
    if (api.type === 'websocket') continue
    const type = api.type ?? 'rest'
    if (type !== 'rest' && (api.policy !== undefined || api.vpcEndpointIds !== undefined)) {
      const key = api.policy !== undefined ? 'policy' : 'vpcEndpointIds'
      fail(['apis', name, key], `apis.${name}.${key} is for REST APIs: ${name} is an HTTP API.`, `Remove ${key} from ${name}.`)
    }
    if (api.vpcEndpointIds !== undefined && api.endpointType !== 'PRIVATE') {
      fail(
        ['apis', name, 'vpcEndpointIds'],
        `apis.${name}.vpcEndpointIds is for PRIVATE APIs; ${name} is ${api.endpointType ?? 'REGIONAL'}.`,
        `Set endpointType: PRIVATE on ${name}, or remove vpcEndpointIds.`,
      )
    }
    if (api.endpointType === 'PRIVATE' && api.policy === undefined) {
      fail(
        ['apis', name, 'endpointType'],
        `apis.${name} is a PRIVATE API without a resource policy: API Gateway refuses to deploy it.`,
        `Add policy: to ${name} (inline, or a file path), e.g. one allowing execute-api:Invoke from aws:SourceVpce ` +
          `${api.vpcEndpointIds?.[0] ?? 'vpce-0123456789abcdef0'}.`,
      )
    }
  }
  const apiNames = Object.keys(config.apis)
  for (const [domain, d] of Object.entries(config.domains ?? {})) {
    const type = d.endpointType ?? 'REGIONAL'
    if (type === 'EDGE') {
      const problem = certificateRegionProblem(domain, d, 'us-east-1')
      if (problem)
        fail(['domains', domain, 'certificateArn'], problem, 'Use an ACM certificate issued in us-east-1, or endpointType: REGIONAL.')
    }
    const seen = new Map<string, number>()
    d.mappings.forEach((m, i) => {
      const at = ['domains', domain, 'mappings', String(i)]
      const api = config.apis[m.api]
      if (!api) {
        const guess = closest(m.api, apiNames)
        fail(
          [...at, 'api'],
          `domains.${domain}.mappings[${i}] maps "${m.api}", which is no API of apigw.yaml${guess ? ` (did you mean "${guess}"?)` : ''}.`,
          `Use one of the APIs: ${apiNames.join(', ')}.`,
        )
      }
      const stages = Object.keys(api!.stages ?? {})
      if (!stages.includes(m.stage)) {
        const guess = closest(m.stage, stages)
        fail(
          [...at, 'stage'],
          `domains.${domain}.mappings[${i}] maps stage "${m.stage}" of ${m.api}, which apigw.yaml does not declare` +
            `${guess ? ` (did you mean "${guess}"?)` : ''}.`,
          `Use one of ${m.api}'s stages: ${stages.join(', ') || '(none: add one under apis.' + m.api + '.stages)'}.`,
        )
      }
      const basePath = normaliseBasePath(m.basePath)
      const before = seen.get(basePath)
      if (before !== undefined) {
        fail(
          [...at, 'basePath'],
          `domains.${domain}.mappings[${i}] uses the base path "${basePath || '(none)'}" of mappings[${before}]: ` +
            'a base path maps one API stage.',
          'Give each mapping its own basePath.',
        )
      }
      seen.set(basePath, i)
      if (basePath === '' && d.mappings.length > 1) {
        fail(
          [...at, 'basePath'],
          `domains.${domain}.mappings[${i}] has no base path next to other mappings: API Gateway allows the empty base path ` +
            'only as the one mapping of a domain name.',
          'Give this mapping a basePath, or keep it alone on its domain name.',
        )
      }
      if (api!.type !== 'rest' && api!.type !== undefined) {
        if (type === 'EDGE') {
          fail(
            [...at, 'api'],
            `domains.${domain} is EDGE, and ${m.api} is ${api!.type === 'http' ? 'an HTTP' : 'a WebSocket'} API: ` +
              'those map to REGIONAL domain names only.',
            `Set endpointType: REGIONAL on ${domain}.`,
          )
        }
        if (basePath.includes('/')) {
          fail([...at, 'basePath'], `domains.${domain}.mappings[${i}]: multi-level base paths are for REST APIs only.`, 'Use one segment.')
        }
        if (d.securityPolicy === 'TLS_1_0') {
          fail(
            ['domains', domain, 'securityPolicy'],
            `domains.${domain} has securityPolicy TLS_1_0, and ${m.api} is ${api!.type === 'http' ? 'an HTTP' : 'a WebSocket'} API: ` +
              'API Gateway supports only TLS_1_2 on domain names of HTTP and WebSocket APIs.',
            `Set securityPolicy: TLS_1_2 on ${domain} (or leave it out: TLS_1_2 is the default).`,
          )
        }
      }
    })
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-custom-domain-names.html:
    // "If you map a custom domain name to a WebSocket API, you can't map it to a REST API or an HTTP API."
    const types = d.mappings.map((m) => config.apis[m.api]?.type ?? 'rest')
    const ws = types.indexOf('websocket')
    const other = types.findIndex((t) => t !== 'websocket')
    if (ws >= 0 && other >= 0) {
      const wsApi = d.mappings[ws]!.api
      const otherApi = d.mappings[other]!.api
      fail(
        ['domains', domain, 'mappings', String(Math.max(ws, other)), 'api'],
        `domains.${domain} maps the WebSocket API ${wsApi} and the ${types[other] === 'http' ? 'HTTP' : 'REST'} API ${otherApi}: ` +
          'API Gateway does not map a domain name of a WebSocket API to REST or HTTP APIs.',
        'Give the WebSocket API a domain name of its own (e.g. ws.example.com).',
      )
    }
  }
}
