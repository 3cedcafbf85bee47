/**
 * What API Gateway's export changes in a spec, removed from both sides before a `stage:` diff, so that a
 * spec diffed against the stage it was just deployed to reports nothing: the title, version and servers AWS
 * writes, descriptions and summaries, the import/export version marker, and the defaults AWS fills in on
 * integrations. And what an import does not keep, so it cannot differ: REST keeps no `default` responses;
 * an HTTP API keeps routes, integrations, authorizers and CORS only (no parameters, bodies or responses).
 * Pure: returns a new document.
 */
import {foreignExtensions} from '../apigateway-facts.ts'

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
  const paths = (out.paths ?? {}) as Record<string, Record<string, unknown>>
  for (const item of Object.values(paths)) {
    if (!item || typeof item !== 'object') continue
    if (apiType === 'http') delete item.parameters
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== 'object' || method === 'parameters') continue
      const operation = op as Record<string, unknown>
      if (apiType === 'http') {
        for (const k of ['parameters', 'requestBody', 'responses', 'tags']) delete operation[k]
      } else {
        if (operation.responses && typeof operation.responses === 'object') delete (operation.responses as Record<string, unknown>).default
        // `x-amazon-apigateway-auth: {type: AWS_IAM}` imports as IAM auth, which the export writes as a sigv4 scheme.
        const auth = operation['x-amazon-apigateway-auth'] as {type?: unknown} | undefined
        if (auth && String(auth.type).toUpperCase() === 'AWS_IAM') {
          delete operation['x-amazon-apigateway-auth']
          const security = Array.isArray(operation.security) ? (operation.security as Array<Record<string, unknown>>) : []
          if (!security.some((r) => 'sigv4' in r)) operation.security = [...security, {sigv4: []}]
          out.components ??= {}
          const components = out.components as Record<string, unknown>
          components.securitySchemes ??= {}
          const schemes = components.securitySchemes as Record<string, unknown>
          schemes.sigv4 ??= {type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4'}
        }
      }
    }
  }
  if (apiType === 'http') {
    // Schemas live only in what was dropped above; security schemes stay (authorizers).
    const components = out.components as Record<string, unknown> | undefined
    if (components)
      for (const k of Object.keys(components)) if (k !== 'securitySchemes' && k !== 'x-amazon-apigateway-integrations') delete components[k]
  }
  return out
}

function strip(node: unknown, apiType: 'rest' | 'http', key?: string): unknown {
  if (Array.isArray(node)) return node.map((v) => strip(v, apiType))
  if (node === null || typeof node !== 'object') return node
  const obj = node as Record<string, unknown>
  for (const k of Object.keys(obj)) {
    // `description` is a property name inside schemas' `properties`: keep those.
    if (DROPPED_KEYS.has(k) && key !== 'properties' && typeof obj[k] !== 'object') delete obj[k]
    // The other API type's extensions are ignored by the import, so the stage never has them (apigateway-facts).
    else if (foreignExtensions(apiType).includes(k) && key !== 'properties') delete obj[k]
    else if (k === 'x-amazon-apigateway-integration' && obj[k] && typeof obj[k] === 'object')
      obj[k] = normaliseIntegration(obj[k] as Record<string, unknown>, apiType)
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
