/**
 * WebSocket API selection expressions
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-selection-expressions.html):
 * parsed once, evaluated on each message. A route selection expression reads the JSON body (`$request.body.action`,
 * or `${request.body.a}` parts inside literal text); a route response selection expression is `$default` only.
 */

export type ExpressionPart = {literal: string} | {body: string[]}

export type ParsedExpression = {ok: true; parts: ExpressionPart[]} | {ok: false; error: string}

const PATH = /^[A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*$/

/** Parse a route (or template) selection expression into literal text and `$request.body` paths. */
export function parseSelectionExpression(expression: string): ParsedExpression {
  const whole = /^\$request\.body\.(.+)$/.exec(expression)
  if (whole) {
    if (!PATH.test(whole[1]!)) return {ok: false, error: `"${whole[1]}" is not a JSON path of the message body (e.g. action, message.type)`}
    return {ok: true, parts: [{body: whole[1]!.split('.')}]}
  }
  const parts: ExpressionPart[] = []
  let rest = expression
  while (rest !== '') {
    const start = rest.indexOf('${')
    if (start === -1) {
      parts.push({literal: rest})
      break
    }
    if (start > 0) parts.push({literal: rest.slice(0, start)})
    const end = rest.indexOf('}', start)
    if (end === -1) return {ok: false, error: '"${" has no closing "}"'}
    const inner = rest.slice(start + 2, end)
    const m = /^request\.body\.(.+)$/.exec(inner)
    if (!m || !PATH.test(m[1]!)) return {ok: false, error: `"\${${inner}}" is not \${request.body.PATH}`}
    parts.push({body: m[1]!.split('.')})
    rest = rest.slice(end + 1)
  }
  if (!parts.some((p) => 'body' in p)) {
    if (/^\\?\$default$/.test(expression)) return {ok: true, parts: [{literal: '$default'}]}
    return {ok: false, error: 'it reads nothing from the message: use $request.body.NAME or ${request.body.NAME}'}
  }
  return {ok: true, parts}
}

/**
 * The route key a message selects, or undefined when the body is not a JSON object or a path is missing
 * (AWS then uses `$default`). Scalars are turned into text as AWS does (`1` → "1", `true` → "true").
 */
export function evaluateSelection(parts: ExpressionPart[], body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined
  let out = ''
  for (const part of parts) {
    if ('literal' in part) {
      out += part.literal
      continue
    }
    let node: unknown = body
    for (const key of part.body) {
      if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined
      node = (node as Record<string, unknown>)[key]
    }
    if (node === null || node === undefined) return undefined
    out += typeof node === 'object' ? JSON.stringify(node) : String(node)
  }
  return out
}

/** Route response selection: AWS accepts only `$default` for WebSocket APIs. */
export function validRouteResponseSelection(expression: string): boolean {
  return expression === '$default'
}
