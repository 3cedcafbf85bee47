/**
 * TestInvokeMethod (`POST /restapis/{id}/resources/{rid}/methods/{verb}`): runs one request through the
 * data-plane chain against the API's working configuration (as the console's Test button does), with the
 * given stage variables, and answers status, body, headers, multiValueHeaders, latency and the execution
 * log in AWS's text format. It runs outside the store's write queue: the backend may be slow.
 */
import {loadSnapshot} from '../control-plane/v1/config.ts'
import {requireResource} from '../control-plane/v1/lookup.ts'
import {requireRestApi} from '../control-plane/model.ts'
import {badRequest, notFound, notImplemented} from '../protocol/aws-error.ts'
import type {Handler} from '../types.ts'
import type {InvocationContext} from './context.ts'
import {compileDeployment} from './deployment.ts'
import {dataPlaneOf} from './gateway.ts'
import {executionLogLines} from './handlers/access-log.ts'
import type {HeaderList} from './headers.ts'

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `Sat Dec 05 08:30:00 UTC 2026`, the timestamp of AWS's test-invoke log lines. */
export function testLogTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  )
}

export const testInvokeMethod: Handler = async (req, ctx) => {
  const dataPlane = dataPlaneOf(ctx.store)
  if (!dataPlane) throw notImplemented('TestInvokeMethod')
  const restApiId = req.params.restapi_id!
  const verb = req.params.http_method!.toUpperCase()
  const input = req.json()
  const {snapshot, resource} = await ctx.store.read(() => {
    const api = requireRestApi(ctx.store, restApiId)
    const found = requireResource(ctx.store, restApiId, req.params.resource_id!)
    return {snapshot: loadSnapshot(ctx.store, api), resource: found}
  })
  if (!resource.resourceMethods?.[verb]) throw notFound('Invalid Method identifier specified')
  const pathWithQuery =
    typeof input.pathWithQueryString === 'string' && input.pathWithQueryString !== '' ? input.pathWithQueryString : resource.path
  if (!pathWithQuery.startsWith('/')) throw badRequest('Invalid pathWithQueryString: it must start with /')
  const q = pathWithQuery.indexOf('?')
  const headers: HeaderList = []
  if (input.headers && typeof input.headers === 'object')
    for (const [k, v] of Object.entries(input.headers as Record<string, unknown>)) headers.push([k, String(v)])
  if (input.multiValueHeaders && typeof input.multiValueHeaders === 'object') {
    for (const [k, list] of Object.entries(input.multiValueHeaders as Record<string, unknown>)) {
      if (Array.isArray(list))
        for (const v of list)
          if (!headers.some(([h, x]) => h.toLowerCase() === k.toLowerCase() && x === String(v))) headers.push([k, String(v)])
    }
  }
  const rawQuery = q === -1 ? '' : pathWithQuery.slice(q + 1)
  const stageVariables: Record<string, string> = {}
  if (input.stageVariables && typeof input.stageVariables === 'object')
    for (const [k, v] of Object.entries(input.stageVariables as Record<string, unknown>)) stageVariables[k] = String(v)
  const started = performance.now()
  const result: InvocationContext = await dataPlane.invoke({
    target: {
      apiId: restApiId,
      stageName: 'test-invoke-stage',
      path: q === -1 ? pathWithQuery : pathWithQuery.slice(0, q),
      rawQuery,
      domainName: 'testPrefix.testDomainName',
      style: 'path',
    },
    request: {
      method: verb,
      path: q === -1 ? pathWithQuery : pathWithQuery.slice(0, q),
      rawQuery,
      query: [...new URLSearchParams(rawQuery)],
      headers,
      body: Buffer.from(typeof input.body === 'string' ? input.body : '', 'utf8'),
      sourceIp: 'test-invoke-source-ip',
      protocol: 'HTTP/1.1',
    },
    deployment: compileDeployment('test-invoke-deployment-id', snapshot),
    stageVariables,
  })
  const latency = Math.round(performance.now() - started)
  const response = result.response!
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  for (const [k, v] of response.headers) {
    single[k] = v
    const list = multi[k] ?? []
    list.push(v)
    multi[k] = list
  }
  const at = testLogTime(ctx.now())
  const log = [`Execution log for request ${result.requestId}`, ...executionLogLines(result, 'INFO').map((l) => `${at} : ${l}`)].join('\n')
  return {
    status: 200,
    body: {
      status: response.status,
      body: response.body.toString('utf8'),
      headers: single,
      multiValueHeaders: multi,
      log: `${log}\n`,
      latency,
    },
  }
}
