import {isObject, type SpecDocument} from './document.ts'
import type {JsonObject} from './types.ts'

/** Keywords that give a schema its own shape: a wrapper carrying one of them is not a mere annotation of its branch. */
const STRUCTURAL = ['type', 'properties', 'items', 'oneOf', 'anyOf', 'additionalProperties', 'enum', 'not', '$ref', 'const']

/** True for `{type: 'null'}` (or `{type: ['null']}`, `{enum: [null]}`, `{const: null}`): the 3.1 way to add null to a union. */
function isNullBranch(node: unknown): boolean {
  if (!isObject(node)) return false
  const keys = Object.keys(node).filter((k) => k !== 'description' && k !== 'title')
  if (keys.length !== 1) return false
  const t = node['type']
  if (t === 'null' || (Array.isArray(t) && t.length === 1 && t[0] === 'null')) return true
  const e = node['enum']
  if (Array.isArray(e) && e.length === 1 && e[0] === null) return true
  return 'const' in node && node['const'] === null
}

/**
 * The schema as its meaning, not its form, for the shapes that refactorings produce:
 * - `{allOf: [X], nullable: true}` (the 3.0 way to annotate a $ref) is X with the wrapper's own keywords;
 * - `{anyOf: [X, {type: 'null'}]}` or `oneOf` (the 3.1 way to make a $ref nullable) is X made nullable.
 * Pointers follow the branch, so findings point where the keywords are written.
 */
export function normaliseSchema(doc: SpecDocument, node: JsonObject, pointer: string): {node: JsonObject; pointer: string} {
  let current = node
  let at = pointer
  for (let depth = 0; depth < 8; depth++) {
    const allOf = current['allOf']
    if (Array.isArray(allOf) && allOf.length === 1 && !STRUCTURAL.some((k) => k in current)) {
      const inner = doc.resolve<unknown>(allOf[0], `${at}/allOf/0`)
      if (!isObject(inner.node)) break
      const {allOf: _allOf, ...own} = current
      current = {...inner.node, ...own}
      at = inner.pointer
      continue
    }
    const union = (['anyOf', 'oneOf'] as const).find((k) => Array.isArray(current[k]))
    if (union && !((union === 'anyOf' ? 'oneOf' : 'anyOf') in current)) {
      const list = current[union] as unknown[]
      const nulls = list.filter((b) => isNullBranch(doc.resolve<unknown>(b, '').node))
      const rest = list.filter((b) => !nulls.includes(b))
      const own = Object.keys(current).filter((k) => k !== union)
      if (nulls.length > 0 && rest.length === 1 && !own.some((k) => STRUCTURAL.includes(k))) {
        const index = list.indexOf(rest[0])
        const inner = doc.resolve<unknown>(rest[0], `${at}/${union}/${index}`)
        if (!isObject(inner.node)) break
        const {[union]: _union, ...ownKeys} = current
        current = {...inner.node, ...ownKeys, nullable: true}
        at = inner.pointer
        continue
      }
    }
    break
  }
  return {node: current, pointer: at}
}

/** Keywords that never change what a schema accepts: left out of structural keys. */
const ANNOTATIONS = new Set(['description', 'title', 'example', 'examples', 'externalDocs', '$comment', 'xml', '$id', '$schema', 'id'])
const KEPT_EXTENSIONS = new Set(['x-extensible-enum', 'x-stability-level', 'x-sunset'])
/** Keywords whose value is one schema, a list of schemas, or a map of schemas. */
const SCHEMA_ONE = new Set(['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else'])
const SCHEMA_SET = new Set(['allOf', 'anyOf', 'oneOf'])
const SCHEMA_MAP = new Set(['properties', 'patternProperties', 'dependentSchemas'])

/**
 * Structural keys of schemas, to match branches of allOf/anyOf/oneOf by what they mean: a $ref and the same
 * schema inline, branches in another order, `type: [x, 'null']` and `nullable: true`, enums in another order
 * and annotations (description, examples) give equal keys. Keys are small interned numbers shared by both
 * documents, memoised per schema object, so each schema of a document is keyed once. A $ref met again while
 * its own key is being built (a cycle) keys as its pointer. Equal keys pair branches; the pair is then still
 * compared in full, so a key never hides a change.
 */
export class SchemaKeys {
  private readonly interned = new Map<string, number>()
  private readonly memo = new WeakMap<SpecDocument, WeakMap<object, number>>()
  private readonly building = new Set<object>()

  of(doc: SpecDocument, raw: unknown): number {
    let memo = this.memo.get(doc)
    if (!memo) {
      memo = new WeakMap()
      this.memo.set(doc, memo)
    }
    return this.key(doc, memo, raw)
  }

  private intern(text: string): number {
    let id = this.interned.get(text)
    if (id === undefined) {
      id = this.interned.size
      this.interned.set(text, id)
    }
    return id
  }

  private key(doc: SpecDocument, memo: WeakMap<object, number>, raw: unknown): number {
    const resolved = doc.resolve<unknown>(raw, '')
    const node = resolved.node
    if (!isObject(node)) return this.intern(`v${JSON.stringify(node) ?? 'undefined'}`)
    const known = memo.get(node)
    if (known !== undefined) return known
    if (this.building.has(node)) return this.intern(`r${resolved.ref ?? '?'}`)
    this.building.add(node)
    const schema = normaliseSchema(doc, node, '').node
    const parts: string[] = []
    const {types, nullable} = typesOfSchema(schema)
    parts.push(`type=${types.join(',')}${nullable ? ',null' : ''}`)
    for (const k of Object.keys(schema).sort()) {
      if (k === 'type' || k === 'nullable' || ANNOTATIONS.has(k) || (k.startsWith('x-') && !KEPT_EXTENSIONS.has(k))) continue
      const v = schema[k]
      if (k === 'enum' && Array.isArray(v)) {
        const values = v.filter((x) => !(nullable && x === null)).map(canonicalValue)
        parts.push(`enum=[${[...new Set(values)].sort().join(',')}]`)
      } else if (k === 'required' && Array.isArray(v)) parts.push(`required=[${[...new Set(v.map(String))].sort().join(',')}]`)
      else if (SCHEMA_SET.has(k) && Array.isArray(v)) {
        // A 3.0 list of types (oneOf: [{type: a}, {type: b}]) is already in `type`.
        if (k !== 'allOf' && types.length > 1 && schema['type'] === undefined) continue
        parts.push(`${k}=[${v.map((b) => this.key(doc, memo, b)).sort((a, b) => a - b)}]`)
      } else if (SCHEMA_ONE.has(k) && isObject(v)) parts.push(`${k}=${this.key(doc, memo, v)}`)
      else if (SCHEMA_MAP.has(k) && isObject(v))
        parts.push(
          `${k}={${Object.keys(v)
            .sort()
            .map((name) => `${JSON.stringify(name)}:${this.key(doc, memo, v[name])}`)
            .join(',')}}`,
        )
      else if (k === 'prefixItems' && Array.isArray(v)) parts.push(`${k}=[${v.map((b) => this.key(doc, memo, b))}]`)
      else parts.push(`${k}=${canonicalValue(v)}`)
    }
    this.building.delete(node)
    const id = this.intern(parts.join(';'))
    memo.set(node, id)
    return id
  }
}

/** Types without 'null' (sorted) and whether null is allowed, for 3.0 (`nullable`) and 3.1 (`type` lists) alike. */
export function typesOfSchema(schema: JsonObject): {types: string[]; nullable: boolean} {
  const raw = schema['type']
  const list = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : (simpleTypeList(schema) ?? [])
  const nullable = schema['nullable'] === true || list.includes('null')
  return {types: [...new Set(list.filter((t) => t !== 'null'))].sort(), nullable}
}

/** oneOf/anyOf whose branches are only `{type: X}`: a list of types written the 3.0 way. */
export function simpleTypeList(schema: JsonObject): string[] | undefined {
  if (schema['type'] !== undefined) return undefined
  for (const k of ['oneOf', 'anyOf']) {
    const list = schema[k]
    if (
      Array.isArray(list) &&
      list.length > 1 &&
      list.every((b) => isObject(b) && typeof b['type'] === 'string' && Object.keys(b).every((x) => x === 'type' || x === 'format'))
    )
      return list.map((b) => String((b as JsonObject)['type']))
  }
  return undefined
}

/** Stable text of a JSON value (sorted keys), for set membership of enum values. */
export function canonicalValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalValue).join(',')}]`
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalValue(value[k])}`)
      .join(',')}}`
  return JSON.stringify(value) ?? 'undefined'
}
