/**
 * @connections accepts the keys local handlers sign with (data-plane/functions/credentials.ts): with AWS_PROFILE
 * naming a profile of the shared credentials file and no keys in the environment, a post signed with that profile's
 * keys is delivered (handlers keep the developer's profile, so they can still call AWS), and a key the emulator
 * cannot verify is refused as AWS refuses one.
 */
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {ApiGatewayManagementApiClient, PostToConnectionCommand} from '@aws-sdk/client-apigatewaymanagementapi'
import WebSocket from 'ws'
import {createMockWebSocketApi, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

describe('@connections and the keys of the developer profile', () => {
  let t: TestEmulator
  let apiId: string
  const saved = {...process.env}
  before(async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'credentials'), '[dev]\naws_access_key_id = AKIDPROFILEDEV\naws_secret_access_key = profile-secret\n')
    delete process.env.AWS_ACCESS_KEY_ID
    delete process.env.AWS_SECRET_ACCESS_KEY
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials')
    process.env.AWS_CONFIG_FILE = join(dir, 'config')
    process.env.AWS_PROFILE = 'dev'
    t = await startTestEmulator()
    apiId = await createMockWebSocketApi(t.v2, 'keys')
  })
  after(async () => {
    await t?.close()
    for (const k of ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
  })

  it('delivers a post signed with the profile keys and refuses a key it cannot verify', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${t.emulator.port}/_aws/execute-api/${apiId}/dev`)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const list = (await (await fetch(`${t.url}/_apigw/websocket/connections`)).json()) as {connections: Array<{connectionId: string}>}
    assert.equal(list.connections.length, 1)
    const id = list.connections[0]!.connectionId
    const client = (accessKeyId: string, secretAccessKey: string) =>
      new ApiGatewayManagementApiClient({
        endpoint: `${t.url}/_aws/execute-api/${apiId}/dev`,
        region: 'us-east-1',
        credentials: {accessKeyId, secretAccessKey},
        maxAttempts: 1,
      })
    const received = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))))
    const profile = client('AKIDPROFILEDEV', 'profile-secret')
    await profile.send(new PostToConnectionCommand({ConnectionId: id, Data: Buffer.from('from the profile')}))
    assert.equal(await received, 'from the profile')
    const stranger = client('AKIDSTRANGER', 'nope')
    await assert.rejects(stranger.send(new PostToConnectionCommand({ConnectionId: id, Data: Buffer.from('x')})), (e: Error) => {
      assert.equal(e.name, 'UnrecognizedClientException')
      return true
    })
    profile.destroy()
    stranger.destroy()
    ws.close()
  })
})
