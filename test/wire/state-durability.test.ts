import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  GetApiKeysCommand,
  GetRestApisCommand,
  GetStageCommand,
  ImportRestApiCommand,
} from '@aws-sdk/client-api-gateway'
import {startEmulator} from '../../src/local/server.ts'
import {openStore} from '../../src/local/store/store.ts'
import {localStartProcess} from '../helpers/cli.ts'
import {TEST_CREDENTIALS} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

const spec = readFileSync(new URL('../fixtures/specs/aws-rest-petstore-simple-swagger2.json', import.meta.url))
const client = (endpoint: string) => new APIGatewayClient({endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})

const serverProcess = localStartProcess

describe('emulator state', () => {
  it('survives kill -9 with everything committed before it', async () => {
    // Given a server process with an imported API, a deployed stage and an API key
    const dataDir = tempDir('apigw-kill-')
    const first = await serverProcess(dataDir)
    const c1 = client(first.endpoint)
    const api = await c1.send(new ImportRestApiCommand({body: spec, failOnWarnings: false}))
    await c1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'dev'}))
    const key = await c1.send(new CreateApiKeyCommand({name: 'k1', enabled: true}))
    c1.destroy()
    // When the process is killed with SIGKILL (no cleanup runs)
    first.child.kill('SIGKILL')
    await first.exited
    // Then a new server on the same directory has all of it
    const second = await serverProcess(dataDir)
    const c2 = client(second.endpoint)
    try {
      const apis = await c2.send(new GetRestApisCommand({}))
      assert.deepEqual(
        apis.items?.map((a) => a.id),
        [api.id],
      )
      const stage = await c2.send(new GetStageCommand({restApiId: api.id!, stageName: 'dev'}))
      assert.ok(stage.deploymentId)
      const keys = await c2.send(new GetApiKeysCommand({}))
      assert.deepEqual(
        keys.items?.map((k) => k.id),
        [key.id],
      )
    } finally {
      c2.destroy()
      second.child.kill('SIGTERM')
      await second.exited
    }
    const store = openStore(dataDir)
    assert.deepEqual({...store.db.prepare('PRAGMA integrity_check').get()}, {integrity_check: 'ok'})
    store.close()
  })

  it('stays consistent with two processes writing to one state directory at once', async () => {
    // Given a server process and a second emulator in this process, both on the same state directory
    const dataDir = tempDir('apigw-two-')
    const external = await serverProcess(dataDir)
    const local = await startEmulator({port: 0, dataDir})
    const a = client(external.endpoint)
    const b = client(local.url)
    try {
      // When both create 25 REST APIs concurrently
      const created = await Promise.all([
        ...Array.from({length: 25}, (_, i) => a.send(new CreateRestApiCommand({name: `a-${i}`}))),
        ...Array.from({length: 25}, (_, i) => b.send(new CreateRestApiCommand({name: `b-${i}`}))),
      ])
      // Then each side sees all 50, with the same ids, and the database is intact
      const ids = created.map((x) => x.id).sort()
      assert.equal(new Set(ids).size, 50)
      for (const c of [a, b]) {
        const listed = await c.send(new GetRestApisCommand({limit: 500}))
        assert.deepEqual(listed.items?.map((x) => x.id).sort(), ids)
      }
      assert.deepEqual({...local.store.db.prepare('PRAGMA integrity_check').get()}, {integrity_check: 'ok'})
    } finally {
      a.destroy()
      b.destroy()
      await local.close()
      external.child.kill('SIGTERM')
      await external.exited
    }
  })
})
