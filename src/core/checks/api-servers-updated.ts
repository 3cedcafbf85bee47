import {draft} from './helpers.ts'
import type {Check, Draft} from './types.ts'

/** Server URLs added or removed (OpenAPI 3 `servers`, Swagger 2.0 `schemes`/`host`/`basePath`). */
export const apiServersUpdated: Check = (diff) => {
  const out: Draft[] = []
  for (const url of diff.servers.removed)
    out.push(draft('api-server-removed', undefined, `The server ${url} was removed.`, diff.base.file, diff.servers.pointer))
  for (const url of diff.servers.added)
    out.push(draft('api-server-added', undefined, `The server ${url} was added.`, diff.revision.file, diff.servers.pointer))
  return out
}
