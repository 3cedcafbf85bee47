import {listOperations} from './operations.ts'
import type {Rule, RuleFinding} from './types.ts'

/** operationIds name SDK methods and must be unique (OpenAPI requires it). */
export const operationIdDuplicate: Rule = ({spec}) => {
  const first = new Map<string, string>()
  const out: RuleFinding[] = []
  for (const op of listOperations(spec)) {
    const id = op.operation.operationId
    if (typeof id !== 'string') continue
    const seen = first.get(id)
    if (seen === undefined) {
      first.set(id, `${op.method} ${op.path}`)
      continue
    }
    out.push({
      message: `operationId "${id}" of ${op.method} ${op.path} is already used by ${seen}.`,
      hint: 'Give each operation its own operationId; generated SDKs name their methods after it.',
      location: {file: op.file, pointer: `${op.pointer}/operationId`},
      operation: `${op.method} ${op.path}`,
    })
  }
  return out
}
