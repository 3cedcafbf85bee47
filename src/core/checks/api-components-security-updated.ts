import {draft, show} from './helpers.ts'
import type {Check, Draft} from './types.ts'

/** Security schemes added, removed, or changed (type, OAuth URLs, scopes). */
export const apiComponentsSecurityUpdated: Check = (diff) => {
  const out: Draft[] = []
  const rf = diff.revision.file
  for (const s of diff.securitySchemes.removed)
    out.push(draft('api-security-component-removed', undefined, `The security scheme '${s.name}' was removed.`, diff.base.file, s.pointer))
  for (const s of diff.securitySchemes.added)
    out.push(draft('api-security-component-added', undefined, `The security scheme '${s.name}' was added.`, rf, s.pointer))
  for (const s of diff.securitySchemes.modified) {
    const at = s.revision.pointer
    if (s.type)
      out.push(
        draft(
          'api-security-component-type-changed',
          undefined,
          `The type of security scheme '${s.name}' changed from ${show(s.type.from)} to ${show(s.type.to)}.`,
          rf,
          at,
        ),
      )
    if (s.tokenUrl)
      out.push(draft('api-security-component-oauth-token-url-changed', undefined, `The OAuth token URL of '${s.name}' changed.`, rf, at))
    if (s.authorizationUrl)
      out.push(draft('api-security-component-oauth-url-changed', undefined, `The OAuth authorization URL of '${s.name}' changed.`, rf, at))
    for (const scope of s.scopes?.added ?? [])
      out.push(draft('api-security-component-oauth-scope-added', undefined, `The OAuth scope '${scope}' was added to '${s.name}'.`, rf, at))
    for (const scope of s.scopes?.removed ?? [])
      out.push(
        draft('api-security-component-oauth-scope-removed', undefined, `The OAuth scope '${scope}' was removed from '${s.name}'.`, rf, at),
      )
  }
  return out
}
