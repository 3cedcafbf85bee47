/**
 * The narrow port for exports and SDKs: GetExport, GetSdkTypes and GetSdk (REST, API Gateway v1) and
 * ExportApi (HTTP, v2). Bodies come back as bytes, exactly as AWS sent them.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_GetExport.html
 * https://docs.aws.amazon.com/apigateway/latest/api/API_GetSdk.html
 * https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-exports-specification.html
 */
import {CliError} from '../errors.ts'
import type {AwsClients} from './clients.ts'
import {type AwsErrorContext, mapAwsError, statusOf} from './errors.ts'
import {passThrough, type Scheduler} from './scheduler.ts'

export type SdkConfigurationProperty = {name: string; friendlyName?: string; description?: string; required: boolean; defaultValue?: string}
export type SdkType = {id: string; friendlyName?: string; description?: string; configurationProperties: SdkConfigurationProperty[]}

export type GetExportInput = {
  restApiId: string
  stageName: string
  exportType: 'oas30' | 'swagger'
  accepts: 'application/json' | 'application/yaml'
  extensions: string[]
}

export type ExportApiInput = {apiId: string; stageName: string; outputType: 'JSON' | 'YAML'; includeExtensions: boolean}

export type GetSdkInput = {restApiId: string; stageName: string; sdkType: string; parameters: Record<string, string>}

export type Download = {body: Uint8Array; contentType?: string | undefined; contentDisposition?: string | undefined}

export type ExportPort = {
  getExport(input: GetExportInput): Promise<Download>
  exportApi(input: ExportApiInput): Promise<Download>
  /** Every SDK type with its configuration properties (paged inside). */
  getSdkTypes(): Promise<SdkType[]>
  getSdk(input: GetSdkInput): Promise<Download>
}

type V1 = typeof import('@aws-sdk/client-api-gateway')
type V2 = typeof import('@aws-sdk/client-apigatewayv2')

/** A 501 (an operation or SDK type the emulator does not implement) is final: carried past the scheduler's retries. */
class Final extends Error {
  readonly original: unknown
  constructor(original: unknown) {
    super('final')
    this.original = original
  }
}

function toCliError(error: unknown, ctx: AwsErrorContext): CliError {
  const e = error instanceof Final ? error.original : error
  if (statusOf(e) === 501) {
    return new CliError('NOT_SUPPORTED', `${ctx.operation}: ${(e as Error).message}`, {
      hint: 'The endpoint does not implement this; see src/local/LIMITATIONS.md for the emulator, or run against AWS.',
      cause: e,
    })
  }
  return mapAwsError(e, ctx)
}

const send = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn()
  } catch (error) {
    throw statusOf(error) === 501 ? new Final(error) : error
  }
}

/** Bytes of a blob member (the SDK gives Uint8Array; tolerate strings from odd middleware). */
function bytesOf(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body
  if (typeof body === 'string') return new TextEncoder().encode(body)
  return new Uint8Array()
}

export function createExportPort(clients: AwsClients, scheduler: Scheduler = passThrough): ExportPort {
  let v1: Promise<V1> | undefined
  let v2: Promise<V2> | undefined
  const loadV1 = () => (v1 ??= import('@aws-sdk/client-api-gateway'))
  const loadV2 = () => (v2 ??= import('@aws-sdk/client-apigatewayv2'))
  const callV1 = async <T>(ctx: AwsErrorContext, make: (m: V1) => object): Promise<T> => {
    const [m, client] = await Promise.all([loadV1(), clients.apiGateway()])
    try {
      return (await scheduler.run(ctx.operation, () => send(() => client.send(make(m) as never)))) as T
    } catch (error) {
      throw toCliError(error, ctx)
    }
  }
  const callV2 = async <T>(ctx: AwsErrorContext, make: (m: V2) => object): Promise<T> => {
    const [m, client] = await Promise.all([loadV2(), clients.apiGatewayV2()])
    try {
      return (await scheduler.run(ctx.operation, () => send(() => client.send(make(m) as never)))) as T
    } catch (error) {
      throw toCliError(error, ctx)
    }
  }
  type Blob = {body?: unknown; contentType?: string; contentDisposition?: string}
  return {
    async getExport(i) {
      const out = await callV1<Blob>(
        {operation: 'GetExport', resource: `stage ${i.stageName} of REST API ${i.restApiId}`},
        (m) =>
          new m.GetExportCommand({
            restApiId: i.restApiId,
            stageName: i.stageName,
            exportType: i.exportType,
            accepts: i.accepts,
            ...(i.extensions.length > 0 ? {parameters: {extensions: i.extensions.join(',')}} : {}),
          }),
      )
      return {body: bytesOf(out.body), contentType: out.contentType, contentDisposition: out.contentDisposition}
    },
    async exportApi(i) {
      const out = await callV2<{body?: unknown}>(
        {operation: 'ExportApi', resource: `stage ${i.stageName} of HTTP API ${i.apiId}`},
        (m) =>
          new m.ExportApiCommand({
            ApiId: i.apiId,
            StageName: i.stageName,
            OutputType: i.outputType,
            Specification: 'OAS30',
            ExportVersion: '1.0',
            IncludeExtensions: i.includeExtensions,
          }),
      )
      return {body: bytesOf(out.body)}
    },
    async getSdkTypes() {
      const all: SdkType[] = []
      let position: string | undefined
      do {
        const page = await callV1<{items?: Array<Partial<SdkType>>; position?: string}>(
          {operation: 'GetSdkTypes'},
          (m) => new m.GetSdkTypesCommand({limit: 500, position}),
        )
        for (const t of page.items ?? []) {
          all.push({
            id: t.id ?? '',
            ...(t.friendlyName ? {friendlyName: t.friendlyName} : {}),
            ...(t.description ? {description: t.description} : {}),
            configurationProperties: (t.configurationProperties ?? []).map((p) => ({
              ...p,
              name: p.name ?? '',
              required: Boolean(p.required),
            })),
          })
        }
        position = page.position
      } while (position)
      return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    },
    async getSdk(i) {
      const out = await callV1<Blob>(
        {operation: 'GetSdk', resource: `${i.sdkType} SDK of stage ${i.stageName}`},
        (m) => new m.GetSdkCommand({restApiId: i.restApiId, stageName: i.stageName, sdkType: i.sdkType, parameters: i.parameters}),
      )
      return {body: bytesOf(out.body), contentType: out.contentType, contentDisposition: out.contentDisposition}
    },
  }
}
