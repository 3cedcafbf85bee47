import type {SchemaDiff} from '../diff/types.ts'
import type {Draft} from './types.ts'

export type SchemaVisit = {
  diff: SchemaDiff
  /** 'a/b' for nested properties, '' at the root of the body or parameter. */
  path: string
  /** Property name of this node in its parent object, if any. */
  name?: string
  parent?: SchemaDiff
}

/**
 * Walk a schema diff and every changed sub-schema under it (properties, items, allOf/anyOf/oneOf,
 * additionalProperties), breadth first. A shared (memoised $ref) diff node is visited once, at its shortest
 * path, so a change in a component used in many places of one body is reported once, and cycles end.
 */
export function walkSchema(root: SchemaDiff, visit: (v: SchemaVisit) => void): void {
  const seen = new Set<SchemaDiff>([root])
  const queue: SchemaVisit[] = [{diff: root, path: ''}]
  const push = (v: SchemaVisit) => {
    if (seen.has(v.diff)) return
    seen.add(v.diff)
    queue.push(v)
  }
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!
    visit(v)
    const d = v.diff
    if (d.properties)
      for (const [name, sub] of Object.entries(d.properties.modified)) push({diff: sub, path: join(v.path, name), name, parent: d})
    if (d.items) push({diff: d.items, path: join(v.path, 'items'), parent: d})
    if (d.additionalProperties?.diff) push({diff: d.additionalProperties.diff, path: join(v.path, 'additionalProperties'), parent: d})
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = d[k]
      if (list) for (const m of list.modified) push({diff: m.diff, path: v.path, parent: d, ...(v.name ? {name: v.name} : {})})
    }
  }
}

export function join(path: string, name: string): string {
  return path ? `${path}/${name}` : name
}

export function show(value: unknown): string {
  if (value === undefined) return 'none'
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value)
}

export function isJsonMediaType(mediaType: string): boolean {
  const m = mediaType.toLowerCase().split(';')[0]!.trim()
  return m === 'application/json' || m.endsWith('+json') || m === '*/*'
}

export function isSuccess(status: string): boolean {
  return /^2/.test(status)
}

export function draft(id: string, operation: string | undefined, message: string, file: string, pointer: string): Draft {
  return operation === undefined ? {id, message, location: {file, pointer}} : {id, operation, message, location: {file, pointer}}
}
