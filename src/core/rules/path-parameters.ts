import {pointerOf} from '../findings.ts'
import {listOperations, operationParameters} from './operations.ts'
import type {Rule, RuleFinding} from './types.ts'

/** Every `{name}` in a path is declared as an `in: path` parameter, and every declared one is used. */
export const pathParameterMismatch: Rule = ({spec}) => {
  const out: RuleFinding[] = []
  for (const op of listOperations(spec)) {
    const inPath = [...op.path.matchAll(/\{([^}]+?)\+?\}/g)].map((m) => m[1]!)
    const params = operationParameters(spec, op).filter((p) => p.value.in === 'path')
    const declared = params.map((p) => String(p.value.name))
    for (const name of inPath) {
      if (declared.includes(name)) continue
      out.push({
        message: `${op.method} ${op.path} uses {${name}} in its path but declares no path parameter "${name}".`,
        hint: `Add {name: ${name}, in: path, required: true, schema: {type: string}} to the parameters.`,
        location: {file: op.file, pointer: op.pointer},
        operation: `${op.method} ${op.path}`,
      })
    }
    for (const p of params) {
      const name = String(p.value.name)
      if (inPath.includes(name)) continue
      out.push({
        message: `${op.method} ${op.path} declares path parameter "${name}", which its path does not contain.`,
        hint: `Rename it to one of the path's {placeholders}, or remove it.`,
        location: {file: p.file, pointer: p.pointer},
        operation: `${op.method} ${op.path}`,
      })
    }
  }
  return out
}

/** A greedy `{proxy+}` segment may only be the last segment of a path. */
export const proxyNotLast: Rule = ({spec}) => {
  const paths = spec.doc.paths
  if (!paths || typeof paths !== 'object') return []
  return Object.keys(paths).flatMap((path) => {
    const segments = path.split('/')
    const at = segments.findIndex((s) => /^\{[^}]+\+\}$/.test(s))
    if (at === -1 || at === segments.length - 1) return []
    return [
      {
        message: `${path} has a greedy ${segments[at]} segment that is not the last one.`,
        hint: 'A {name+} path parameter must end the path, e.g. /files/{proxy+}.',
        location: {file: spec.file, pointer: pointerOf(['paths', path])},
      },
    ]
  })
}
