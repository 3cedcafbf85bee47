/**
 * velocityjs (the Velocity engine) with API Gateway's differences around it. The engine parses and runs the
 * template; this subclass changes only how values print, compare and are looked up, and bounds loops:
 * - a reference renders Java's toString (maps `{a=1}`, lists as JSON) and a null or missing one renders nothing;
 * - `==` compares as Velocity 1.7 does (by toString across types; null equals null and "");
 * - properties are read from a value's own members only (a template never reaches JavaScript prototypes), header
 *   maps case-insensitively, and methods on data are Java's (java.ts);
 * - `#foreach` stops after 1,000 iterations (AWS's quota, Velocity's `directive.foreach.maxloops`), and a whole
 *   render is bounded in loop iterations and output size so a template can never hang the emulator.
 */
import {Compile, parse} from 'velocityjs'
import {callJavaMethod, isPlainObject, JavaCallError, mapGet, renderValue, velocityEquals} from './java.ts'
import {InputVariable, UtilVariable} from './variables.ts'

type Ast = Parameters<Compile['renderAstList']>[0] extends (infer A)[] | undefined ? A : never
type AnyAst = Ast & Record<string, unknown>

/** AWS quota: iterations of one `#foreach` in a mapping template. */
export const MAX_FOREACH_ITERATIONS = 1000
/** Our own bound on all loop iterations of one render (nested loops), so a template cannot run for minutes. */
export const MAX_TOTAL_ITERATIONS = 200_000
/** Our own bound on a rendered template: API Gateway's 10 MB payload quota. */
export const MAX_OUTPUT_CHARS = 10 * 1024 * 1024
/** Our own bound on a range literal `[1..n]`. */
const MAX_RANGE = 100_000

/** A bound of ours was crossed; the chain answers it as any other template failure. */
export class TemplateLimitError extends Error {}

/** The mixin methods of velocityjs's Compile that the published type does not declare. */
type Mixins = {
  getAttributes(this: Compile, property: AnyAst, baseRef: unknown, ast: AnyAst): unknown
  getArray(this: Compile, literal: AnyAst): unknown[]
}
const base = Compile.prototype as unknown as Mixins

/** Marks a `#set` value already evaluated (see setValue). */
const PRESET = 'aws:preset'

/** Velocity 1.7's truth in #if, `!`, `&&`, `||`: everything but null and false is true. */
export const velocityTruthy = (v: unknown): boolean => v !== null && v !== undefined && v !== false

const isHost = (v: unknown): boolean => v instanceof InputVariable || v instanceof UtilVariable

let loopIds = 0

/** One render of one parsed template (velocityjs keeps render state on the instance). */
export class AwsCompile extends Compile {
  #iterations = 0

  constructor(asts: Ast[]) {
    super(asts, {
      customMethodHandlers: [
        {
          uid: 'aws: java methods on template data',
          match: ({context}) => !isHost(context) && context !== null && context !== undefined && typeof context !== 'function',
          resolve: ({context, property, params}) => callJavaMethod(context, property, params).value,
        },
      ],
    })
  }

  /** `$ref` in output: Java's toString, nothing for null. Elsewhere (arguments, #set), the value itself. */
  protected override getReferences(ast: Ast, isVal?: boolean): string {
    const value: unknown = super.getReferences(ast, isVal)
    // Rendered silently (see renderTemplate), so an undefined reference is already '' here.
    return isVal ? renderValue(value) : (value as string)
  }

  /** Property and index reads: own members only, header maps case-insensitive, no functions. */
  getAttributes(property: AnyAst, baseRef: unknown, ast: AnyAst): unknown {
    if (baseRef === null || baseRef === undefined) return undefined
    if (property.type === 'method') return base.getAttributes.call(this, property, baseRef, ast)
    let key: unknown
    if (property.type === 'property') key = property.id
    else {
      const id = property.id as AnyAst
      key = id.type === 'references' ? this.getReferences(id as Ast) : id.value
    }
    let value: unknown
    if (Array.isArray(baseRef)) {
      const i = Number(key)
      value = property.type === 'index' && Number.isInteger(i) && i >= 0 ? baseRef[i] : undefined
    } else if (isPlainObject(baseRef)) value = mapGet(baseRef, key)
    else if (isHost(baseRef) && typeof key === 'string' && Object.hasOwn(baseRef as object, key)) {
      value = (baseRef as Record<string, unknown>)[key]
    }
    return typeof value === 'function' ? undefined : value
  }

  protected override getExpression(ast: Ast): string {
    const a = ast as AnyAst
    if (a.type === 'math') {
      const [l, r] = a.expression as Ast[]
      switch (a.operator) {
        case '==':
        case '!=': {
          const eq = velocityEquals(this.getExpression(l!), this.getExpression(r!))
          return (a.operator === '==' ? eq : !eq) as unknown as string
        }
        case 'not':
          return !velocityTruthy(this.getExpression(l!)) as unknown as string
        case '&&':
          return (velocityTruthy(this.getExpression(l!)) && velocityTruthy(this.getExpression(r!))) as unknown as string
        case '||':
          return (velocityTruthy(this.getExpression(l!)) || velocityTruthy(this.getExpression(r!))) as unknown as string
      }
    }
    return super.getExpression(ast)
  }

  /** velocityjs's #if/#elseif/#else with Velocity 1.7's truth: only null and false are false ("" and 0 are true). */
  getBlockIf(block: AnyAst[]): string {
    let chosen: Ast[] | undefined
    let current: Ast[] | undefined
    for (const ast of block) {
      if (ast.type === 'if' || ast.type === 'elseif' || ast.type === 'else') {
        if (chosen) break
        if (ast.type === 'else' || velocityTruthy(this.getExpression(ast.condition as Ast))) {
          chosen = []
          current = chosen
        } else current = undefined
        continue
      }
      current?.push(ast as Ast)
    }
    return chosen ? this.renderAstList(chosen, this.contextId) : ''
  }

  /** A value evaluated once before velocityjs's #set sees it. */
  protected override getLiteral(ast: Ast): string {
    const a = ast as AnyAst
    if ((a.type as string) === PRESET) return (a as {value: unknown}).value as string
    return super.getLiteral(ast)
  }

  /** Velocity 1.7: `#set` with a null (or undefined) right-hand side leaves the target as it was. */
  protected override setValue(ast: Parameters<Compile['setValue']>[0]): void {
    const valAst = ast.equal[1] as AnyAst
    const value: unknown = valAst.type === 'math' ? this.getExpression(valAst as Ast) : this.getLiteral(valAst as Ast)
    if (value === null || value === undefined) return
    super.setValue({...ast, equal: [ast.equal[0], {type: PRESET, value} as unknown as Ast]} as typeof ast)
  }

  getArray(literal: AnyAst): unknown[] {
    if (literal.isRange === true) {
      const [from, to] = (literal.value as unknown[]).map((exp) =>
        typeof exp === 'string' ? Number.parseInt(exp, 10) : typeof exp === 'number' ? exp : Number(this.getLiteral(exp as Ast)),
      )
      if (Math.abs((to ?? 0) - (from ?? 0)) > MAX_RANGE)
        throw new TemplateLimitError(`Range [${from}..${to}] is larger than ${MAX_RANGE} items`)
    }
    return base.getArray.call(this, literal)
  }

  /** velocityjs's #foreach, with AWS's 1,000-iteration stop and our render-wide bounds. */
  getBlockEach(block: AnyAst[]): string {
    const ast = block[0]!
    const from: unknown = this.getLiteral({...(ast.from as object), pos: ast.pos} as unknown as Ast)
    const body = block.slice(1) as Ast[]
    const name = ast.to as string
    const all = Array.isArray(from) ? from : isPlainObject(from) ? Object.values(from) : []
    const items = all.length > MAX_FOREACH_ITERATIONS ? all.slice(0, MAX_FOREACH_ITERATIONS) : all
    const contextId = `foreach:aws:${++loopIds}`
    const local: Record<string, unknown> = {}
    let out = ''
    for (let i = 0; i < items.length; i++) {
      if (this.runState.break || this.runState.stop) break
      if (++this.#iterations > MAX_TOTAL_ITERATIONS) {
        throw new TemplateLimitError(`The template ran more than ${MAX_TOTAL_ITERATIONS} loop iterations`)
      }
      local[name] = items[i]
      local.foreach = {count: i + 1, index: i, hasNext: i + 1 < items.length, first: i === 0, last: i + 1 === items.length}
      local.velocityCount = i + 1
      this.local[contextId] = local
      out += this.renderAstList(body, contextId)
      if (out.length > MAX_OUTPUT_CHARS) throw new TemplateLimitError('The template output is larger than 10 MB')
    }
    if (items.length > 0) {
      this.runState.break = false
      this.local[contextId] = {}
      this.conditions.shift()
      this.contextId = this.conditions[0] || ''
    }
    return out
  }
}

const cache = new Map<string, Ast[]>()
const CACHE_MAX = 500

/** Parse once per template text (deployments reuse their templates on every request). */
export function parseTemplate(template: string): Ast[] {
  const hit = cache.get(template)
  if (hit) return hit
  const asts = parse(template) as Ast[]
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string)
  cache.set(template, asts)
  return asts
}

export {JavaCallError}
