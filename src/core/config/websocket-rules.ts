/** The ids of the WebSocket checks of validate (websocket.ts), apart so config.ts can list them without a cycle. */
import type {Level} from '../findings.ts'

/** The rules of `validate` for WebSocket APIs, with their default levels. Ids are permanent. */
export const WEBSOCKET_RULES: ReadonlyArray<{id: string; level: Level; description: string}> = [
  {id: 'websocket-selection-expression-invalid', level: 'error', description: 'Selection expressions parse as AWS reads them.'},
  {id: 'websocket-integration-missing', level: 'error', description: 'Every WebSocket route has an integration.'},
  {id: 'websocket-integration-incomplete', level: 'error', description: 'An integration names what its type needs.'},
  {id: 'websocket-authorizer-not-connect', level: 'error', description: 'Only the $connect route has an authorizer.'},
  {id: 'websocket-authorization-conflict', level: 'error', description: 'A route has an authorizer or AWS_IAM, not both.'},
  {id: 'websocket-authorizer-undefined', level: 'error', description: 'A route names an authorizer that authorizers: defines.'},
  {id: 'websocket-default-route-missing', level: 'info', description: 'Messages no route selects need $default.'},
  {id: 'websocket-stage-setting-ignored', level: 'warning', description: 'Stage settings WebSocket APIs do not have.'},
  {id: 'websocket-function-unknown', level: 'warning', description: 'A function name (not an ARN) is defined under functions:.'},
]
