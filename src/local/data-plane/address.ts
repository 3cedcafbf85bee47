/**
 * Which requests belong to the data plane: host style `{apiId}.execute-api.localhost[:port]/{stage}/{path}`,
 * path style `/_aws/execute-api/{apiId}/{stage}/{path}`, and custom domain names (a mapped domain's `Host`, or
 * `/_aws/domain/{domainName}/{basePath}/{path}`) on the emulator's port, in that order. Everything else is the
 * control plane's. The path after the stage is kept exactly as sent (percent-encoding, `//`, trailing `/`).
 */
import type {IncomingMessage} from 'node:http'

export type DataPlaneTarget = {
  apiId: string
  /** Undefined when the URL names no stage (`/` on the API's host). */
  stageName: string | undefined
  /** The path after the stage, as sent, always starting with `/`. */
  path: string
  /** The raw query string without `?` ('' when none). */
  rawQuery: string
  /** The host the client called, without the port ($context.domainName). */
  domainName: string
  style: 'host' | 'path' | 'domain'
  /** A custom domain name: its first label ($context.domainPrefix; the API id otherwise). */
  domainPrefix?: string
  /** A custom domain name: the path as the client sent it, base path included ($context.path, rawPath). */
  requestPath?: string
  /** A custom domain name with no mapping for the path: the gateway answers 403 Forbidden. */
  forbidden?: boolean
}

/**
 * Custom domain names (data-plane/custom-domains.ts): the target of a request to `domainName` with `pathname`
 * (what follows the host), or undefined when the emulator has no such domain name.
 */
export type DomainResolver = (domainName: string, pathname: string, rawQuery: string, req: IncomingMessage) => DataPlaneTarget | undefined

const HOST_STYLE = /^([a-z0-9]+)\.execute-api\.localhost(?::\d+)?$/i
export const PATH_PREFIX = '/_aws/execute-api/'
export const DOMAIN_PATH_PREFIX = '/_aws/domain/'

/** The data-plane target of a request, or undefined when it is a control-plane request. */
export function dataPlaneTarget(req: IncomingMessage, domains?: DomainResolver): DataPlaneTarget | undefined {
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  const pathname = q === -1 ? url : url.slice(0, q)
  const rawQuery = q === -1 ? '' : url.slice(q + 1)
  const host = req.headers.host ?? ''
  const hostMatch = HOST_STYLE.exec(host)
  if (hostMatch) {
    return {apiId: hostMatch[1]!.toLowerCase(), ...splitStage(pathname), rawQuery, domainName: host.replace(/:\d+$/, ''), style: 'host'}
  }
  if (pathname.startsWith(PATH_PREFIX)) {
    const rest = pathname.slice(PATH_PREFIX.length)
    const slash = rest.indexOf('/')
    const apiId = slash === -1 ? rest : rest.slice(0, slash)
    return {
      apiId,
      ...splitStage(slash === -1 ? '' : rest.slice(slash)),
      rawQuery,
      domainName: host.replace(/:\d+$/, '') || '127.0.0.1',
      style: 'path',
    }
  }
  if (!domains) return undefined
  if (pathname.startsWith(DOMAIN_PATH_PREFIX)) {
    const rest = pathname.slice(DOMAIN_PATH_PREFIX.length)
    const slash = rest.indexOf('/')
    const name = decodeSafe(slash === -1 ? rest : rest.slice(0, slash))
    const target = domains(name, slash === -1 ? '/' : rest.slice(slash), rawQuery, req)
    // An unknown domain name on the path-style address is the gateway's 403, as a domain without a mapping is.
    return target ?? {apiId: '', stageName: undefined, path: '/', rawQuery, domainName: name, style: 'domain', forbidden: true}
  }
  // A Host that is not a loopback name may be a custom domain name the emulator has (`curl -H 'Host: api.example.com'`).
  const name = host.replace(/:\d+$/, '').toLowerCase()
  if (name === '' || name === 'localhost' || name.endsWith('.localhost') || /^[\d.]+$/.test(name) || name.startsWith('[')) return undefined
  return domains(name, pathname || '/', rawQuery, req)
}

function splitStage(pathname: string): {stageName: string | undefined; path: string} {
  // '/dev/pets' → dev, '/pets'; '/dev' → dev, '/'; '/' → no stage.
  const body = pathname.startsWith('/') ? pathname.slice(1) : pathname
  if (body === '') return {stageName: undefined, path: '/'}
  const slash = body.indexOf('/')
  if (slash === -1) return {stageName: decodeSafe(body), path: '/'}
  return {stageName: decodeSafe(body.slice(0, slash)), path: body.slice(slash)}
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** The stage's invoke URLs on an emulator at `endpoint` (`http://127.0.0.1:4567`). */
export function localInvokeUrls(endpoint: string, apiId: string, stageName: string): {hostStyle: string; pathStyle: string} {
  const u = new URL(endpoint)
  return {
    hostStyle: `http://${apiId}.execute-api.localhost:${u.port}/${stageName}`,
    pathStyle: `${u.origin}${PATH_PREFIX}${apiId}/${stageName}`,
  }
}
