/**
 * The port over API Gateway's custom domain names: v1 domain names and base path mappings (REST APIs), v2 API
 * mappings (HTTP and WebSocket APIs), by SDK operation name. Every call goes through the scheduler; errors become
 * CliErrors (src/aws/errors.ts), except a missing domain name, which `getDomainName` answers as undefined.
 */
import type {AwsClients} from './clients.ts'
import {mapAwsError} from './errors.ts'
import {passThrough, type Scheduler} from './scheduler.ts'

export type DomainV1Operation =
  | 'GetDomainName'
  | 'CreateDomainName'
  | 'UpdateDomainName'
  | 'GetBasePathMappings'
  | 'CreateBasePathMapping'
  | 'UpdateBasePathMapping'
  | 'DeleteBasePathMapping'
export type DomainV2Operation = 'GetApiMappings' | 'CreateApiMapping' | 'UpdateApiMapping' | 'DeleteApiMapping'

export type DomainName = {
  domainName?: string
  certificateArn?: string
  regionalCertificateArn?: string
  regionalDomainName?: string
  regionalHostedZoneId?: string
  distributionDomainName?: string
  distributionHostedZoneId?: string
  endpointConfiguration?: {types?: string[]}
  securityPolicy?: string
  domainNameStatus?: string
}
export type BasePathMapping = {basePath?: string; restApiId?: string; stage?: string}
export type ApiMapping = {ApiId?: string; ApiMappingId?: string; ApiMappingKey?: string; Stage?: string}

export type DomainsPort = {
  v1<T = Record<string, unknown>>(operation: DomainV1Operation, input: Record<string, unknown>): Promise<T>
  v2<T = Record<string, unknown>>(operation: DomainV2Operation, input: Record<string, unknown>): Promise<T>
  /** GetDomainName, or undefined when the domain name does not exist. */
  getDomainName(domainName: string): Promise<DomainName | undefined>
  /** Every base path mapping of a domain name (all pages). */
  basePathMappings(domainName: string): Promise<BasePathMapping[]>
  /** Every API mapping of a domain name (all pages). */
  apiMappings(domainName: string): Promise<ApiMapping[]>
}

type Sdk = Record<string, new (input: object) => object>

export function createDomainsPort(clients: AwsClients, scheduler: Scheduler = passThrough): DomainsPort {
  let v1Sdk: Promise<Sdk> | undefined
  let v2Sdk: Promise<Sdk> | undefined
  const loadV1 = (): Promise<Sdk> => {
    v1Sdk ??= import('@aws-sdk/client-api-gateway') as unknown as Promise<Sdk>
    return v1Sdk
  }
  const loadV2 = (): Promise<Sdk> => {
    v2Sdk ??= import('@aws-sdk/client-apigatewayv2') as unknown as Promise<Sdk>
    return v2Sdk
  }
  const v1 = async <T>(operation: DomainV1Operation, input: Record<string, unknown>): Promise<T> => {
    const [m, client] = await Promise.all([loadV1(), clients.apiGateway()])
    const Command = m[`${operation}Command`]!
    try {
      return (await scheduler.run(operation, () => client.send(new Command(input) as never))) as T
    } catch (error) {
      throw mapAwsError(error, {operation, resource: `domain name ${String(input.domainName ?? '')}`})
    }
  }
  const v2 = async <T>(operation: DomainV2Operation, input: Record<string, unknown>): Promise<T> => {
    const [m, client] = await Promise.all([loadV2(), clients.apiGatewayV2()])
    const Command = m[`${operation}Command`]!
    try {
      return (await scheduler.run(operation, () => client.send(new Command(input) as never))) as T
    } catch (error) {
      throw mapAwsError(error, {operation, resource: `domain name ${String(input.DomainName ?? '')}`})
    }
  }
  return {
    v1,
    v2,
    async getDomainName(domainName) {
      try {
        return await v1<DomainName>('GetDomainName', {domainName})
      } catch (error) {
        if ((error as {code?: string}).code === 'AWS_NOT_FOUND') return undefined
        throw error
      }
    },
    async basePathMappings(domainName) {
      const out: BasePathMapping[] = []
      let position: string | undefined
      do {
        const page = await v1<{items?: BasePathMapping[]; position?: string}>('GetBasePathMappings', {domainName, limit: 500, position})
        out.push(...(page.items ?? []))
        position = page.position
      } while (position)
      return out
    },
    async apiMappings(domainName) {
      const out: ApiMapping[] = []
      let next: string | undefined
      do {
        const page = await v2<{Items?: ApiMapping[]; NextToken?: string}>('GetApiMappings', {
          DomainName: domainName,
          MaxResults: '500',
          NextToken: next,
        })
        out.push(...(page.Items ?? []))
        next = page.NextToken
      } while (next)
      return out
    },
  }
}
