/**
 * Local `$ref`s (`#/...`) inside one document, for readers that hold a single body (the emulator's
 * importers): follow one lazily, or dereference the parts a reader needs with
 * @apidevtools/json-schema-ref-parser (circular references left as they are). Nothing outside the document
 * is ever followed.
 */
import {parsePointer} from '../findings.ts'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The value at a JSON pointer (`#/a/b~1c`), or undefined. */
export function valueAtPointer(root: unknown, pointer: string): unknown {
  let node = root
  for (const token of parsePointer(pointer)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[token]
    if (node === undefined) return undefined
  }
  return node
}

/** Follow local `$ref`s from `value` until a node that is not one (at most `maxHops`; a dangling ref stays as it is). */
export function followLocalRef(doc: unknown, value: unknown, maxHops = 20): unknown {
  let current = value
  for (let hop = 0; hop < maxHops; hop++) {
    if (!isObj(current) || typeof current.$ref !== 'string' || !current.$ref.startsWith('#')) return current
    const target = valueAtPointer(doc, current.$ref)
    if (target === undefined) return current
    current = target
  }
  return current
}

/** Replace every local `$ref` in a copy of `doc` by what it points to; throws the library's error on a dangling ref. */
export async function dereferenceLocal<T extends Obj>(doc: T): Promise<T> {
  const {default: $RefParser} = await import('@apidevtools/json-schema-ref-parser')
  return (await $RefParser.dereference(
    structuredClone(doc) as never,
    {resolve: {external: false}, dereference: {circular: 'ignore'}} as never,
  )) as unknown as T
}
