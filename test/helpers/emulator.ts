/** Start the emulator in-process on port 0 with a fresh state directory, and real SDK clients aimed at it. */
import {rmSync} from 'node:fs'
import {APIGatewayClient} from '@aws-sdk/client-api-gateway'
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs'
import {type Emulator, type EmulatorOptions, startEmulator} from '../../src/local/server.ts'
import {tempDir} from './temp.ts'

export type TestEmulator = {
  emulator: Emulator
  url: string
  dataDir: string
  v1: APIGatewayClient
  v2: ApiGatewayV2Client
  logs: CloudWatchLogsClient
  close(): Promise<void>
}

export const TEST_CREDENTIALS = {accessKeyId: 'AKIDTEST', secretAccessKey: 'secret'}

/**
 * A SigV4-shaped Authorization header for raw HTTP requests to the control plane, which refuses unsigned
 * requests (it checks the shape, never the signature).
 */
export const SIGNED = {
  authorization:
    'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
}

export async function startTestEmulator(
  options: {dataDir?: string; region?: string; emulator?: Partial<EmulatorOptions>} = {},
): Promise<TestEmulator> {
  const dataDir = options.dataDir ?? tempDir('apigw-emu-')
  const emulator = await startEmulator({...options.emulator, port: 0, dataDir})
  const config = {endpoint: emulator.url, region: options.region ?? 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1}
  const v1 = new APIGatewayClient(config)
  const v2 = new ApiGatewayV2Client(config)
  const logs = new CloudWatchLogsClient(config)
  return {
    emulator,
    url: emulator.url,
    dataDir,
    v1,
    v2,
    logs,
    close: async () => {
      v1.destroy()
      v2.destroy()
      logs.destroy()
      await emulator.close()
      if (!options.dataDir) rmSync(dataDir, {recursive: true, force: true})
    },
  }
}

/**
 * A WebSocket API whose `$default` route is a MOCK integration that answers nothing, auto-deployed to stage `dev`:
 * enough for clients to connect and to be reached through @connections. Answers its API id.
 */
export async function createMockWebSocketApi(v2: ApiGatewayV2Client, name: string): Promise<string> {
  const apiId = (
    await v2.send(new CreateApiCommand({Name: name, ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action'}))
  ).ApiId!
  const mock = await v2.send(
    new CreateIntegrationCommand({ApiId: apiId, IntegrationType: 'MOCK', RequestTemplates: {$default: '{"statusCode": 200}'}}),
  )
  await v2.send(new CreateRouteCommand({ApiId: apiId, RouteKey: '$default', Target: `integrations/${mock.IntegrationId}`}))
  await v2.send(new CreateStageCommand({ApiId: apiId, StageName: 'dev', AutoDeploy: true}))
  return apiId
}
