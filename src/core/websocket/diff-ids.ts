/** The ids of the WebSocket diff checks (diff.ts), apart so config.ts can list them without a cycle. Ids are permanent. */
export const WEBSOCKET_DIFF_IDS: readonly string[] = [
  'websocket-route-removed',
  'websocket-route-renamed',
  'websocket-route-added',
  'websocket-route-selection-expression-changed',
  'websocket-integration-changed',
  'websocket-integration-timeout-changed',
  'websocket-integration-templates-changed',
  'websocket-authorizer-added',
  'websocket-authorizer-changed',
  'websocket-authorizer-removed',
  'websocket-api-key-required-added',
  'websocket-route-response-removed',
  'websocket-route-response-added',
]
