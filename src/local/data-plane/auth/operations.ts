/**
 * The control-plane operations of authorizers that run on the data plane: TestInvokeAuthorizer
 * (`POST /restapis/{id}/authorizers/{authorizer_id}`: the authorizer run once on the given headers, query and
 * stage variables, without the cache, answering clientStatus, principalId, the policy, claims, latency and the
 * execution log) and FlushStageAuthorizersCache (`DELETE /restapis/{id}/stages/{stage}/cache/authorizers`, 202).
 */
import {childId, KIND, requireRestApi} from '../../control-plane/model.ts'
import {loadSnapshot} from '../../control-plane/v1/config.ts'
import {requireStage} from '../../control-plane/v1/lookup.ts'
import type {AuthorizerDoc} from '../../openapi/types.ts'
import {badRequest, notFound, notImplemented} from '../../protocol/aws-error.ts'
import type {Handler} from '../../types.ts'
import {compileDeployment} from '../deployment.ts'
import {GatewayError, GATEWAY_RESPONSES} from '../gateway-responses.ts'
import {dataPlaneOf} from '../gateway.ts'
import {executionLogLines} from '../handlers/access-log.ts'
import type {HeaderList} from '../headers.ts'
import {testLogTime} from '../test-invoke.ts'
import {runCognitoAuthorizer} from './cognito.ts'
import {runLambdaAuthorizer} from './lambda-authorizer.ts'

export const flushStageAuthorizersCache: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  requireRestApi(ctx.store, restApiId)
  requireStage(ctx.store, restApiId, req.params.stage_name!)
  dataPlaneOf(ctx.store)?.flushAuthorizersCache(restApiId, req.params.stage_name!)
  return {status: 202}
}

export const testInvokeAuthorizer: Handler = async (req, ctx) => {
  const dataPlane = dataPlaneOf(ctx.store)
  if (!dataPlane) throw notImplemented('TestInvokeAuthorizer')
  const restApiId = req.params.restapi_id!
  const input = req.json()
  const {snapshot, authorizer} = await ctx.store.read(() => {
    const api = requireRestApi(ctx.store, restApiId)
    const found = ctx.store.get<AuthorizerDoc>(KIND.authorizer, childId(restApiId, req.params.authorizer_id!))
    if (!found) throw notFound('Invalid Authorizer identifier specified')
    return {snapshot: loadSnapshot(ctx.store, api), authorizer: found}
  })
  const headers: HeaderList = []
  if (input.headers && typeof input.headers === 'object')
    for (const [k, v] of Object.entries(input.headers as Record<string, unknown>)) headers.push([k, String(v)])
  if (input.multiValueHeaders && typeof input.multiValueHeaders === 'object') {
    for (const [k, list] of Object.entries(input.multiValueHeaders as Record<string, unknown>))
      if (Array.isArray(list)) for (const v of list) headers.push([k, String(v)])
  }
  const pathWithQuery = typeof input.pathWithQueryString === 'string' && input.pathWithQueryString !== '' ? input.pathWithQueryString : '/'
  if (!pathWithQuery.startsWith('/')) throw badRequest('Invalid pathWithQueryString: it must start with /')
  const q = pathWithQuery.indexOf('?')
  const path = q === -1 ? pathWithQuery : pathWithQuery.slice(0, q)
  const rawQuery = q === -1 ? '' : pathWithQuery.slice(q + 1)
  const stageVariables: Record<string, string> = {}
  if (input.stageVariables && typeof input.stageVariables === 'object')
    for (const [k, v] of Object.entries(input.stageVariables as Record<string, unknown>)) stageVariables[k] = String(v)
  const started = performance.now()
  const type = authorizer.type.toUpperCase()
  const run = await dataPlane.runAlone(
    {
      target: {apiId: restApiId, stageName: 'test-invoke-stage', path, rawQuery, domainName: 'testPrefix.testDomainName', style: 'path'},
      request: {
        method: 'GET',
        path,
        rawQuery,
        query: [...new URLSearchParams(rawQuery)],
        headers,
        body: Buffer.from(typeof input.body === 'string' ? input.body : '', 'utf8'),
        sourceIp: 'test-invoke-source-ip',
        protocol: 'HTTP/1.1',
      },
      stageVariables,
      deployment: compileDeployment('test-invoke-deployment-id', snapshot),
    },
    async (c) =>
      type === 'COGNITO_USER_POOLS'
        ? {kind: 'cognito' as const, result: await runCognitoAuthorizer(c, authorizer, undefined)}
        : {kind: 'lambda' as const, result: await runLambdaAuthorizer(c, {authorizer, test: true})},
  )
  const latency = Math.round(performance.now() - started)
  const at = testLogTime(ctx.now())
  const log =
    `${[`Execution log for request ${run.ctx.requestId}`, ...executionLogLines(run.ctx, 'INFO').map((l) => `${at} : ${l}`)].join('\n')}` +
    `\n`
  if (run.error !== undefined) {
    if (!(run.error instanceof GatewayError)) throw run.error
    return {status: 200, body: {clientStatus: GATEWAY_RESPONSES[run.error.type].status, log, latency}}
  }
  const value = run.value!
  if (value.kind === 'cognito') return {status: 200, body: {clientStatus: 200, log, latency, claims: value.result.claims ?? {}}}
  const r = value.result
  return {
    status: 200,
    body: {
      clientStatus: 200,
      log,
      latency,
      principalId: r.principalId,
      policy: JSON.stringify(r.policyDocument),
      authorization: {},
      ...(Object.keys(r.context).length > 0
        ? {context: Object.fromEntries(Object.entries(r.context).map(([k, v]) => [k, String(v)]))}
        : {}),
    },
  }
}
