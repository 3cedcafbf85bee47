/**
 * Running a WebSocket route's integration: AWS_PROXY (the Lambda proxy event), AWS (Lambda with a request
 * template), HTTP_PROXY and HTTP (the message posted to the URI), MOCK (the request template's statusCode).
 * The answer is what a two-way route sends back: the proxy `body`, or the integration response's template.
 */
import type {AuthorizerDoc, IntegrationDoc, RouteDoc} from '../../control-plane/v2/common.ts'
import {evaluateSelection, parseSelectionExpression} from '../../../core/websocket/expressions.ts'
import type {FunctionHost} from '../context.ts'
import {renderTemplate} from '../vtl/index.ts'
import {type EventInput, proxyEventJson, requestContextOf} from './events.ts'
import {withStageVariables} from '../stage-variables.ts'

export type IntegrationResponseDoc = {
  integrationResponseId: string
  integrationResponseKey: string
  responseTemplates?: Record<string, string>
  templateSelectionExpression?: string
  responseParameters?: Record<string, string>
  contentHandlingStrategy?: string
}

export type CompiledRoute = {
  route: RouteDoc
  integration: IntegrationDoc | undefined
  authorizer: AuthorizerDoc | undefined
  integrationResponses: IntegrationResponseDoc[]
}

/** Why an integration failed; the client gets AWS's `Internal server error` frame, the log gets the reason. */
export class IntegrationFailure extends Error {}

export type IntegrationAnswer = {statusCode: number; body: string | undefined}

export type IntegrationDeps = {functions: FunctionHost | undefined; stageVariables: Record<string, string>}

/** Run the route's integration for one event. Throws IntegrationFailure. */
export async function runIntegration(compiled: CompiledRoute, input: EventInput, deps: IntegrationDeps): Promise<IntegrationAnswer> {
  const integration = compiled.integration
  if (!integration) throw new IntegrationFailure(`No integration is set for route ${compiled.route.routeKey}`)
  const type = integration.integrationType
  const uri = withStageVariables(integration.integrationUri ?? '', deps.stageVariables)
  const body = input.body ?? ''
  if (type === 'AWS_PROXY') {
    const payload = await invoke(deps, uri, proxyEventJson(input), input.requestId)
    return proxyAnswer(payload)
  }
  const context = {...requestContextOf(input), stageVariables: deps.stageVariables}
  const requestBody = requestTemplate(integration, body, context, deps.stageVariables)
  let statusCode = 200
  let responseBody: string
  if (type === 'AWS') {
    responseBody = await invoke(deps, uri, requestBody, input.requestId)
  } else if (type === 'HTTP' || type === 'HTTP_PROXY') {
    let res: Response
    try {
      res = await fetch(uri, {
        method: integration.integrationMethod ?? 'POST',
        body: type === 'HTTP_PROXY' ? body : requestBody,
        headers: {'Content-Type': 'application/json'},
        signal: AbortSignal.timeout(integration.timeoutInMillis || 29_000),
      })
    } catch (error) {
      throw new IntegrationFailure(`The HTTP integration ${uri} failed: ${(error as Error).message}`)
    }
    statusCode = res.status
    responseBody = await res.text()
    if (type === 'HTTP_PROXY') return {statusCode, body: responseBody}
  } else if (type === 'MOCK') {
    // The request template's {"statusCode": N} is the mock's status; the response template makes the answer.
    try {
      const parsed = JSON.parse(requestBody || '{}') as {statusCode?: unknown}
      if (typeof parsed.statusCode === 'number') statusCode = parsed.statusCode
    } catch {
      throw new IntegrationFailure('The MOCK request template did not produce JSON with a statusCode')
    }
    responseBody = ''
  } else throw new IntegrationFailure(`Integration type ${type} is not supported`)
  return {statusCode, body: responseTemplate(compiled.integrationResponses, statusCode, responseBody, context, deps.stageVariables)}
}

async function invoke(deps: IntegrationDeps, uri: string, payload: string, requestId: string | undefined): Promise<string> {
  if (!deps.functions) throw new IntegrationFailure('No function host runs Lambda integrations here')
  let result: Awaited<ReturnType<FunctionHost['invoke']>>
  try {
    result = await deps.functions.invoke(uri, payload, requestId ? {requestId} : {})
  } catch (error) {
    throw new IntegrationFailure(`Lambda invocation failed: ${(error as Error).message}`)
  }
  const text = result.payload.toString('utf8')
  if (result.functionError) throw new IntegrationFailure(`Lambda function error: ${text}`)
  return text
}

function proxyAnswer(payload: string): IntegrationAnswer {
  if (payload.trim() === '' || payload === 'null') return {statusCode: 200, body: undefined}
  let value: unknown
  try {
    value = JSON.parse(payload)
  } catch {
    return {statusCode: 200, body: payload}
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {statusCode: 200, body: payload}
  const answer = value as Record<string, unknown>
  const statusCode = typeof answer.statusCode === 'number' ? answer.statusCode : 200
  const body =
    answer.body === undefined || answer.body === null
      ? undefined
      : typeof answer.body === 'string'
        ? answer.body
        : JSON.stringify(answer.body)
  return {statusCode, body}
}

function selectKey(expression: string | undefined, body: string): string {
  if (!expression || /^\\?\$default$/.test(expression)) return '$default'
  const parsed = parseSelectionExpression(expression)
  if (!parsed.ok) return '$default'
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return '$default'
  }
  return evaluateSelection(parsed.parts, json) ?? '$default'
}

function requestTemplate(
  integration: IntegrationDoc,
  body: string,
  context: Record<string, unknown>,
  stageVariables: Record<string, string>,
): string {
  const templates = integration.requestTemplates ?? {}
  if (Object.keys(templates).length === 0) return body
  const key = selectKey(integration.templateSelectionExpression, body)
  const template = templates[key] ?? templates.$default
  if (template === undefined) {
    if (integration.passthroughBehavior === 'NEVER' || integration.passthroughBehavior === 'WHEN_NO_TEMPLATES')
      throw new IntegrationFailure(`No request template matches "${key}" and passthroughBehavior is ${integration.passthroughBehavior}`)
    return body
  }
  return render(template, body, context, stageVariables)
}

/** The integration response whose key matches the status (`$default`, or `/2\d\d/` patterns), its template applied. */
function responseTemplate(
  responses: IntegrationResponseDoc[],
  statusCode: number,
  body: string,
  context: Record<string, unknown>,
  stageVariables: Record<string, string>,
): string | undefined {
  const status = String(statusCode)
  const match =
    responses.find((r) => {
      const m = /^\/(.*)\/$/.exec(r.integrationResponseKey)
      if (!m) return r.integrationResponseKey === status
      try {
        return new RegExp(`^(?:${m[1]})$`).test(status)
      } catch {
        return false
      }
    }) ?? responses.find((r) => r.integrationResponseKey === '$default')
  if (!match) return body === '' ? undefined : body
  const templates = match.responseTemplates ?? {}
  if (Object.keys(templates).length === 0) return body === '' ? undefined : body
  const key = selectKey(match.templateSelectionExpression, body)
  const template = templates[key] ?? templates.$default
  if (template === undefined) return body === '' ? undefined : body
  return render(template, body, context, stageVariables)
}

function render(template: string, body: string, context: Record<string, unknown>, stageVariables: Record<string, string>): string {
  try {
    return renderTemplate(template, {body, params: {path: {}, querystring: {}, header: {}}, stageVariables, context}).output
  } catch (error) {
    throw new IntegrationFailure(`The mapping template failed: ${(error as Error).message}`)
  }
}
