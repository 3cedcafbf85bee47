/**
 * The HTTP API (API Gateway v2) data plane: one HttpApiContext per request, through the steps AWS runs
 * for HTTP APIs: stage (a named stage by the first path segment, else the `$default` stage, whose URL has
 * no stage segment) → CORS preflight → route → authorizer → request parameter mapping → integration →
 * response parameter mapping → CORS headers → answer → access log (written behind).
 */
import {randomBase64} from '../random.ts'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {Upstream} from '../integrations/upstream.ts'
import {childId, KIND} from '../../control-plane/model.ts'
import {ACCOUNT_ID, type AccountDoc, defaultAccount} from '../../control-plane/v1/account.ts'
import type {ApiDoc, StageDoc} from '../../control-plane/v2/common.ts'
import {isTooLarge, readBody} from '../../protocol/body.ts'
import {type DataPlaneTarget, PATH_PREFIX} from '../address.ts'
import type {DataPlaneDeps} from '../context.ts'
import {fromRawHeaders} from '../headers.ts'
import type {LogWriter} from '../log-writer.ts'
import {writeAccessLog} from './access-log.ts'
import {recordHttpRequest} from '../metrics.ts'
import {HttpApiDeployments} from './compile.ts'
import {matchRoute} from './compile.ts'
import type {HttpApiContext, HttpApiResponse} from './context.ts'
import {isPreflight, preflightResponse, withCorsHeaders} from './cors.ts'
import {errorResponse, HttpApiError} from './errors.ts'
import {authorizeIam} from './iam.ts'
import {type OutgoingRequest, runIntegration} from './integration.ts'
import {JwksCache, authorizeJwt} from './jwt.ts'
import {AuthorizerCache, authorizeLambda} from './lambda-authorizer.ts'
import {mapRequest, mapResponse} from './mapping.ts'
import {RouteBuckets} from './throttle.ts'

export type HttpApiPlane = {
  /** Whether an API id names an HTTP API (served here) rather than a REST or WebSocket API. */
  handles(apiId: string): boolean
  serve(req: IncomingMessage, res: ServerResponse, target: DataPlaneTarget): Promise<string>
  /** Drop a stage's cached Lambda authorizer results (ResetAuthorizersCache); returns how many. */
  flushAuthorizersCache(apiId: string, stageName: string): number
}

const DEFAULT_ACCOUNT = defaultAccount()

export type HttpApiPlaneOptions = {deps: DataPlaneDeps; upstream: Upstream; writer: LogWriter}

/** The path the client sent after the API's address (with the stage segment), percent-encoding kept. */
function fullPath(req: IncomingMessage, target: DataPlaneTarget): string {
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  const pathname = q === -1 ? url : url.slice(0, q)
  if (target.style === 'host') return pathname || '/'
  if (target.style === 'domain') return target.requestPath ?? '/'
  const rest = pathname.slice(PATH_PREFIX.length + target.apiId.length)
  return rest === '' ? '/' : rest
}

export function createHttpApiPlane(options: HttpApiPlaneOptions): HttpApiPlane {
  const {deps, upstream, writer} = options
  const deployments = new HttpApiDeployments(deps.store)
  const known = new Map<string, boolean>()
  const jwks = new JwksCache()
  const authorizerCache = new AuthorizerCache()
  const buckets = new RouteBuckets(deps.traffic.buckets)

  function handles(apiId: string): boolean {
    const cached = known.get(apiId)
    if (cached !== undefined) return cached
    const api = deps.store.get<ApiDoc>(KIND.v2Api, apiId)
    if (api) known.set(apiId, api.protocolType === 'HTTP')
    else if (deps.store.get(KIND.restApi, apiId)) known.set(apiId, false)
    return api?.protocolType === 'HTTP'
  }

  /**
   * A named stage by the first segment, else the `$default` stage with the whole path. A custom domain name's
   * mapping names the stage itself, and the path after its base path is the route's.
   */
  function resolveStage(ctx: HttpApiContext, raw: string, mapped?: DataPlaneTarget): void {
    if (mapped) {
      useStage(ctx, deps.store.get<StageDoc>(KIND.v2Stage, childId(ctx.apiId, mapped.stageName ?? '')), mapped.path)
      return
    }
    const body = raw.slice(1)
    const slash = body.indexOf('/')
    const first = slash === -1 ? body : body.slice(0, slash)
    let name: string | undefined
    try {
      name = decodeURIComponent(first)
    } catch {
      name = first
    }
    const stage = name && name !== '$default' ? deps.store.get<StageDoc>(KIND.v2Stage, childId(ctx.apiId, name)) : undefined
    if (stage) useStage(ctx, stage, slash === -1 ? '/' : body.slice(slash))
    else useStage(ctx, deps.store.get<StageDoc>(KIND.v2Stage, childId(ctx.apiId, '$default')), raw)
  }

  function useStage(ctx: HttpApiContext, stage: StageDoc | undefined, path: string): void {
    ctx.path = path
    if (!stage) throw new HttpApiError('NOT_FOUND')
    ctx.stage = stage
    ctx.stageName = stage.stageName
    ctx.stageVariables = {...stage.stageVariables}
    const api = stage.deploymentId ? deployments.get(ctx.apiId, stage.deploymentId) : undefined
    if (!api) throw new HttpApiError('NOT_FOUND')
    ctx.api = api
  }

  async function run(ctx: HttpApiContext, req: IncomingMessage, raw: string, mapped?: DataPlaneTarget): Promise<void> {
    try {
      try {
        ctx.body = await readBody(req)
      } catch (error) {
        if (isTooLarge(error)) throw new HttpApiError('TOO_LARGE')
        throw error
      }
      resolveStage(ctx, raw, mapped)
      const api = ctx.api!
      const cors = api.snapshot.api.corsConfiguration
      if (cors && isPreflight(ctx.method, ctx.headers)) {
        ctx.response = preflightResponse(cors, ctx.headers)
        return
      }
      const matched = matchRoute(api, ctx.method, ctx.path)
      if (!matched) throw new HttpApiError('NOT_FOUND')
      ctx.route = matched.route
      ctx.pathParameters = matched.pathParameters
      const {route, authorizer} = matched.route
      const account = (deps.docs.get<AccountDoc>(KIND.account, ACCOUNT_ID) ?? DEFAULT_ACCOUNT).throttleSettings
      if (!buckets.admit(ctx.apiId, ctx.stage!, route.routeKey, deps.now().getTime(), account)) throw new HttpApiError('THROTTLED')
      if (route.authorizationType === 'JWT' && authorizer) await authorizeJwt(ctx, authorizer, route.authorizationScopes, jwks)
      else if (route.authorizationType === 'CUSTOM' && authorizer) await authorizeLambda(ctx, authorizer, authorizerCache)
      else if (route.authorizationType === 'AWS_IAM') await authorizeIam(ctx, req.url ?? '/')
      const integration = matched.route.integration
      if (!integration) throw new HttpApiError('INTERNAL', `The route ${matched.route.route.routeKey} has no integration`)
      const out: OutgoingRequest = {method: ctx.method, headers: [...ctx.headers], query: [...ctx.query], body: ctx.body}
      // Request mapping changes what goes to an HTTP backend (AWS offers it for HTTP and private integrations).
      if (integration.integrationType === 'HTTP_PROXY') mapRequest(ctx, integration.requestParameters, out)
      const answer = await runIntegration(ctx, integration, out, upstream)
      ctx.response = mapResponse(ctx, integration.responseParameters, answer)
    } catch (error) {
      let failure: HttpApiError
      if (error instanceof HttpApiError) failure = error
      else {
        if (process.env.APIGW_LOCAL_DEBUG) process.stderr.write(`${(error as Error).stack}\n`)
        failure = new HttpApiError('INTERNAL', `Internal error: ${(error as Error).message}`)
      }
      if (failure.detail !== undefined && ctx.integrationErrorMessage === undefined) ctx.integrationErrorMessage = failure.detail
      ctx.error = {message: failure.message, responseType: failure.type}
      ctx.response = errorResponse(failure)
    }
  }

  function write(res: ServerResponse, ctx: HttpApiContext, response: HttpApiResponse): void {
    const flat: string[] = []
    for (const [k, v] of response.headers) flat.push(k, v)
    flat.push('content-length', String(response.body.length), 'apigw-requestid', ctx.requestId)
    if (res.destroyed) return
    try {
      res.writeHead(response.status, flat)
      res.end(ctx.method === 'HEAD' ? undefined : response.body)
    } catch {
      // A header value the client's answer cannot carry (control characters from a backend).
      if (!res.headersSent) {
        res.writeHead(500, {'content-type': 'application/json', 'apigw-requestid': ctx.requestId})
        res.end('{"message":"Internal Server Error"}')
      } else res.destroy()
    }
  }

  return {
    handles,
    flushAuthorizersCache: (apiId, stageName) => authorizerCache.flushStage(apiId, stageName),
    async serve(req, res, target) {
      const raw = fullPath(req, target)
      const headers = fromRawHeaders(req.rawHeaders)
      const ctx: HttpApiContext = {
        // HTTP APIs' request ids look like `JsMxXhg8oAMEMWg=` (the `apigw-requestid` header).
        requestId: `${randomBase64(11).replace(/[+/]/g, 'A').slice(0, 15)}=`,
        requestTime: deps.now(),
        started: performance.now(),
        apiId: target.apiId,
        stageName: undefined,
        method: (req.method ?? 'GET').toUpperCase(),
        rawPath: raw,
        path: raw,
        rawQuery: target.rawQuery,
        query: [...new URLSearchParams(target.rawQuery)],
        headers,
        body: Buffer.alloc(0),
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        protocol: `HTTP/${req.httpVersion}`,
        domainName: target.domainName,
        ...(target.domainPrefix ? {domainPrefix: target.domainPrefix} : {}),
        pathParameters: {},
        stageVariables: {},
        deps,
      }
      await run(ctx, req, raw, target.style === 'domain' ? target : undefined)
      const cors = ctx.api?.snapshot.api.corsConfiguration
      // A preflight's answer (the gateway's own) already carries them.
      if (cors && !isPreflight(ctx.method, ctx.headers)) ctx.response = withCorsHeaders(cors, ctx.headers, ctx.response!)
      write(res, ctx, ctx.response!)
      writeAccessLog(ctx, writer)
      recordHttpRequest(ctx, deps.metrics)
      return `Invoke ${target.apiId}/${ctx.stageName ?? ''}`
    },
  }
}
