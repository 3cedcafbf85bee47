/** The live side of a WebSocket API, read through apigatewayv2 for deploy, diff and the stage commands. */
import type {createApiGatewayWebSocketPort} from '../../aws/api-gateway-websocket.ts'
import {TAG_API} from '../../core/plan/plan.ts'
import {CliError} from '../../errors.ts'
import {findApi, type Ports} from './find-api.ts'

type Item = Record<string, unknown>
export type State = {
  routes: Item[]
  integrations: Item[]
  authorizers: Item[]
  integrationResponses: Map<string, Item[]>
  routeResponses: Map<string, Item[]>
}

export function emptyState(): State {
  return {routes: [], integrations: [], authorizers: [], integrationResponses: new Map(), routeResponses: new Map()}
}

/** The live API as apigatewayv2 lists it: routes, integrations, authorizers, integration and route responses. */
export async function currentState(port: ReturnType<typeof createApiGatewayWebSocketPort>, apiId: string): Promise<State> {
  const [routes, integrations, authorizers] = await Promise.all([
    port.list('GetRoutes', {ApiId: apiId}),
    port.list('GetIntegrations', {ApiId: apiId}),
    port.list('GetAuthorizers', {ApiId: apiId}),
  ])
  const integrationResponses = new Map<string, Item[]>()
  for (const i of integrations)
    integrationResponses.set(
      String(i.IntegrationId),
      await port.list('GetIntegrationResponses', {ApiId: apiId, IntegrationId: i.IntegrationId}),
    )
  const routeResponses = new Map<string, Item[]>()
  for (const r of routes) routeResponses.set(String(r.RouteId), await port.list('GetRouteResponses', {ApiId: apiId, RouteId: r.RouteId}))
  return {routes, integrations, authorizers, integrationResponses, routeResponses}
}

/** The WebSocket API apigw deployed for `key` (tag, then name), or AWS_NOT_FOUND naming how to deploy it. */
export async function requireWebSocketApi(ports: Ports, key: string): Promise<{id: string}> {
  const found = await findApi(ports, 'http', key)
  if (found) return found
  throw new CliError('AWS_NOT_FOUND', `No WebSocket API is tagged ${TAG_API}=${key} or named ${key}.`, {
    hint: `Deploy it first: \`apigw deploy ${key} --stage <stage>\` (check --region, --profile or --local).`,
  })
}
