import {escapePointerToken} from '../findings.ts'
import {integrations} from './integration.ts'
import {isObject} from './operations.ts'
import type {Rule, RuleFinding} from './types.ts'

/**
 * Every value of an integration's `requestParameters` is a mapping expression, a string
 * (`method.request.path.id`, `'literal'`). For a number, boolean, list or mapping, the REST import answers
 * the warning "Invalid format for 'requestParameters'. Expected type string for property …" and drops the
 * mapping; `apigw deploy` imports with failonwarnings, so the deploy stops unless --allow-warnings.
 */
export const requestParameterNotString: Rule = ({spec}) => {
  const out: RuleFinding[] = []
  for (const {op, integration, file, pointer} of integrations(spec)) {
    if (!isObject(integration.requestParameters)) continue
    for (const [name, value] of Object.entries(integration.requestParameters)) {
      if (typeof value === 'string') continue
      out.push({
        message:
          `The integration of ${op.method} ${op.path} maps ${name} from ${JSON.stringify(value)}, which is not a string; ` +
          `the import warns ("Expected type string") and drops the mapping, so deploy stops unless --allow-warnings.`,
        hint:
          typeof value === 'number' || typeof value === 'boolean'
            ? `Quote it as a static value: "'${String(value)}'" (single quotes ` +
              `inside the string), or map it from the request (method.request.…).`
            : 'Write one mapping expression as a string, e.g. method.request.path.id or a quoted static value.',
        location: {file, pointer: `${pointer}/requestParameters/${escapePointerToken(name)}`},
      })
    }
  }
  return out
}
