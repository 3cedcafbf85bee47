/** The function a reference names: a plain name, any Lambda ARN form, or an API Gateway integration URI. */

export type FunctionRef = {name: string; qualifier?: string; region?: string; accountId?: string}

const INTEGRATION_URI = /^arn:[^:]+:apigateway:([^:]*):lambda:path\/\d{4}-\d{2}-\d{2}\/functions\/(.+?)\/invocations\/?$/
const FUNCTION_ARN = /^arn:[^:]+:lambda:([^:]*):([^:]*):function:([^:]+)(?::([^:]+))?$/
const PARTIAL_ARN = /^(\d{12}):function:([^:]+)(?::([^:]+))?$/
const NAME_QUALIFIER = /^([A-Za-z0-9_-]+):([A-Za-z0-9_$-]+)$/

/**
 * Parse a function reference as Lambda and API Gateway accept it. The inner ARN of an integration URI may
 * be percent-encoded (`arn%3Aaws%3Alambda…`), as some templates write it.
 */
export function parseFunctionRef(ref: string): FunctionRef {
  let text = ref.trim()
  const uri = INTEGRATION_URI.exec(text)
  if (uri) text = safeDecode(uri[2]!)
  const arn = FUNCTION_ARN.exec(text)
  if (arn) return withOptional({name: arn[3]!}, {region: arn[1], accountId: arn[2], qualifier: arn[4]})
  const partial = PARTIAL_ARN.exec(text)
  if (partial) return withOptional({name: partial[2]!}, {accountId: partial[1], qualifier: partial[3]})
  const named = NAME_QUALIFIER.exec(text)
  if (named) return {name: named[1]!, qualifier: named[2]!}
  return {name: text}
}

function withOptional(
  ref: FunctionRef,
  extra: {region?: string | undefined; accountId?: string | undefined; qualifier?: string | undefined},
): FunctionRef {
  if (extra.region) ref.region = extra.region
  if (extra.accountId) ref.accountId = extra.accountId
  if (extra.qualifier) ref.qualifier = extra.qualifier
  return ref
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
