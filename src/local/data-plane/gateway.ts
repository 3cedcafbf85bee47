/**
 * The REST data plane: one InvocationContext per request, run through an ordered chain of small handlers
 * (parse → route → validate → integration request → integration → integration response), then the
 * gateway response of a failed step, the common headers, the answer, and the access/execution logs
 * (written behind). Snapshots are read outside the store's write queue, so a slow backend never stalls
 * the control plane.
 */
import {randomUUID} from 'node:crypto'
import {randomBase64} from './random.ts'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {Upstream} from './integrations/upstream.ts'
import type {Store} from '../store/store.ts'
import {LOCAL_ACCOUNT_ID} from '../types.ts'
import type {DataPlaneTarget} from './address.ts'
import type {ChainHandler, DataPlaneDeps, FunctionHost, InvocationContext, InvocationRequest, MethodResponse} from './context.ts'
import {logError} from './context.ts'
import {type CompiledDeployment, DeploymentCache} from './deployment.ts'
import {DocumentCache} from './documents.ts'
import {GatewayError, NotSupportedError} from './gateway-responses.ts'
import {AuthorizerCache} from './auth/cache.ts'
import {writeLogs} from './handlers/access-log.ts'
import {MetricStore} from '../cloudwatch/metric-store.ts'
import {recordRestRequest} from './metrics.ts'
import {createAuthorize} from './handlers/authorize.ts'
import {apiKey} from './handlers/api-key.ts'
import {cacheLookup, storeInCache} from './handlers/cache.ts'
import {gatewayResponse} from './handlers/gateway-response.ts'
import {createIntegration} from './handlers/integration.ts'
import {integrationRequest} from './handlers/integration-request.ts'
import {integrationResponse} from './handlers/integration-response.ts'
import {parse} from './handlers/parse.ts'
import {createRoute} from './handlers/route.ts'
import {validate} from './handlers/validate.ts'
import {throttle} from './handlers/throttle.ts'
import {setHeader} from './headers.ts'
import {createHttpApiPlane} from './http-api/serve.ts'
import {createWebSocketPlane, type WebSocketPlane} from './websocket/plane.ts'
import {LogWriter} from './log-writer.ts'
import type {IdentityProvider} from '../identity/provider.ts'
import type {KnownCredential} from '../protocol/sigv4.ts'

/** The credentials AWS_IAM methods accept when none are configured: the `test`/`test` pair the README documents. */
export const DEFAULT_DATA_PLANE_CREDENTIALS: readonly KnownCredential[] = [{accessKeyId: 'test', secretAccessKey: 'test', profile: 'test'}]
import {Traffic} from './traffic/index.ts'

export type DataPlaneOptions = {
  store: Store
  now: () => Date
  region: string
  random: () => number
  functions?: FunctionHost | undefined
  /** Cap on every integration's time (AWS: 29 s); tests lower it. */
  maxIntegrationTimeoutMs?: number
  /** How long log events wait before they are written (ms). */
  logDelayMs?: number
  /** Credentials AWS_IAM methods accept (default DEFAULT_DATA_PLANE_CREDENTIALS). */
  credentials?: readonly KnownCredential[] | undefined
  /** The local identity provider (Cognito user-pool authorizers). */
  identity?: IdentityProvider | undefined
  /** How often usage counts are written behind (ms, default 1000: a kill -9 loses at most that much). */
  usageFlushMs?: number
  /** How long CloudWatch metric points are kept (ms, default 24 h). */
  metricsRetentionMs?: number
}

export type DataPlane = {
  /** Serve one data-plane request on the socket; resolves with the operation name for request logs. */
  serve(req: IncomingMessage, res: ServerResponse, target: DataPlaneTarget): Promise<string>
  /** Run a request through the chain against a given deployment, without a socket (TestInvokeMethod). */
  invoke(input: {
    target: DataPlaneTarget
    request: InvocationRequest
    deployment: CompiledDeployment
    stageVariables: Record<string, string>
  }): Promise<InvocationContext>
  /**
   * Run `fn` over a fresh context for a request without the chain (TestInvokeAuthorizer): resolves with what
   * `fn` returned or the error it threw, and the context (its execution log).
   */
  runAlone<T>(
    input: {target: DataPlaneTarget; request: InvocationRequest; stageVariables: Record<string, string>; deployment?: CompiledDeployment},
    fn: (ctx: InvocationContext) => Promise<T>,
  ): Promise<{ctx: InvocationContext; value?: T; error?: unknown}>
  /** Drop a stage's cached Lambda authorizer results (FlushStageAuthorizersCache); returns how many. */
  flushAuthorizersCache(restApiId: string, stageName: string): number
  /** Write queued log events now. */
  flushLogs(): Promise<void>
  /** Token buckets, usage counters and the stage cache; the control plane flushes usage and caches through it. */
  traffic: Traffic
  /** CloudWatch metric points recorded from the traffic (the CloudWatch API reads them). */
  metrics: MetricStore
  /** WebSocket APIs: upgrades, messages, the @connections API (websocket/plane.ts). */
  websocket: WebSocketPlane
  close(): Promise<void>
}

const byStore = new WeakMap<Store, DataPlane>()

/** A fresh `x-amz-apigw-id`: 15 base64 characters and `=`, as AWS's look. */
function extendedRequestId(): string {
  return `${randomBase64(12).slice(0, 15)}=`
}

/** The data plane serving a store's stages (TestInvokeMethod runs requests through it). */
export function dataPlaneOf(store: Store): DataPlane | undefined {
  return byStore.get(store)
}

export function createDataPlane(options: DataPlaneOptions): DataPlane {
  const traffic = new Traffic({store: options.store, now: options.now, flushMs: options.usageFlushMs})
  const metrics = new MetricStore({
    store: options.store,
    now: options.now,
    flushMs: options.usageFlushMs,
    retentionMs: options.metricsRetentionMs,
  })
  const deps: DataPlaneDeps = {
    store: options.store,
    docs: new DocumentCache(options.store),
    now: options.now,
    region: options.region,
    accountId: LOCAL_ACCOUNT_ID,
    random: options.random,
    functions: options.functions,
    maxIntegrationTimeoutMs: options.maxIntegrationTimeoutMs ?? 29_000,
    credentials: new Map((options.credentials ?? DEFAULT_DATA_PLANE_CREDENTIALS).map((c) => [c.accessKeyId, c])),
    identity: options.identity,
    traffic,
    metrics,
  }
  const authorizerCache = new AuthorizerCache()
  const upstream = new Upstream()
  const deployments = new DeploymentCache(options.store)
  const writer = new LogWriter({
    store: options.store,
    now: options.now,
    region: options.region,
    accountId: LOCAL_ACCOUNT_ID,
    delayMs: options.logDelayMs,
  })
  const httpApis = createHttpApiPlane({deps, upstream, writer})
  const websocket = createWebSocketPlane({deps, writer})
  const chain: ChainHandler[] = [
    parse,
    createRoute(deployments),
    createAuthorize(authorizerCache),
    apiKey,
    throttle,
    validate,
    cacheLookup,
    integrationRequest,
    createIntegration(upstream),
    integrationResponse,
  ]

  async function run(ctx: InvocationContext): Promise<void> {
    try {
      for (const step of chain) {
        // Most steps are synchronous: awaiting only the promises spares a microtask turn per step.
        const pending = step(ctx)
        if (pending) await pending
        if (ctx.response) break
      }
      if (!ctx.response) throw new Error('the chain ended without a response')
      storeInCache(ctx)
    } catch (error) {
      if (error instanceof GatewayError) ctx.error = error
      else if (error instanceof NotSupportedError) {
        logError(ctx, error.message)
        ctx.response = {
          status: 501,
          headers: [
            ['Content-Type', 'application/json'],
            ['x-amzn-ErrorType', 'NotImplementedException'],
          ],
          body: Buffer.from(JSON.stringify({message: error.message})),
        }
      } else {
        logError(ctx, `Execution failed due to an internal error: ${(error as Error).message}`)
        if (process.env.APIGW_LOCAL_DEBUG) process.stderr.write(`${(error as Error).stack}\n`)
        ctx.error = new GatewayError('API_CONFIGURATION_ERROR')
      }
    }
    if (ctx.error) {
      ctx.response = undefined
      try {
        gatewayResponse(ctx)
      } catch (error) {
        logError(
          ctx,
          `Execution failed due to configuration error: the gateway response could not be rendered: ${(error as Error).message}`,
        )
        ctx.response = {
          status: 500,
          headers: [['Content-Type', 'application/json']],
          body: Buffer.from('{"message":"Internal server error"}'),
        }
      }
    }
    const response = ctx.response as MethodResponse
    setHeader(response.headers, 'x-amzn-RequestId', ctx.requestId)
    setHeader(response.headers, 'x-amz-apigw-id', ctx.extendedRequestId)
  }

  function newContext(target: DataPlaneTarget, request: InvocationRequest): InvocationContext {
    // Every field the chain may set is declared here, in one order: each request's context then has the same
    // shape from the start, and the chain's property reads stay monomorphic instead of following shape changes.
    return {
      requestId: randomUUID(),
      extendedRequestId: extendedRequestId(),
      requestTime: options.now(),
      started: performance.now(),
      target,
      incoming: undefined,
      request,
      stage: undefined,
      deployment: undefined,
      stageVariables: {},
      isCanary: false,
      route: undefined,
      integration: undefined,
      integrationRequest: undefined,
      integrationResult: undefined,
      integrationLatency: undefined,
      responseOverride: undefined,
      response: undefined,
      authorizer: undefined,
      iamCaller: undefined,
      rawTarget: undefined,
      error: undefined,
      apiKey: undefined,
      cache: undefined,
      trace: undefined,
      log: [],
      deps,
      testInvoke: false,
      infoLog: undefined,
    }
  }

  const plane: DataPlane = {
    async serve(req, res, target) {
      // A custom domain name with no mapping for the path: API Gateway's 403.
      if (target.forbidden) return refuseUnmapped(req, res, target)
      if (httpApis.handles(target.apiId)) return httpApis.serve(req, res, target)
      if (websocket.handles(target.apiId)) return websocket.serve(req, res, target)
      const request: InvocationRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path: target.path,
        rawQuery: target.rawQuery,
        query: [],
        headers: [],
        body: Buffer.alloc(0),
        sourceIp: '127.0.0.1',
        protocol: 'HTTP/1.1',
      }
      const ctx = newContext(target, request)
      ctx.incoming = req
      ctx.rawTarget = req.url ?? '/'
      await run(ctx)
      const response = ctx.response!
      const flat: string[] = []
      for (const [k, v] of response.headers) {
        const lower = k.toLowerCase()
        if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') continue
        flat.push(k, v)
      }
      flat.push('Content-Length', String(response.body.length))
      if (!res.destroyed) {
        try {
          res.writeHead(response.status, flat)
          res.end(response.body)
        } catch (error) {
          // A header value the client's answer cannot carry (control characters from a backend).
          logError(ctx, `Execution failed: the response could not be written: ${(error as Error).message}`)
          if (!res.headersSent) {
            res.writeHead(502, {
              'content-type': 'application/json',
              'x-amzn-requestid': ctx.requestId,
              'x-amzn-errortype': 'InternalServerErrorException',
            })
            res.end('{"message":"Internal server error"}')
          } else res.destroy()
        }
      }
      writeLogs(ctx, writer)
      recordRestRequest(ctx, metrics)
      return `Invoke ${target.apiId}/${target.stageName ?? ''}`
    },
    async invoke({target, request, deployment, stageVariables}) {
      const ctx = newContext(target, request)
      ctx.deployment = deployment
      ctx.stageVariables = {...stageVariables}
      ctx.testInvoke = true
      await run(ctx)
      return ctx
    },
    async runAlone(input, fn) {
      const ctx = newContext(input.target, input.request)
      ctx.stageVariables = {...input.stageVariables}
      if (input.deployment) ctx.deployment = input.deployment
      ctx.testInvoke = true
      try {
        return {ctx, value: await fn(ctx)}
      } catch (error) {
        return {ctx, error}
      }
    },
    flushAuthorizersCache: (apiId, stageName) =>
      authorizerCache.flushStage(apiId, stageName) + httpApis.flushAuthorizersCache(apiId, stageName),
    flushLogs: () => writer.flush(),
    traffic,
    metrics,
    websocket,
    async close() {
      byStore.delete(options.store)
      await websocket.close()
      await upstream.close()
      await traffic.close()
      await metrics.close()
      await writer.close()
    },
  }
  byStore.set(options.store, plane)
  return plane
}

/** What API Gateway answers on a custom domain name when no mapping or routing rule takes the path. */
async function refuseUnmapped(req: IncomingMessage, res: ServerResponse, target: DataPlaneTarget): Promise<string> {
  req.resume()
  const body = '{"message":"Forbidden"}'
  res.writeHead(403, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': 'ForbiddenException',
  })
  res.end(body)
  return `Invoke ${target.domainName} (no mapping)`
}
