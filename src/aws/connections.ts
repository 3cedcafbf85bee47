/**
 * The port over the @connections API of one WebSocket stage (@aws-sdk/client-apigatewaymanagementapi): the same
 * SDK call on AWS (`https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`) and on the emulator (its stage
 * URL), both SigV4-signed for execute-api. The management API's own errors become CliErrors here (GoneException,
 * PayloadTooLargeException, ForbiddenException and the signature refusals); the rest go through mapAwsError.
 * https://docs.aws.amazon.com/apigateway/latest/api/apigatewaymanagementapi.html
 */
import {CliError} from '../errors.ts'
import type {AwsClients} from './clients.ts'
import {mapAwsError, statusOf} from './errors.ts'
import type {SigningCredentials} from './sigv4.ts'

export type ConnectionsTarget = {
  /** The stage's URL (the SDK client's endpoint). */
  endpoint: string
  apiId: string
  stage: string
  region: string
  local: boolean
  credentials?: SigningCredentials | undefined
}

export type ConnectionsPort = {
  /** PostToConnection: `data` as one frame to the connection. */
  postToConnection(connectionId: string, data: string): Promise<void>
}

/** The stage URL the management API is called at: the emulator's path-style stage address, or AWS's. */
export function managementEndpoint(target: {apiId: string; stage: string; region: string; localOrigin?: string | undefined}): string {
  const stage = encodeURIComponent(target.stage)
  return target.localOrigin
    ? `${target.localOrigin}/_aws/execute-api/${target.apiId}/${stage}`
    : `https://${target.apiId}.execute-api.${target.region}.amazonaws.com/${stage}`
}

export function createConnectionsPort(clients: AwsClients, target: ConnectionsTarget): ConnectionsPort {
  const flag = target.local ? ' --local' : ''
  return {
    async postToConnection(connectionId, data) {
      const [m, client] = await Promise.all([
        import('@aws-sdk/client-apigatewaymanagementapi'),
        clients.managementApi(target.endpoint, target.credentials),
      ])
      try {
        await client.send(new m.PostToConnectionCommand({ConnectionId: connectionId, Data: Buffer.from(data, 'utf8')}))
      } catch (error) {
        throw connectionsError(error, connectionId, target, flag)
      }
    },
  }
}

function connectionsError(error: unknown, connectionId: string, target: ConnectionsTarget, flag: string): CliError {
  const name = (error as {name?: string})?.name ?? ''
  const status = statusOf(error)
  const message = String((error as {message?: unknown})?.message ?? '').trim()
  if (name === 'GoneException' || status === 410)
    return new CliError('AWS_NOT_FOUND', `Connection ${connectionId} is gone (410) on stage ${target.stage}.`, {
      hint: target.local
        ? 'List open connections: `apigw ws connections --local`.'
        : 'The client has disconnected; take connection ids from your $connect handler (requestContext.connectionId).',
      cause: error,
    })
  if (name === 'PayloadTooLargeException' || status === 413)
    return new CliError('USAGE', 'The data is over 128 KB, the most one message carries.', {hint: 'Send less data.', cause: error})
  const resource = `arn:aws:execute-api:${target.region}:*:${target.apiId}/${target.stage}/POST/@connections/*`
  const signature = /Exception$/.test(name) && /Signature|UnrecognizedClient|MissingAuthenticationToken|ExpiredToken/.test(name)
  if (target.local && (signature || name === 'ForbiddenException' || status === 403))
    return new CliError('AWS_CREDENTIALS', `The emulator refused the signed @connections call (${name || status}): ${message}`, {
      hint:
        'Sign with a key pair `apigw local start` accepts: unset AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (the default ' +
        'pair test/test), or start it with `--credentials FILE` holding your keys.',
      cause: error,
    })
  if (name === 'ForbiddenException' || name === 'AccessDeniedException')
    return new CliError('AWS_ACCESS_DENIED', `@connections refused the call (${name}): ${message || 'Forbidden'}`, {
      hint:
        `Allow execute-api:ManageConnections on ${resource} for the caller (IAM), and check --stage and --region ` +
        `(a wrong stage or API answers Forbidden too)${flag ? '' : ', or pass --profile'}.`,
      cause: error,
    })
  return mapAwsError(error, {operation: 'PostToConnection', resource: connectionId})
}
