/**
 * Local `$ref`s that point at nothing, as API Gateway's importers report them: a parse warning per reference,
 * `Parse issue: attribute paths.'/update'(get).responses.200.content.schema.#/components/schemas/Missing is missing`
 * (the wording of its OpenAPI parser; the media type of a `content` map is left out, as AWS does). With
 * failOnWarnings the import is refused with them; without, they are returned among the warnings.
 */
import {valueAtPointer} from '../../core/spec/refs.ts'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'x-amazon-apigateway-any-method'])

/** The parser's name of a place in the document: `paths.'/p'(get).responses.200.content.schema`. */
function location(keys: readonly string[]): string {
  const out: string[] = []
  let i = 0
  if (keys[0] === 'paths' && keys.length >= 2) {
    const method = keys[2]
    if (method !== undefined && METHODS.has(method)) {
      out.push(`paths.'${keys[1]}'(${method})`)
      i = 3
    } else {
      out.push(`paths.'${keys[1]}'`)
      i = 2
    }
  }
  for (; i < keys.length; i++) {
    out.push(keys[i]!)
    // `content.application/json.schema` is named `content.schema`.
    if (keys[i] === 'content' && i + 1 < keys.length) i++
  }
  return out.join('.')
}

/** Warnings for every local `$ref` of the document whose target does not exist, in document order. */
export function danglingRefWarnings(doc: unknown): string[] {
  const warnings: string[] = []
  const seen = new Set<unknown>()
  const walk = (node: unknown, keys: string[]): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return
    seen.add(node)
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        walk(item, [...keys, String(i)])
      })
      return
    }
    const ref = (node as Obj).$ref
    if (typeof ref === 'string' && ref.startsWith('#/') && valueAtPointer(doc, ref) === undefined) {
      warnings.push(`Parse issue: attribute ${location(keys)}.${ref} is missing`)
    }
    for (const [k, v] of Object.entries(node as Obj)) if (k !== '$ref' && (isObj(v) || Array.isArray(v))) walk(v, [...keys, k])
  }
  walk(doc, [])
  return warnings
}
