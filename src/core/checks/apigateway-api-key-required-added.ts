import {isObject} from '../diff/document.ts'
import type {SecurityRequirement, SpecDiff} from '../diff/types.ts'
import {draft} from './helpers.ts'
import type {Check, Draft} from './types.ts'

/** Names of schemes that are API Gateway API keys: `api_key`, or type apiKey on a document with x-amazon-apigateway-api-key-source. */
function apiKeySchemes(diff: SpecDiff, side: 'base' | 'revision'): Set<string> {
  const out = new Set<string>(['api_key'])
  const schemes = [
    ...diff.securitySchemes.modified.map((s) => s[side]),
    ...(side === 'base' ? diff.securitySchemes.removed : diff.securitySchemes.added),
  ]
  const keySource = 'x-amazon-apigateway-api-key-source' in diff.apiGateway || diff[side].apiGateway
  for (const s of schemes) if (s.node['type'] === 'apiKey' && (keySource || s.name.toLowerCase().includes('api'))) out.add(s.name)
  return out
}

function requiresKey(reqs: SecurityRequirement[] | undefined, keys: Set<string>): boolean {
  return !!reqs && reqs.length > 0 && reqs.every((r) => Object.keys(r).some((k) => keys.has(k)))
}

/** An operation now requires an API key: existing clients without one get 403. */
export const apigatewayApiKeyRequiredAdded: Check = (diff) => {
  const out: Draft[] = []
  const baseKeys = apiKeySchemes(diff, 'base')
  const revKeys = apiKeySchemes(diff, 'revision')
  for (const op of diff.operations.modified) {
    const flag = (v: unknown) => isObject(v) && v['apiKeyRequired'] === true
    const before = requiresKey(op.base.security, baseKeys) || flag(op.base.apiGateway['x-amazon-apigateway-integration'])
    const after = requiresKey(op.revision.security, revKeys)
    if (!before && after)
      out.push(
        draft(
          'apigateway-api-key-required-added',
          op.operation,
          `${op.operation} now requires an API key.`,
          diff.revision.file,
          op.revision.securityPointer,
        ),
      )
  }
  return out
}
