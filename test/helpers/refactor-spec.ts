/**
 * Refactorings of an OpenAPI 3.0 document that change nothing for any client, for equivalence tests of `diff`:
 * `inline` writes each $ref to a component schema as a copy of it (one level deep, never a recursive one),
 * `reverse` reverses the branches of anyOf/oneOf/allOf and the values of enums, `to31` writes 3.0's
 * `nullable: true` as 3.1's type lists with 'null' (and null in a nullable enum). Returns a new document.
 */
type Node = unknown
type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const SCHEMA_ONE = ['schema', 'items', 'not', 'additionalProperties']
const SCHEMA_LIST = ['anyOf', 'oneOf', 'allOf']

export function refactorSpec(doc: Obj, how: {inline?: boolean; reverse?: boolean; to31?: boolean}): Obj {
  const out = structuredClone(doc)
  const components = isObj(out['components']) ? out['components'] : {}
  const schemas = isObj(components['schemas']) ? components['schemas'] : {}
  const target = (ref: string) => schemas[ref.slice('#/components/schemas/'.length).replaceAll('~1', '/').replaceAll('~0', '~')]
  const walk = (node: Node, inSchema: boolean, inlined: boolean): Node => {
    if (Array.isArray(node)) return node.map((n) => walk(n, inSchema, inlined))
    if (!isObj(node)) return node
    const ref = node['$ref']
    if (inSchema && how.inline && !inlined && typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      const t = target(ref)
      if (isObj(t) && Object.keys(node).length === 1 && !JSON.stringify(t).includes(`"${ref}"`)) return walk(structuredClone(t), true, true)
    }
    const o: Obj = {}
    for (const [k, v] of Object.entries(node)) {
      if (inSchema && SCHEMA_LIST.includes(k) && Array.isArray(v))
        o[k] = (how.reverse ? [...v].reverse() : v).map((b) => walk(b, true, inlined))
      else if (inSchema && k === 'enum' && Array.isArray(v)) o[k] = how.reverse ? [...v].reverse() : v
      else if (inSchema && k === 'properties' && isObj(v))
        o[k] = Object.fromEntries(Object.entries(v).map(([name, p]) => [name, walk(p, true, inlined)]))
      else o[k] = walk(v, inSchema || SCHEMA_ONE.includes(k), inlined)
    }
    if (inSchema && how.to31 && o['nullable'] === true && typeof o['type'] === 'string') {
      o['type'] = [o['type'], 'null']
      delete o['nullable']
      if (Array.isArray(o['enum']) && !o['enum'].includes(null)) o['enum'] = [...o['enum'], null]
    }
    return o
  }
  out['paths'] = walk(out['paths'], false, false)
  if (isObj(out['components']) && isObj(components['schemas']))
    (out['components'] as Obj)['schemas'] = Object.fromEntries(Object.entries(schemas).map(([n, s]) => [n, walk(s, true, true)]))
  if (how.to31 && typeof out['openapi'] === 'string' && out['openapi'].startsWith('3.0')) out['openapi'] = '3.1.0'
  return out
}
