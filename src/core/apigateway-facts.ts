/**
 * What API Gateway's OpenAPI import honours, in one table: the OpenAPI versions each API type imports, the
 * x-amazon-apigateway-* extensions of each API type, the integration types, and the base-path modes with
 * the base path a document declares. `validate` (core/rules), the emulator's two importers
 * (local/openapi/import.ts, local/control-plane/v2/openapi-import.ts), export and diff read it from here.
 * Sources: reference/aws-facts.md §3 and §5;
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api-basePath.html
 */

export type GatewayApiType = 'rest' | 'http'

/**
 * OpenAPI versions each import reads. REST: Swagger 2.0 and OpenAPI 3.0 ("Currently, API Gateway supports
 * OpenAPI v2.0 and OpenAPI v3.0 definition files", api-gateway-import-api.html); a 3.1 document is answered
 * `400 Invalid OpenAPI input.` HTTP APIs: OpenAPI 3.0 only.
 */
export const IMPORTED_VERSIONS: Record<GatewayApiType, readonly string[]> = {rest: ['2.0', '3.0'], http: ['3.0']}

/** Extensions a REST API import reads and an HTTP API import ignores. */
export const REST_ONLY_EXTENSIONS: readonly string[] = [
  'x-amazon-apigateway-api-key-source',
  'x-amazon-apigateway-auth',
  'x-amazon-apigateway-binary-media-types',
  'x-amazon-apigateway-documentation',
  'x-amazon-apigateway-endpoint-access-mode',
  'x-amazon-apigateway-gateway-responses',
  'x-amazon-apigateway-minimum-compression-size',
  'x-amazon-apigateway-policy',
  'x-amazon-apigateway-request-validator',
  'x-amazon-apigateway-request-validators',
  'x-amazon-apigateway-security-policy',
]

/** Extensions an HTTP API import reads and a REST API import ignores. */
export const HTTP_ONLY_EXTENSIONS: readonly string[] = [
  'x-amazon-apigateway-cors',
  'x-amazon-apigateway-importexport-version',
  'x-amazon-apigateway-integrations',
]

/** Extensions the other API type's import ignores. */
export function foreignExtensions(apiType: GatewayApiType): readonly string[] {
  return apiType === 'rest' ? HTTP_ONLY_EXTENSIONS : REST_ONLY_EXTENSIONS
}

/**
 * `x-amazon-apigateway-integration.type` values each import accepts (lower case, as specs write them). HTTP
 * APIs: "HTTP APIs support only Lambda proxy and HTTP proxy integrations" (AWS service integrations are
 * aws_proxy with an integrationSubtype).
 */
export const INTEGRATION_TYPES: Record<GatewayApiType, readonly string[]> = {
  rest: ['aws', 'aws_proxy', 'http', 'http_proxy', 'mock'],
  http: ['aws_proxy', 'http_proxy'],
}

/** How an import treats the base path: `basepath=ignore|prepend|split` (v1 `parameters`, v2 `Basepath`). */
export const BASE_PATH_MODES = ['ignore', 'prepend', 'split'] as const
export type BasePathMode = (typeof BASE_PATH_MODES)[number]

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The base path a document declares: Swagger's `basePath`; in OpenAPI 3 the first server's `basePath` variable
 * (its default), else the path of the first server's url with its variables at their defaults. '' when none.
 */
export function declaredBasePath(doc: Obj): string {
  let base = ''
  if (doc.swagger !== undefined) base = typeof doc.basePath === 'string' ? doc.basePath : ''
  else {
    const server = Array.isArray(doc.servers) && isObj(doc.servers[0]) ? doc.servers[0] : undefined
    const vars = server && isObj(server.variables) ? server.variables : {}
    const baseVar = isObj(vars.basePath) && typeof vars.basePath.default === 'string' ? vars.basePath.default : undefined
    if (baseVar !== undefined) base = baseVar
    else if (server && typeof server.url === 'string') {
      const url = server.url.replace(/\{([^}]+)\}/g, (_m, name: string) => {
        const v = vars[name]
        return isObj(v) && typeof v.default === 'string' ? v.default : ''
      })
      try {
        base = new URL(url, 'https://placeholder.invalid').pathname
      } catch {
        base = ''
      }
    }
  }
  const segments = base.split('/').filter(Boolean)
  return segments.length > 0 ? `/${segments.join('/')}` : ''
}

/** The path the base-path mode puts in front of every resource path or route ('' when none). */
export function basePathPrefix(doc: Obj, mode: BasePathMode): string {
  if (mode === 'ignore') return ''
  const segments = declaredBasePath(doc).split('/').filter(Boolean)
  const kept = mode === 'split' ? segments.slice(1) : segments
  return kept.length > 0 ? `/${kept.join('/')}` : ''
}
