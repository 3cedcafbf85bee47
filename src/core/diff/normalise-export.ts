/**
 * What API Gateway's export changes in a spec, removed from both sides before a `stage:` diff, so that a
 * spec diffed against the stage it was just deployed to reports nothing: the title, version and servers AWS
 * writes, descriptions and summaries, the import/export version marker, and the defaults AWS fills in on
 * integrations. Pure: returns a new document.
 */
const INTEGRATION_DEFAULTS: Record<string, unknown> = {
  passthroughBehavior: 'when_no_match',
  connectionType: 'INTERNET',
  timeoutInMillis: undefined, // compared separately: 29000 (REST) and 30000 (HTTP) are the defaults
  cacheNamespace: undefined,
  cacheKeyParameters: [],
  payloadFormatVersion: '1.0',
}
const DROPPED_KEYS = new Set(['description', 'summary', 'x-amazon-apigateway-importexport-version', 'example', 'examples'])

export function normaliseForStageDiff(doc: Record<string, unknown>, apiType: 'rest' | 'http'): Record<string, unknown> {
  const out = strip(structuredClone(doc), apiType) as Record<string, unknown>
  delete out.servers
  out.info = {title: 'api', version: '0'}
  return out
}

function strip(node: unknown, apiType: 'rest' | 'http', key?: string): unknown {
  if (Array.isArray(node)) return node.map((v) => strip(v, apiType))
  if (node === null || typeof node !== 'object') return node
  const obj = node as Record<string, unknown>
  for (const k of Object.keys(obj)) {
    // `description` is a property name inside schemas' `properties`: keep those.
    if (DROPPED_KEYS.has(k) && key !== 'properties' && typeof obj[k] !== 'object') delete obj[k]
    else if (k === 'x-amazon-apigateway-integration' && obj[k] && typeof obj[k] === 'object') obj[k] = normaliseIntegration(obj[k] as Record<string, unknown>, apiType)
    else obj[k] = strip(obj[k], apiType, k)
  }
  return obj
}

function normaliseIntegration(integration: Record<string, unknown>, apiType: 'rest' | 'http'): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(integration)) {
    if (k === 'type' && typeof v === 'string') {
      out.type = v.toLowerCase()
      continue
    }
    if (k === 'httpMethod' && typeof v === 'string') {
      out.httpMethod = v.toUpperCase()
      continue
    }
    if (k === 'timeoutInMillis' && Number(v) === (apiType === 'rest' ? 29000 : 30000)) continue
    if (k in INTEGRATION_DEFAULTS && JSON.stringify(INTEGRATION_DEFAULTS[k]) === JSON.stringify(v)) continue
    if (k === 'responses' && v && typeof v === 'object' && Object.keys(v).length === 0) continue
    out[k] = v
  }
  return out
}
