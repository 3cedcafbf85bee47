import {draft} from './helpers.ts'
import type {Check, Draft} from './types.ts'

/** OpenAPI 3.1 webhooks added or removed. */
export const webhookUpdated: Check = (diff) => {
  const out: Draft[] = []
  diff.webhooks.removed.forEach((w, i) => {
    out.push(draft('webhook-removed', undefined, `The webhook '${diff.webhooks.names.removed[i]}' was removed.`, diff.base.file, w.pointer))
  })
  diff.webhooks.added.forEach((w, i) => {
    out.push(draft('webhook-added', undefined, `The webhook '${diff.webhooks.names.added[i]}' was added.`, diff.revision.file, w.pointer))
  })
  return out
}
