/**
 * The HTTP client of HTTP and HTTP_PROXY integrations (REST and HTTP APIs): undici's Agent, one pool of keep-alive
 * connections per origin, driven through its dispatch API so the answer's header pairs and body bytes arrive as the
 * endpoint sent them. It costs about a third less CPU per request than node:http's client with a keep-alive agent
 * (bench/data-plane.ts, the HTTP_PROXY row), which is most of what the emulator adds to a proxied request.
 * undici's Agent is loaded on the first request that needs it: commands that never call an HTTP integration do not
 * pay for it.
 */
import {createRequire} from 'node:module'
import type {Agent as UndiciAgent, Dispatcher} from 'undici'
import {MAX_BODY_BYTES} from '../../protocol/body.ts'
import type {HeaderList} from '../headers.ts'

/** Where a request goes: prepared once per endpoint address. */
export type Endpoint = {
  url: URL
  /** `http://host[:port]` (undici's pool key). */
  origin: string
  /** The path and query, as the URL has them. */
  path: string
  /** The Host header (host and port as the URI gives them). */
  host: string
}

export type Answer = {status: number; headers: HeaderList; body: Buffer}

/** The endpoint of a URL (http or https). */
export function endpointOf(url: URL): Endpoint {
  return {url, origin: url.origin, path: `${url.pathname}${url.search}`, host: url.host}
}

/** Connection-level headers undici sets itself and refuses from callers; API Gateway does not forward them either. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect'])
/** The longest of those names: longer ones are passed without lowercasing them. */
const LONGEST = 17

export class Upstream {
  private agent: UndiciAgent | undefined
  private closed = false

  /**
   * One request; rejects with an Error whose `code` says what failed: ETIMEDOUT_INTEGRATION (past `timeoutMs`),
   * ERESPONSE_TOO_LARGE (an answer over 10 MB), ECONNRESET (the connection closed before the answer ended),
   * ECONNREFUSED / ENOTFOUND / EAI_AGAIN (no endpoint there), or undici's own code.
   */
  send(endpoint: Endpoint, method: string, headers: HeaderList, body: Buffer, timeoutMs: number): Promise<Answer> {
    if (this.closed) return Promise.reject(withCode(new Error('the data plane is closed'), 'ECONNRESET'))
    return new Promise((resolve, reject) => {
      // The Host the URI names, unless a mapping set one; the connection's own headers are undici's to set.
      const flat: string[] = []
      let host = false
      for (const [k, v] of headers) {
        const lower = k.length <= LONGEST ? k.toLowerCase() : ''
        if (lower === 'host') {
          if (host) continue
          host = true
        } else if (CONNECTION_HEADERS.has(lower)) continue
        flat.push(k, v)
      }
      if (!host) flat.unshift('Host', endpoint.host)
      let settled = false
      let abort: ((reason: Error) => void) | undefined
      let status = 502
      let raw: Buffer[] = []
      const chunks: Buffer[] = []
      let size = 0
      const fail = (error: Error): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        reject(error)
      }
      const timer = setTimeout(() => {
        const error = withCode(new Error('integration timed out'), 'ETIMEDOUT_INTEGRATION')
        if (abort) abort(error)
        fail(error)
      }, timeoutMs)
      const handler: Dispatcher.DispatchHandler = {
        onConnect(abortRequest) {
          abort = abortRequest
        },
        onHeaders(statusCode, rawHeaders) {
          status = statusCode
          raw = rawHeaders as unknown as Buffer[]
          return true
        },
        onData(chunk) {
          size += chunk.length
          if (size > MAX_BODY_BYTES) {
            const error = withCode(new Error('response too large'), 'ERESPONSE_TOO_LARGE')
            abort?.(error)
            fail(error)
            return false
          }
          chunks.push(chunk)
          return true
        },
        onComplete() {
          if (settled) return
          settled = true
          clearTimeout(timer)
          const pairs: HeaderList = []
          for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!.toString('latin1'), raw[i + 1]!.toString('latin1')])
          resolve({status, headers: pairs, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)})
        },
        onError(error) {
          fail(normalise(error))
        },
      }
      this.agent ??= newAgent()
      this.agent.dispatch(
        {origin: endpoint.origin, path: endpoint.path, method, headers: flat, body: body.length > 0 ? body : null},
        handler,
      )
    })
  }

  async close(): Promise<void> {
    this.closed = true
    await this.agent?.destroy()
  }
}

function newAgent(): UndiciAgent {
  const Agent = createRequire(import.meta.url)('undici/lib/dispatcher/agent.js') as typeof UndiciAgent
  // Timeouts are the integration's own (send's timer): undici's header, body and connect timeouts stay out of the way.
  // At most 256 connections per origin, as the node:http agent before it allowed: further requests wait for one.
  return new Agent({connections: 256, headersTimeout: 0, bodyTimeout: 0, connect: {timeout: 60_000}, keepAliveTimeout: 4_000})
}

function withCode(error: Error, code: string): NodeJS.ErrnoException {
  return Object.assign(error, {code})
}

/** undici's "the other side closed" (UND_ERR_SOCKET) is a reset connection, as node:http called it. */
function normalise(error: Error): Error {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'UND_ERR_SOCKET') return withCode(new Error(`socket hang up (${error.message})`), 'ECONNRESET')
  return error
}
