/**
 * What API Gateway does to the headers an integration answers with (AWS's "important notes for REST APIs"
 * header table): some are dropped, some renamed to `x-amzn-Remapped-{Name}` so the gateway's own win.
 */
import type {HeaderList} from '../headers.ts'

const REMAPPED = new Map(
  ['Authorization', 'Connection', 'Content-MD5', 'Date', 'Max-Forwards', 'Server', 'User-Agent', 'WWW-Authenticate'].map((h) => [
    h.toLowerCase(),
    h,
  ]),
)
const DROPPED = new Set([
  'content-length',
  'host',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
  'expect',
  'keep-alive',
])

/** The integration's headers as the client will see them. */
export function remapResponseHeaders(headers: HeaderList): HeaderList {
  const out: HeaderList = []
  for (const [name, value] of headers) {
    const lower = name.toLowerCase()
    if (DROPPED.has(lower)) continue
    const remapped = REMAPPED.get(lower)
    out.push([remapped ? `x-amzn-Remapped-${remapped}` : name, value])
  }
  return out
}
