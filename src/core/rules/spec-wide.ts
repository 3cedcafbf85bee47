import {escapePointerToken} from '../findings.ts'
import {isObject, walkAll} from './operations.ts'
import type {Rule, RuleFinding} from './types.ts'

/** PutRestApi and ImportRestApi take a body of at most 6 MB (reference/aws-facts.md §2). */
export const IMPORT_LIMIT_BYTES = 6 * 1024 * 1024

export const specTooLarge: Rule = ({spec}) =>
  spec.bytes <= IMPORT_LIMIT_BYTES
    ? []
    : [
        {
          message: `The spec is ${(spec.bytes / 1024 / 1024).toFixed(1)} MB; API Gateway imports at most 6 MB.`,
          hint: 'Split the API, or drop descriptions and examples (they count towards the limit).',
          location: {file: spec.file, pointer: '#'},
        },
      ]

const toPointer = (tokens: ReadonlyArray<string | number>) => `#${tokens.map((t) => `/${escapePointerToken(t)}`).join('')}`

/** A $ref that lands nowhere. */
export const refUnresolved: Rule = ({spec}) => {
  const out: RuleFinding[] = []
  walkAll(spec, (node, file, tokens) => {
    if (!isObject(node) || typeof node.$ref !== 'string') return
    if (spec.resolveRef(node.$ref, file)) return
    out.push({
      message: `$ref "${node.$ref}" points to nothing.`,
      hint: 'Fix the pointer (it is case-sensitive; `/` inside a key is written ~1), or define the target.',
      location: {file, pointer: toPointer([...tokens, '$ref'])},
    })
  })
  return out
}

/** `${stageVariables.x}` that no stage in apigw.yaml defines resolves to an empty string at run time. */
export const stageVariableUndefined: Rule = ({spec, stageVariables}) => {
  if (!stageVariables) return []
  const out: RuleFinding[] = []
  walkAll(spec, (node, file, tokens) => {
    if (!isObject(node)) return
    for (const [key, value] of Object.entries(node)) {
      if (typeof value !== 'string' || !value.includes('stageVariables.')) continue
      for (const m of value.matchAll(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g)) {
        if (stageVariables.has(m[1]!)) continue
        out.push({
          message: `\${stageVariables.${m[1]}} is used, but no stage in apigw.yaml defines the variable "${m[1]}".`,
          hint: `Add ${m[1]} under stages.<stage>.variables in apigw.yaml for every stage.`,
          location: {file, pointer: toPointer([...tokens, key])},
        })
      }
    }
  })
  return out
}
