/**
 * GetModelTemplate (v1 and v2, one generator): a sample Velocity mapping template that reshapes a payload into a model's
 * structure, in the form of AWS's sample (API_GetModelTemplate, "Generate the sample template from a model"):
 *
 * ```
 * #set($inputRoot = $input.path('$'))
 * {
 *   "a" : $inputRoot.a,
 *   "op" : "$inputRoot.op"
 * }
 * ```
 * Strings are quoted, numbers and booleans are not, arrays become a `#foreach` over their items. `$ref`s are
 * followed inside the schema (`#/definitions/…`) and through `resolve` for other models.
 */

type Schema = Record<string, unknown>

/** The sample template of a model's JSON schema (its text); a schema that does not parse gives the bare `#set` line. */
export function modelTemplate(schemaText: string, resolve?: (ref: string) => Schema | undefined): string {
  let root: unknown
  try {
    root = JSON.parse(schemaText)
  } catch {
    root = undefined
  }
  const head = "#set($inputRoot = $input.path('$'))"
  if (!isSchema(root)) return `${head}\n`
  return `${head}\n${render(root, root, '$inputRoot', '', 0, resolve)}`
}

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v)

function deref(root: Schema, schema: Schema, resolve: ((ref: string) => Schema | undefined) | undefined, hops = 0): Schema {
  const ref = schema.$ref
  if (typeof ref !== 'string' || hops > 20) return schema
  let target: unknown
  if (ref.startsWith('#/')) {
    target = root
    for (const part of ref.slice(2).split('/')) {
      const key = part.replaceAll('~1', '/').replaceAll('~0', '~')
      target = isSchema(target) ? target[key] : undefined
    }
  }
  // Not inside the schema: another model of the API (v1 names them by URL or as `#/definitions/Name`).
  if (!isSchema(target)) target = resolve?.(ref)
  return isSchema(target) ? deref(root, target, resolve, hops + 1) : {}
}

function typeOf(schema: Schema): string {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type
  if (typeof t === 'string') return t
  if (isSchema(schema.properties)) return 'object'
  if (schema.items !== undefined) return 'array'
  return 'string'
}

const member = (expr: string, key: string): string =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${expr}.${key}` : `${expr}.get('${key.replaceAll("'", "''")}')`

function render(
  root: Schema,
  raw: Schema,
  expr: string,
  indent: string,
  depth: number,
  resolve: ((ref: string) => Schema | undefined) | undefined,
): string {
  const schema = deref(root, raw, resolve)
  const type = typeOf(schema)
  // Recursive models stop after a few levels with the value as it is.
  if (depth > 8) return expr
  if (type === 'object') {
    const props = isSchema(schema.properties) ? Object.entries(schema.properties) : []
    if (props.length === 0) return '{}'
    const inner = `${indent}  `
    const lines = props.map(([key, sub]) => {
      const value = isSchema(sub) ? render(root, sub, member(expr, key), inner, depth + 1, resolve) : `"${member(expr, key)}"`
      return `${inner}${JSON.stringify(key)} : ${value}`
    })
    return `{\n${lines.join(',\n')}\n${indent}}`
  }
  if (type === 'array') {
    const items = isSchema(schema.items) ? schema.items : {}
    const elem = depth === 0 ? '$elem' : `$elem${depth}`
    const inner = `${indent}  `
    const value = render(root, items, elem, inner, depth + 1, resolve)
    return `[\n#foreach(${elem} in ${expr})\n${inner}${value}#if($foreach.hasNext),#end\n#end\n${indent}]`
  }
  if (type === 'number' || type === 'integer' || type === 'boolean') return expr
  return `"${expr}"`
}
