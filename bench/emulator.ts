/**
 * The emulator: SDK GetRestApis round trips against the emulator and against a trivial node:http server
 * answering the same JSON (the floor); ImportRestApi of the Stripe spec; an idle `apigw local start`'s
 * resident memory. One run, bounded loops, loopback only.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {APIGatewayClient, CreateRestApiCommand, GetRestApisCommand, ImportRestApiCommand} from '@aws-sdk/client-api-gateway'
import {startEmulator} from '../src/local/server.ts'
import {fmt, median, printTable, type Row, sharedSpec} from './lib.ts'

const credentials = {accessKeyId: 'bench', secretAccessKey: 'bench'}
const client = (endpoint: string) => new APIGatewayClient({endpoint, region: 'us-east-1', credentials, maxAttempts: 1})

/** Calls per second of GetRestApis over a fixed number of sequential calls, best of three rounds. */
async function callsPerSecond(endpoint: string, calls = 400): Promise<number> {
  const c = client(endpoint)
  const rates: number[] = []
  for (let round = 0; round < 3; round++) {
    const start = performance.now()
    for (let i = 0; i < calls; i++) await c.send(new GetRestApisCommand({}))
    rates.push(calls / ((performance.now() - start) / 1000))
  }
  c.destroy()
  return Math.max(...rates)
}

const dataDir = mkdtempSync(join(tmpdir(), 'apigw-bench-emu-'))
const emulator = await startEmulator({port: 0, dataDir})
const setup = client(emulator.url)
for (const name of ['pets', 'shop', 'users']) await setup.send(new CreateRestApiCommand({name}))
const body = JSON.stringify(
  JSON.parse(Buffer.from(await (await fetch(`${emulator.url}/restapis`, {headers: {authorization: 'x'}})).arrayBuffer()).toString()),
)
const floor = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.writeHead(200, {'content-type': 'application/json', 'x-amzn-requestid': 'floor', 'content-length': Buffer.byteLength(body)})
    res.end(body)
  })
})
await new Promise<void>((resolve) => floor.listen(0, '127.0.0.1', resolve))
const floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}`

await callsPerSecond(floorUrl, 50) // warm up both
await callsPerSecond(emulator.url, 50)
const floorRate = await callsPerSecond(floorUrl)
const emuRate = await callsPerSecond(emulator.url)
floor.close()

const rows: Row[] = [
  {name: 'GetRestApis via SDK, trivial node:http floor', value: `${floorRate.toFixed(0)}/s`},
  {name: 'GetRestApis via SDK, emulator (3 APIs, sqlite state)', value: `${emuRate.toFixed(0)}/s`},
  {name: 'emulator / floor', value: `${(emuRate / floorRate).toFixed(2)}x`, target: '>= 0.8x', ok: emuRate / floorRate >= 0.8},
]

const stripe = sharedSpec('stripe-e0123a3.json')
if (stripe) {
  const bytes = readFileSync(stripe)
  const times: number[] = []
  for (let i = 0; i < 3; i++) {
    const start = performance.now()
    await setup.send(new ImportRestApiCommand({body: bytes, failOnWarnings: false}))
    times.push(performance.now() - start)
  }
  const t = median(times)
  rows.push({name: 'ImportRestApi stripe-e0123a3.json (4 MB), median of 3', value: fmt(t), target: '< 1.5 s', ok: t < 1500})
}
setup.destroy()
await emulator.close()

// Idle resident memory of the real server process.
const cwd = mkdtempSync(join(tmpdir(), 'apigw-bench-idle-'))
const child = spawn(process.execPath, [new URL('../bin/run.js', import.meta.url).pathname, 'local', 'start', '--port', '0', '--json'], {
  cwd,
})
const endpoint = await new Promise<string>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('local start did not become ready')), 20_000)
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    for (const line of d.split('\n').filter(Boolean)) {
      const e = JSON.parse(line)
      if (e.event === 'ready') {
        clearTimeout(timer)
        resolve(e.endpoint)
      }
    }
  })
})
const idle = client(endpoint)
for (let i = 0; i < 20; i++) await idle.send(new GetRestApisCommand({}))
idle.destroy()
await new Promise((r) => setTimeout(r, 1000))
const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
child.kill('SIGTERM')
rows.push({
  name: 'idle `apigw local start` resident memory',
  value: `${(rssKb / 1024).toFixed(0)} MB`,
  target: '< 100 MB',
  ok: rssKb / 1024 < 100,
})
printTable('Emulator', rows)
