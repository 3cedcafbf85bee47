/**
 * The static reference page of a stage (`apigw docs`): the stage's exported OpenAPI document made ready for the
 * page (the invoke URL as its one server, the API-key header said where methods need a key, AWS's extensions
 * dropped), and the HTML that hands it to Swagger UI. The layout is Swagger UI's; this module only wires it. The
 * spec travels as a script beside the page (`spec.js`), since a page opened from a file URL may not fetch.
 */

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The Swagger UI files the page loads, copied from the swagger-ui-dist package. */
export const RENDERER_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'LICENSE', 'NOTICE'] as const

export type PageInput = {
  /** The stage's OpenAPI 3 (or Swagger 2) document, as exported. */
  spec: Obj
  api: string
  stage: string
  invokeUrl: string
}

export type PreparedSpec = {spec: Obj; operations: string[]; apiKeyRequired: string[]}

const VERBS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head']
const ANY = 'x-amazon-apigateway-any-method'

function withoutExtensions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExtensions)
  if (!isObj(value)) return value
  const out: Obj = {}
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('x-amazon-apigateway-')) out[k] = withoutExtensions(v)
  return out
}

/** Does the operation need an API key: a security requirement naming an `apiKey` scheme sent as `x-api-key`? */
function needsKey(op: Obj, schemes: Obj): boolean {
  const security = Array.isArray(op.security) ? (op.security as unknown[]) : []
  return security.some(
    (req) =>
      isObj(req) &&
      Object.keys(req).some((name) => {
        const s = schemes[name]
        return isObj(s) && s.type === 'apiKey' && String(s.name).toLowerCase() === 'x-api-key'
      }),
  )
}

/**
 * The document the page shows: OpenAPI 3 gets the invoke URL as its only server (Swagger 2 its host and base path),
 * the description says where the API key goes when a method needs one, and `x-amazon-apigateway-*` members go.
 * Pure: returns a new document. `operations` lists `METHOD /path` of every operation, sorted.
 */
export function prepareSpec(input: PageInput): PreparedSpec {
  const copy = structuredClone(input.spec)
  // ANY (API Gateway's extension) is every method: shown as each method the path does not define itself.
  for (const item of Object.values(isObj(copy.paths) ? copy.paths : {})) {
    if (!isObj(item) || !isObj(item[ANY])) continue
    for (const verb of VERBS) if (!isObj(item[verb])) item[verb] = structuredClone(item[ANY])
  }
  const spec = withoutExtensions(copy) as Obj
  const oas = typeof spec.openapi === 'string'
  const schemes = ((oas ? (spec.components as Obj | undefined)?.securitySchemes : spec.securityDefinitions) ?? {}) as Obj
  const operations: string[] = []
  const apiKeyRequired: string[] = []
  for (const [path, item] of Object.entries(isObj(spec.paths) ? spec.paths : {})) {
    if (!isObj(item)) continue
    for (const verb of VERBS) {
      const op = item[verb]
      if (!isObj(op)) continue
      const name = `${verb.toUpperCase()} ${path}`
      operations.push(name)
      if (needsKey(op, schemes)) apiKeyRequired.push(name)
    }
  }
  const url = new URL(input.invokeUrl)
  if (oas) spec.servers = [{url: input.invokeUrl, description: `Stage ${input.stage} of ${input.api}`}]
  else {
    spec.host = url.host
    spec.basePath = url.pathname
    spec.schemes = [url.protocol.replace(':', '')]
  }
  const info = (isObj(spec.info) ? spec.info : {}) as Obj
  const notes = [`Invoke URL: \`${input.invokeUrl}\` (stage \`${input.stage}\`).`]
  if (apiKeyRequired.length > 0) {
    notes.push(`Methods with a lock need an API key, sent in the \`x-api-key\` header (${apiKeyRequired.length} of ${operations.length}).`)
  }
  info.description = [typeof info.description === 'string' ? info.description : '', ...notes].filter(Boolean).join('\n\n')
  spec.info = info
  return {spec, operations: operations.sort(), apiKeyRequired: apiKeyRequired.sort()}
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/** `spec.js`: the document as a script (JSON with `<` and line separators escaped, so no text ends the script). */
export function specScript(spec: Obj): string {
  const json = JSON.stringify(spec, null, 2)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
  return `window.APIGW_SPEC = ${json};\n`
}

/** `index.html`: Swagger UI over `window.APIGW_SPEC`, no network (no validator badge, no remote URL). */
export function indexHtml(input: {title: string; stage: string}): string {
  const title = escapeHtml(`${input.title} (${input.stage})`)
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="generator" content="apigw docs">
  <title>${title}</title>
  <link rel="stylesheet" href="swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="swagger-ui-bundle.js"></script>
  <script src="spec.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      spec: window.APIGW_SPEC,
      dom_id: '#swagger-ui',
      presets: [SwaggerUIBundle.presets.apis],
      layout: 'BaseLayout',
      docExpansion: 'list',
      validatorUrl: null,
      deepLinking: false,
      tryItOutEnabled: false,
    })
  </script>
</body>
</html>
`
}
