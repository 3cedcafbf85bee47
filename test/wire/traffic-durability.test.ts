/**
 * Usage survives a restart: `apigw local start` as its own process counts a key's requests in memory and writes
 * them behind at most every second, so a kill -9 loses at most the last second; a normal stop (SIGTERM) loses
 * nothing. The restarted server goes on counting the quota from what was written.
 */
import assert from 'node:assert/strict'
import {rmSync} from 'node:fs'
import {describe, it} from 'node:test'
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetUsageCommand,
  ImportRestApiCommand,
} from '@aws-sdk/client-api-gateway'
import {KIND} from '../../src/local/control-plane/model.ts'
import {type UsageDoc, usageId} from '../../src/local/control-plane/v1/usage-plans.ts'
import {openStore} from '../../src/local/store/store.ts'
import {localStartProcess} from '../helpers/cli.ts'
import {TEST_CREDENTIALS} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'
import {trafficSpec} from './traffic-setup.ts'

const VALUE = 'durable-key-0123456789abcdef'

const serverProcess = localStartProcess

const client = (endpoint: string) => new APIGatewayClient({endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})

async function served(endpoint: string, apiId: string, n: number): Promise<number> {
  let ok = 0
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${endpoint}/_aws/execute-api/${apiId}/dev/keyed`, {headers: {'x-api-key': VALUE}})
    await res.arrayBuffer()
    if (res.status === 200) ok++
  }
  return ok
}

/** Wait (on a condition, polling the state from another connection) until the day's usage document says `used`. */
async function storedUsage(dataDir: string, planId: string, keyId: string, atLeast: number): Promise<number> {
  const store = openStore(dataDir)
  try {
    const day = new Date().toISOString().slice(0, 10)
    const deadline = Date.now() + 20_000
    for (;;) {
      const used = store.get<UsageDoc>(KIND.usage, usageId(planId, keyId, day))?.used ?? 0
      if (used >= atLeast || Date.now() > deadline) return used
      await new Promise((r) => setTimeout(r, 50))
    }
  } finally {
    store.close()
  }
}

describe('usage across restarts', () => {
  it('keeps what was written behind through kill -9 (at most the last second lost) and all of it through a stop', async () => {
    const dataDir = tempDir('apigw-usage-kill-')
    try {
      // Given a server process, a key with a quota of 20 a day, and 6 requests served
      const first = await serverProcess(dataDir)
      const c1 = client(first.endpoint)
      const api = await c1.send(new ImportRestApiCommand({body: Buffer.from(JSON.stringify(trafficSpec()))}))
      await c1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'dev'}))
      const keyId = (await c1.send(new CreateApiKeyCommand({name: 'durable', value: VALUE, enabled: true}))).id!
      const planId = (
        await c1.send(
          new CreateUsagePlanCommand({name: 'p', apiStages: [{apiId: api.id!, stage: 'dev'}], quota: {limit: 20, period: 'DAY'}}),
        )
      ).id!
      await c1.send(new CreateUsagePlanKeyCommand({usagePlanId: planId, keyId, keyType: 'API_KEY'}))
      c1.destroy()
      assert.equal(await served(first.endpoint, api.id!, 6), 6)
      // When the counts reach the state (written behind within a second), 2 more are served, and it is killed
      assert.equal(await storedUsage(dataDir, planId, keyId, 6), 6)
      assert.equal(await served(first.endpoint, api.id!, 2), 2)
      first.child.kill('SIGKILL')
      await first.exited
      // Then a restarted server knows at least the 6 written and at most all 8
      const second = await serverProcess(dataDir)
      const c2 = client(second.endpoint)
      const today = new Date().toISOString().slice(0, 10)
      const usage = await c2.send(new GetUsageCommand({usagePlanId: planId, keyId, startDate: today, endDate: today}))
      const [used, remaining] = usage.items![keyId]![0]!
      assert.ok(used! >= 6 && used! <= 8, `used ${used}`)
      assert.equal(remaining, 20 - used!)
      // And it goes on counting the quota from there; a normal stop writes everything
      assert.equal(await served(second.endpoint, api.id!, 3), 3)
      second.child.kill('SIGTERM')
      await second.exited
      const third = await serverProcess(dataDir)
      const c3 = client(third.endpoint)
      const after = await c3.send(new GetUsageCommand({usagePlanId: planId, keyId, startDate: today, endDate: today}))
      assert.deepEqual(after.items![keyId]![0], [used! + 3, 20 - used! - 3])
      assert.equal(await served(third.endpoint, api.id!, 20), 20 - used! - 3)
      c2.destroy()
      c3.destroy()
      third.child.kill('SIGTERM')
      await third.exited
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})
