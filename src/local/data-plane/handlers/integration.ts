/**
 * Chain step 5: call the integration by type. AWS service integrations other than Lambda are not
 * emulated: 500, with an execution-log line naming the service and action.
 */
import type {ChainHandler} from '../context.ts'
import {logError} from '../context.ts'
import {GatewayError} from '../gateway-responses.ts'
import {invokeHttp} from '../integrations/http.ts'
import type {Upstream} from '../integrations/upstream.ts'
import {invokeLambda, isLambdaUri} from '../integrations/lambda.ts'
import {invokeMock} from '../integrations/mock.ts'

export function createIntegration(upstream: Upstream): ChainHandler {
  return (ctx) => {
    const integration = ctx.integration
    if (!integration || !ctx.integrationRequest) return
    const type = integration.type.toUpperCase()
    if (type === 'MOCK') return invokeMock(ctx)
    if (type === 'HTTP' || type === 'HTTP_PROXY') return invokeHttp(ctx, upstream)
    if ((type === 'AWS' || type === 'AWS_PROXY') && isLambdaUri(integration.uri)) return invokeLambda(ctx)
    const service = /^arn:aws:apigateway:[^:]*:([^:]+):(.*)$/.exec(integration.uri ?? '')
    logError(
      ctx,
      `Execution failed due to configuration error: the apigw local emulator does not emulate AWS service ` +
        `integrations other than Lambda (${service ? `${service[1]} ${service[2]}` : (integration.uri ?? 'no uri')})`,
    )
    throw new GatewayError('API_CONFIGURATION_ERROR')
  }
}
