import type {SpecDiff} from '../diff/types.ts'
import type {Check, Draft} from './types.ts'

/**
 * Changes inside the operations of callbacks, found by every operation check and reported under one id of their
 * own (info by default, raise it with diff.levels): oasdiff judges no callback, and whether a callback's change
 * breaks anyone depends on who implements the receiver. The message keeps the change's own id and level.
 */
export const callbackChanged: Check = (diff, ctx) => {
  if (diff.callbacks.length === 0) return []
  const part: SpecDiff = {
    ...diff,
    operations: {added: [], removed: [], modified: diff.callbacks},
    callbacks: [],
    security: undefined,
    securitySchemes: {added: [], removed: [], modified: []},
    authorizers: {base: [], revision: []},
    servers: {added: [], removed: [], pointer: diff.servers.pointer},
    webhooks: {added: [], removed: [], names: {added: [], removed: []}},
    info: {},
    apiGateway: {},
  }
  const out: Draft[] = []
  for (const check of ctx.checks ?? []) {
    if (check === callbackChanged) continue
    for (const d of check(part, ctx)) {
      const level = ctx.levelOf?.(d.id)
      if (level === undefined) continue
      out.push({...d, id: 'callback-changed', message: `${d.message.replace(/\.$/, '')} (${d.id}: ${level} in an operation of the API).`})
    }
  }
  return out
}
