/** Shared reading of x-amazon-apigateway-integration for the integration rules. */
import {INTEGRATION_TYPES} from '../apigateway-facts.ts'
import type {Spec} from '../spec/load.ts'
import {deref, isObject, listOperations, type Operation} from './operations.ts'

export type IntegrationAt = {op: Operation; integration: Record<string, unknown>; file: string; pointer: string}

export function integrations(spec: Spec): IntegrationAt[] {
  const out: IntegrationAt[] = []
  for (const op of listOperations(spec)) {
    const raw = op.operation['x-amazon-apigateway-integration']
    if (raw === undefined) continue
    const d = deref<Record<string, unknown>>(spec, raw, op.file, `${op.pointer}/x-amazon-apigateway-integration`)
    if (d && isObject(d.value)) out.push({op, integration: d.value, file: d.file, pointer: d.pointer})
  }
  return out
}

export const REST_INTEGRATION_TYPES: readonly string[] = INTEGRATION_TYPES.rest
export const HTTP_INTEGRATION_TYPES: readonly string[] = INTEGRATION_TYPES.http
