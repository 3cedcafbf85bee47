import {foreignExtensions} from '../apigateway-facts.ts'
import {escapePointerToken} from '../findings.ts'
import {isObject, walkAll} from './operations.ts'
import type {Rule, RuleFinding} from './types.ts'

/** Extensions of the other API type are ignored by the import, so what they say silently does not happen. */
export const extensionWrongApiType: Rule = ({spec, apiType}) => {
  const foreign = foreignExtensions(apiType)
  const out: RuleFinding[] = []
  walkAll(spec, (node, file, tokens) => {
    if (!isObject(node)) return
    for (const key of Object.keys(node)) {
      if (!foreign.includes(key)) continue
      out.push({
        message:
          `${key} is ${apiType === 'rest' ? 'for HTTP APIs only' : 'for REST APIs only'}; ` +
          `a ${apiType === 'rest' ? 'REST' : 'HTTP'} API import ignores it.`,
        hint:
          apiType === 'rest'
            ? `Remove it, or set \`type: http\` for this API in apigw.yaml if it is an HTTP API.`
            : `Remove it, or set \`type: rest\` for this API in apigw.yaml if it is a REST API.`,
        location: {file, pointer: `#${[...tokens, key].map((t) => `/${escapePointerToken(t)}`).join('')}`},
      })
    }
  })
  return out
}
