/**
 * A stage's published documentation in an exported OpenAPI/Swagger document: the properties OpenAPI has a place for
 * (info, summary, description, tags, parameter/response/model descriptions) merged into the entities they document,
 * and, with `extensions=documentation`, the parts themselves under `x-amazon-apigateway-documentation`.
 * AWS docs: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-documenting-api-content-representation.html
 * and "Export API documentation" (GetExport `?extensions=documentation`). Pure: works on the document it is given.
 */
type Obj = Record<string, unknown>

export type ExportedPart = {
  location: {type: string; path?: string; method?: string; statusCode?: string; name?: string}
  properties: string
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const OPERATION_KEYS = ['summary', 'description', 'tags', 'deprecated', 'externalDocs']
const VERBS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'x-amazon-apigateway-any-method']

function parse(properties: string): Obj {
  try {
    const value = JSON.parse(properties) as unknown
    return isObj(value) ? value : {}
  } catch {
    return {}
  }
}

/** The operations a location names: every method of its path for `*`, else the one it names. */
function operations(doc: Obj, path: string | undefined, method: string | undefined): Obj[] {
  const item = (doc.paths as Obj | undefined)?.[path ?? '/']
  if (!isObj(item)) return []
  const verbs = !method || method === '*' ? VERBS : [method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase()]
  return verbs.map((v) => item[v]).filter(isObj)
}

function pick(props: Obj, keys: readonly string[]): Obj {
  return Object.fromEntries(Object.entries(props).filter(([k]) => keys.includes(k)))
}

/** Wildcards first, so a part naming one method or status code overrides one that names them all. */
const specificity = (p: ExportedPart): number =>
  (p.location.method && p.location.method !== '*' ? 1 : 0) + (p.location.statusCode && p.location.statusCode !== '*' ? 1 : 0)

/**
 * Merge the parts into `doc` (built by buildExport) and, when `withExtension`, add the parts as AWS exports them.
 * `version` and `createdDate` describe the stage's documentation version.
 */
export function applyDocumentation(
  doc: Obj,
  parts: readonly ExportedPart[],
  options: {version: string; createdDate: Date; withExtension: boolean},
): void {
  const oas = typeof doc.openapi === 'string'
  const components = (oas ? (doc.components as Obj | undefined) : doc) ?? {}
  const schemas = (oas ? components.schemas : components.definitions) as Obj | undefined
  const schemes = (oas ? components.securitySchemes : components.securityDefinitions) as Obj | undefined
  for (const part of [...parts].sort((a, b) => specificity(a) - specificity(b))) {
    const props = parse(part.properties)
    const {type, path, method, statusCode, name} = part.location
    switch (type) {
      case 'API': {
        const info = isObj(props.info) ? props.info : pick(props, ['description', 'title', 'termsOfService', 'contact', 'license'])
        doc.info = {...(doc.info as Obj), ...info}
        break
      }
      case 'RESOURCE': {
        const item = (doc.paths as Obj | undefined)?.[path ?? '/']
        if (oas && isObj(item)) Object.assign(item, pick(props, ['summary', 'description']))
        break
      }
      case 'METHOD':
        for (const op of operations(doc, path, method)) Object.assign(op, pick(props, OPERATION_KEYS))
        break
      case 'PATH_PARAMETER':
      case 'QUERY_PARAMETER':
      case 'REQUEST_HEADER': {
        const where = type === 'PATH_PARAMETER' ? 'path' : type === 'QUERY_PARAMETER' ? 'query' : 'header'
        for (const op of operations(doc, path, method)) {
          const params = Array.isArray(op.parameters) ? (op.parameters as Obj[]) : []
          for (const p of params) if (p.name === name && p.in === where) Object.assign(p, pick(props, ['description', 'example']))
        }
        break
      }
      case 'REQUEST_BODY':
        for (const op of operations(doc, path, method)) {
          if (oas && isObj(op.requestBody)) Object.assign(op.requestBody, pick(props, ['description']))
          const body = Array.isArray(op.parameters) ? (op.parameters as Obj[]).find((p) => p.in === 'body') : undefined
          if (body) Object.assign(body, pick(props, ['description']))
        }
        break
      case 'RESPONSE':
      case 'RESPONSE_HEADER':
      case 'RESPONSE_BODY':
        for (const op of operations(doc, path, method)) {
          const responses = isObj(op.responses) ? op.responses : {}
          for (const [code, response] of Object.entries(responses)) {
            if (!isObj(response) || (statusCode && statusCode !== '*' && statusCode !== code)) continue
            if (type === 'RESPONSE') Object.assign(response, pick(props, ['description']))
            const header = type === 'RESPONSE_HEADER' && isObj(response.headers) ? response.headers[name ?? ''] : undefined
            if (isObj(header)) Object.assign(header, pick(props, ['description']))
          }
        }
        break
      case 'MODEL': {
        const schema = schemas?.[name ?? '']
        if (isObj(schema)) Object.assign(schema, pick(props, ['description', 'title', 'example']))
        break
      }
      case 'AUTHORIZER': {
        const scheme = schemes?.[name ?? '']
        if (isObj(scheme)) Object.assign(scheme, pick(props, ['description']))
        break
      }
    }
  }
  if (options.withExtension) {
    doc['x-amazon-apigateway-documentation'] = {
      version: options.version,
      createdDate: options.createdDate.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      documentationParts: parts.map((p) => ({location: p.location, properties: parse(p.properties)})),
    }
  }
}
