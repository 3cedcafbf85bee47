import {pointerOf} from '../findings.ts'
import {isObject, listOperations} from './operations.ts'
import type {Rule, RuleFinding} from './types.ts'

/** Security schemes and request validators that are referenced but not defined fail the import. */
export const securitySchemeUndefined: Rule = ({spec}) => {
  const schemes =
    spec.version === '2.0' ? spec.doc.securityDefinitions : isObject(spec.doc.components) ? spec.doc.components.securitySchemes : undefined
  const defined = new Set(isObject(schemes) ? Object.keys(schemes) : [])
  const where = spec.version === '2.0' ? 'securityDefinitions' : 'components.securitySchemes'
  const out: RuleFinding[] = []
  const check = (security: unknown, file: string, tokens: Array<string | number>, label: string, operation?: string) => {
    if (!Array.isArray(security)) return
    security.forEach((requirement, i) => {
      if (!isObject(requirement)) return
      for (const name of Object.keys(requirement)) {
        if (defined.has(name)) continue
        out.push({
          message: `${label} requires security scheme "${name}", which ${where} does not define.`,
          hint: `Define "${name}" under ${where}, or fix the name.`,
          location: {file, pointer: pointerOf([...tokens, i, name])},
          ...(operation ? {operation} : {}),
        })
      }
    })
  }
  check(spec.doc.security, spec.file, ['security'], 'The API')
  for (const op of listOperations(spec)) {
    const label = `${op.method} ${op.path}`
    check(op.operation.security, op.file, [...pointerTokens(op.pointer), 'security'], label, label)
  }
  return out
}

export const requestValidatorUndefined: Rule = ({spec}) => {
  const validators = spec.doc['x-amazon-apigateway-request-validators']
  const defined = new Set(isObject(validators) ? Object.keys(validators) : [])
  const out: RuleFinding[] = []
  const check = (name: unknown, file: string, pointer: string, label: string) => {
    if (typeof name !== 'string' || defined.has(name)) return
    out.push({
      message: `${label} uses request validator "${name}", which x-amazon-apigateway-request-validators does not define.`,
      hint: `Define it: x-amazon-apigateway-request-validators: {${name}: {validateRequestBody: true, validateRequestParameters: true}}.`,
      location: {file, pointer},
    })
  }
  check(spec.doc['x-amazon-apigateway-request-validator'], spec.file, '#/x-amazon-apigateway-request-validator', 'The API')
  for (const op of listOperations(spec)) {
    check(
      op.operation['x-amazon-apigateway-request-validator'],
      op.file,
      `${op.pointer}/x-amazon-apigateway-request-validator`,
      `${op.method} ${op.path}`,
    )
  }
  return out
}

function pointerTokens(pointer: string): string[] {
  return pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}
