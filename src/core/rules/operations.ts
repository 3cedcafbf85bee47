/** Walking a spec's operations, following $refs into the file where each node really is. */
import {pointerOf} from '../findings.ts'
import {isExampleData, type Spec} from '../spec/load.ts'

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const
export const ANY_METHOD = 'x-amazon-apigateway-any-method'

export type Located<T> = {value: T; file: string; pointer: string}

export type Operation = {
  path: string
  method: string
  operation: Record<string, unknown>
  pathItem: Record<string, unknown>
  file: string
  /** Pointer of the operation object in `file`. */
  pointer: string
  pathItemFile: string
  pathItemPointer: string
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** Follow $refs (up to a depth) from a node; returns the node where it lands and its location. */
export function deref<T = unknown>(spec: Spec, value: unknown, file: string, pointer: string): Located<T> | undefined {
  let current: Located<unknown> = {value, file, pointer}
  for (let depth = 0; depth < 32; depth++) {
    const v = current.value
    if (!isObject(v) || typeof v.$ref !== 'string') return current as Located<T>
    const target = spec.resolveRef(v.$ref, current.file)
    if (!target) return undefined
    current = target
  }
  return undefined
}

/** Every operation of the spec, in path order then method order. */
export function listOperations(spec: Spec): Operation[] {
  const out: Operation[] = []
  const paths = spec.doc.paths
  if (!isObject(paths)) return out
  for (const path of Object.keys(paths)) {
    const item = deref<Record<string, unknown>>(spec, paths[path], spec.file, pointerOf(['paths', path]))
    if (!item || !isObject(item.value)) continue
    for (const method of [...HTTP_METHODS, ANY_METHOD]) {
      const op = item.value[method]
      if (!isObject(op)) continue
      out.push({
        path,
        method: method === ANY_METHOD ? 'ANY' : method.toUpperCase(),
        operation: op,
        pathItem: item.value,
        file: item.file,
        pointer: `${item.pointer}/${method}`,
        pathItemFile: item.file,
        pathItemPointer: item.pointer,
      })
    }
  }
  return out
}

/** The parameters of an operation (path-level ones included, operation-level ones winning), dereferenced. */
export function operationParameters(spec: Spec, op: Operation): Array<Located<Record<string, unknown>>> {
  const byKey = new Map<string, Located<Record<string, unknown>>>()
  const add = (list: unknown, file: string, pointer: string) => {
    if (!Array.isArray(list)) return
    list.forEach((p, i) => {
      const d = deref<Record<string, unknown>>(spec, p, file, `${pointer}/${i}`)
      if (d && isObject(d.value)) byKey.set(`${String(d.value.in)}:${String(d.value.name)}`, d)
    })
  }
  add(op.pathItem.parameters, op.pathItemFile, `${op.pathItemPointer}/parameters`)
  add(op.operation.parameters, op.file, `${op.pointer}/parameters`)
  return [...byKey.values()]
}

/** Visit every node of every file of the spec (each file once), with its pointer. */
export function walkAll(spec: Spec, visit: (node: unknown, file: string, tokens: ReadonlyArray<string | number>) => void): void {
  for (const [file, source] of spec.files) {
    const stack: Array<{node: unknown; tokens: Array<string | number>}> = [{node: source.value, tokens: []}]
    while (stack.length > 0) {
      const {node, tokens} = stack.pop()!
      visit(node, file, tokens)
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) stack.push({node: node[i], tokens: [...tokens, i]})
      } else if (isObject(node)) {
        for (const [k, child] of Object.entries(node))
          if (child !== null && typeof child === 'object' && !isExampleData(node, k)) stack.push({node: child, tokens: [...tokens, k]})
      }
    }
  }
}
