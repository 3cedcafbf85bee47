/**
 * The port over API Gateway v2 for WebSocket APIs: the configuration operations `deploy` reconciles (API,
 * routes, integrations, authorizers, route and integration responses) by their SDK operation name. Every
 * call goes through the scheduler; errors become CliErrors (src/aws/errors.ts).
 */
import type {AwsClients} from './clients.ts'
import {mapAwsError} from './errors.ts'
import {passThrough, type Scheduler} from './scheduler.ts'

/** The operations the WebSocket lifecycle uses (each is `<Operation>Command` of @aws-sdk/client-apigatewayv2). */
export type WebSocketOperation =
  | 'CreateApi'
  | 'UpdateApi'
  | 'GetRoutes'
  | 'CreateRoute'
  | 'UpdateRoute'
  | 'DeleteRoute'
  | 'GetIntegrations'
  | 'CreateIntegration'
  | 'UpdateIntegration'
  | 'DeleteIntegration'
  | 'GetAuthorizers'
  | 'CreateAuthorizer'
  | 'UpdateAuthorizer'
  | 'DeleteAuthorizer'
  | 'GetRouteResponses'
  | 'CreateRouteResponse'
  | 'DeleteRouteResponse'
  | 'GetIntegrationResponses'
  | 'CreateIntegrationResponse'
  | 'UpdateIntegrationResponse'
  | 'DeleteIntegrationResponse'

export type ApiGatewayWebSocketPort = {
  send<T = Record<string, unknown>>(operation: WebSocketOperation, input: Record<string, unknown>): Promise<T>
  /** A Get* list operation, every page. */
  list<T = Record<string, unknown>>(operation: WebSocketOperation, input: Record<string, unknown>): Promise<T[]>
}

type Sdk = Record<string, new (input: object) => object>

export function createApiGatewayWebSocketPort(clients: AwsClients, scheduler: Scheduler = passThrough): ApiGatewayWebSocketPort {
  let sdk: Promise<Sdk> | undefined
  const load = () => (sdk ??= import('@aws-sdk/client-apigatewayv2') as unknown as Promise<Sdk>)
  const send = async <T>(operation: WebSocketOperation, input: Record<string, unknown>): Promise<T> => {
    const [m, client] = await Promise.all([load(), clients.apiGatewayV2()])
    const Command = m[`${operation}Command`]!
    try {
      return (await scheduler.run(operation, () => client.send(new Command(input) as never))) as T
    } catch (error) {
      throw mapAwsError(error, {operation, resource: `WebSocket API ${String(input.ApiId ?? input.Name ?? '')}`})
    }
  }
  return {
    send,
    async list<T>(operation: WebSocketOperation, input: Record<string, unknown>): Promise<T[]> {
      const out: T[] = []
      let next: string | undefined
      do {
        const page = await send<{Items?: T[]; NextToken?: string}>(operation, {...input, MaxResults: '500', NextToken: next})
        out.push(...(page.Items ?? []))
        next = page.NextToken
      } while (next)
      return out
    },
  }
}
