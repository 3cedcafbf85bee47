import {escapePointerToken} from '../findings.ts'
import {closest} from '../words.ts'
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

/**
 * `${stageVariables.x}` resolves to an empty string at run time on a stage that does not define x. Each stage
 * that deploys the spec is checked: a variable no stage defines, or one that some stages lack (a typo in prod
 * while dev has the right name), with "did you mean" from that stage's own variables.
 */
export const stageVariableUndefined: Rule = ({spec, stageVariables, stages}) => {
  if (!stageVariables && !stages) return []
  const all = stages ? new Set(Object.values(stages).flatMap((v) => [...v])) : stageVariables!
  const out: RuleFinding[] = []
  walkAll(spec, (node, file, tokens) => {
    if (!isObject(node)) return
    for (const [key, value] of Object.entries(node)) {
      if (typeof value !== 'string' || !value.includes('stageVariables.')) continue
      for (const m of value.matchAll(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g)) {
        const name = m[1]!
        const location = {file, pointer: toPointer([...tokens, key])}
        if (!all.has(name)) {
          const guess = closest(name, [...all])
          out.push({
            message:
              `\${stageVariables.${name}} is used, but no stage in apigw.yaml defines ` +
              `the variable "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}.`,
            hint:
              `Add ${name} under stages.<stage>.variables in apigw.yaml for ` +
              `every stage${guess ? `, or use \${stageVariables.${guess}}` : ''}.`,
            location,
          })
          continue
        }
        const lacking = Object.entries(stages ?? {})
          .filter(([, vars]) => !vars.has(name))
          .map(([stage]) => stage)
          .sort()
        if (lacking.length === 0) continue
        const having = Object.entries(stages ?? {})
          .filter(([, vars]) => vars.has(name))
          .map(([stage]) => stage)
          .sort()
        const typos = lacking.map((stage) => [stage, closest(name, [...stages![stage]!])] as const).filter(([, g]) => g !== undefined)
        out.push({
          message:
            `\${stageVariables.${name}} is used, but stage${lacking.length === 1 ? '' : 's'} ` +
            `${lacking.join(', ')} ${lacking.length === 1 ? 'does' : 'do'} not define "${name}" ` +
            `(${having.join(', ')} ${having.length === 1 ? 'does' : 'do'})` +
            `${typos.length > 0 ? `; did you mean ${typos.map(([stage, g]) => `"${g}" in ${stage}`).join(', ')}?` : '.'}`,
          hint:
            `Add ${name} under ${lacking.map((stage) => `stages.${stage}.variables`).join(' and ')} ` +
            `in apigw.yaml${typos.length > 0 ? ' (or fix the misspelt name there)' : ''}.`,
          location,
        })
      }
    }
  })
  return out
}
