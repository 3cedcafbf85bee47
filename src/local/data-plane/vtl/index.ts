/**
 * Mapping templates of REST APIs: `renderTemplate(template, input)` renders one Velocity template as API Gateway
 * does, with `$input`, `$util`, `$context` (including `requestOverride`/`responseOverride` set through `#set`) and
 * `$stageVariables`. Pure: no I/O, no clock; the caller builds the input from the invocation.
 * AWS reference: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 */
import {AwsCompile, MAX_OUTPUT_CHARS, parseTemplate, TemplateLimitError} from './engine.ts'
import {isPlainObject, javaToString, JavaCallError} from './java.ts'
import {BodyNotJsonError, InputVariable, type TemplateParams, UtilVariable} from './variables.ts'

export type {TemplateParams} from './variables.ts'

/** What a template reads. `context` is the `$context` tree (requestId, apiId, stage, identity{…}, authorizer{…}, error{…}…). */
export type TemplateInput = {
  /** Raw payload text (request body, or the integration's response body in a response template). */
  body: string
  /** Method request parameters; header names keep the client's casing and are looked up case-insensitively. */
  params: TemplateParams
  stageVariables: Record<string, string>
  context: Record<string, unknown>
  /**
   * `context` was built for this render alone and shares no object with anything else: the template's `#set`s may
   * change it in place, so no copy is made (otherwise the tree is copied first).
   */
  contextOwned?: boolean
}

export type RequestOverride = {header: Record<string, string>; path: Record<string, string>; querystring: Record<string, string>}
export type ResponseOverride = {status?: number; header: Record<string, string>}

export type TemplateResult = {output: string; requestOverride: RequestOverride; responseOverride: ResponseOverride}

/**
 * Why a template could not be rendered. `body-not-json`: the template read the payload as JSON and it is not
 * (AWS answers 400 on the request side); the rest are configuration errors (500 `Internal server error`, with an
 * execution-log line).
 */
export type TemplateErrorKind = 'syntax' | 'body-not-json' | 'runtime' | 'limit'

export class TemplateError extends Error {
  readonly kind: TemplateErrorKind
  constructor(kind: TemplateErrorKind, message: string, options?: {cause?: unknown}) {
    super(message, options)
    this.name = 'TemplateError'
    this.kind = kind
  }
}

const stringMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {}
  if (!isPlainObject(v)) return out
  for (const [k, val] of Object.entries(v)) {
    if (val === null || val === undefined) continue
    // A list (`["a", "b"]`) becomes a multi-value header or query string, comma-joined.
    out[k] = Array.isArray(val) ? val.map((x) => javaToString(x)).join(',') : javaToString(val)
  }
  return out
}

function overridesOf(ctx: Record<string, unknown>): {requestOverride: RequestOverride; responseOverride: ResponseOverride} {
  const req = isPlainObject(ctx.requestOverride) ? ctx.requestOverride : {}
  const res = isPlainObject(ctx.responseOverride) ? ctx.responseOverride : {}
  const responseOverride: ResponseOverride = {header: stringMap(res.header)}
  const status = Number(typeof res.status === 'string' ? res.status.trim() : res.status)
  if (res.status !== null && res.status !== undefined && res.status !== '' && Number.isInteger(status)) responseOverride.status = status
  return {
    requestOverride: {header: stringMap(req.header), path: stringMap(req.path), querystring: stringMap(req.querystring)},
    responseOverride,
  }
}

/** velocityjs's parse error (`Parse error on line 1:\n#if(\n---^\nExpecting …`) on one line. */
function syntaxMessage(message: string): string {
  const lines = message.split('\n')
  return lines.length > 1 ? `${lines[0]} ${lines[lines.length - 1]}` : message
}

function classify(e: unknown): TemplateError {
  if (e instanceof TemplateError) return e
  if (e instanceof BodyNotJsonError) return new TemplateError('body-not-json', e.message, {cause: e})
  if (e instanceof TemplateLimitError) return new TemplateError('limit', e.message, {cause: e})
  if (e instanceof RangeError) return new TemplateError('limit', 'The template recursed too deeply', {cause: e})
  if (e instanceof JavaCallError) return new TemplateError('runtime', e.message, {cause: e})
  return new TemplateError('runtime', (e as Error)?.message ?? String(e), {cause: e})
}

/**
 * A deep copy of the `$context` tree, so `#set` in a template never reaches the caller's objects. Plain objects and
 * arrays are copied by hand (several times faster than structuredClone on this small tree, which is built per
 * request); anything else that is not a primitive goes through structuredClone, as the whole tree used to.
 */
export function cloneTree(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(cloneTree)
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return structuredClone(value)
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(value)) out[k] = cloneTree((value as Record<string, unknown>)[k])
  return out
}

/**
 * Render one mapping template. Throws `TemplateError` (never anything else) when the template cannot be parsed or
 * run; the caller turns it into AWS's answer.
 */
export function renderTemplate(template: string, input: TemplateInput): TemplateResult {
  let asts: ReturnType<typeof parseTemplate>
  try {
    asts = parseTemplate(template)
  } catch (e) {
    throw new TemplateError('syntax', `Template syntax error: ${syntaxMessage((e as Error).message)}`, {cause: e})
  }
  const context = input.contextOwned ? input.context : (cloneTree(input.context) as Record<string, unknown>)
  const req = isPlainObject(context.requestOverride) ? context.requestOverride : {}
  context.requestOverride = {header: {}, path: {}, querystring: {}, ...req}
  const res = isPlainObject(context.responseOverride) ? context.responseOverride : {}
  context.responseOverride = {header: {}, ...res}
  // A null-prototype root: `$toString` or `$constructor` are plain missing variables, as in Java.
  const root: Record<string, unknown> = Object.assign(Object.create(null) as object, {
    input: new InputVariable(input.body, input.params),
    util: new UtilVariable(),
    context,
    stageVariables: {...input.stageVariables},
  })
  let output: string
  try {
    output = new AwsCompile(asts).render(root, {}, true)
  } catch (e) {
    throw classify(e)
  }
  if (output.length > MAX_OUTPUT_CHARS) throw new TemplateError('limit', 'The template output is larger than 10 MB')
  return {output, ...overridesOf(context)}
}
