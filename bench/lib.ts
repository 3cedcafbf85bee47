/** Benchmark helpers: medians of repeated runs, in one process, so ratios compare like with like. */
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {Agent, createServer, request} from 'node:http'
import type {AddressInfo} from 'node:net'

export const SHARED = new URL('../../shared/corpus/real-specs/', import.meta.url).pathname

export function sharedSpec(name: string): string | undefined {
  const path = `${SHARED}${name}`
  if (existsSync(path)) return path
  console.log(`  (skipped: ${path} is missing; the large specs live in ../shared/corpus/real-specs)`)
  return undefined
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Run a command `runs` times (after one warm-up) and return the median wall time in ms. */
export function timeCommand(
  cmd: string,
  args: string[],
  options: {runs?: number; cwd?: string; env?: NodeJS.ProcessEnv; okCodes?: number[]} = {},
): number {
  const runs = options.runs ?? 7
  const times: number[] = []
  for (let i = 0; i <= runs; i++) {
    const start = performance.now()
    const r = spawnSync(cmd, args, {cwd: options.cwd, env: {...process.env, ...options.env}, stdio: ['ignore', 'ignore', 'pipe']})
    const ms = performance.now() - start
    if (r.status === null || !(options.okCodes ?? [0]).includes(r.status)) {
      throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr?.toString().slice(0, 400)}`)
    }
    if (i > 0) times.push(ms)
  }
  return median(times)
}

export function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`
}

export type Row = {name: string; value: string; target?: string; ok?: boolean}

export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`)
  for (const r of rows)
    console.log(
      `  ${r.name.padEnd(58)} ${r.value.padStart(12)}${r.target ? `   target ${r.target} ${r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED'}` : ''}`,
    )
}

export type LoadResult = {requests: number; rps: number; p50: number; p99: number; errors: number}

/**
 * Fixed-concurrency HTTP load on 127.0.0.1 for `ms`: requests/s, latency percentiles (ms) and answers that were
 * not 200 (the same client for every benchmark, so their ratios compare like with like).
 *
 * Many clients: autocannon (raw keep-alive sockets and a light parser). A node:http client pool costs the load
 * process about three times the CPU of the server it measures, so on 2 cores it saturated first and every server,
 * the bare ones included, looked alike (a bare node:http server: ~8,000/s with node:http clients, ~24,000/s with
 * autocannon on the same machine). autocannon's percentiles are whole milliseconds.
 * One client: a node:http request at a time, timed with performance.now(), for sub-millisecond latency (the
 * added-latency and cache-hit targets), where the client's cost does not matter.
 */
export async function loadHttp(o: {port: number; path: string; ms: number; headers?: Record<string, string>; concurrency?: number}) {
  const concurrency = o.concurrency ?? 32
  if (concurrency === 1) return loadOneClient(o)
  const {default: autocannon} = await import('autocannon')
  const r = await autocannon({
    url: `http://127.0.0.1:${o.port}${o.path}`,
    connections: concurrency,
    duration: o.ms / 1000,
    headers: o.headers ?? {},
    // autocannon stops on its sampling tick (1 s by default): a 250 ms run would last a second.
    sampleInt: Math.min(1000, Math.max(10, o.ms / 10)),
  })
  const result: LoadResult = {
    requests: r.requests.total,
    // Over the time it really ran (a run ends on the tick after `duration`), to the millisecond.
    rps: r.requests.total / ((r.finish.getTime() - r.start.getTime()) / 1000 || o.ms / 1000),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.non2xx + r.errors + r.timeouts,
  }
  return result
}

async function loadOneClient(o: {port: number; path: string; ms: number; headers?: Record<string, string>}): Promise<LoadResult> {
  const agent = new Agent({keepAlive: true, maxSockets: 1})
  const lat: number[] = []
  let errors = 0
  const until = performance.now() + o.ms
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now()
      const req = request({host: '127.0.0.1', port: o.port, path: o.path, agent, headers: o.headers ?? {}}, (res) => {
        res.resume()
        res.on('end', () => {
          if (res.statusCode !== 200) errors++
          lat.push(performance.now() - t0)
          resolve()
        })
      })
      req.on('error', () => {
        errors++
        resolve()
      })
      req.end()
    })
  const started = performance.now()
  while (performance.now() < until) await one()
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  lat.sort((a, b) => a - b)
  return {
    requests: lat.length,
    rps: lat.length / seconds,
    p50: lat[Math.floor(lat.length * 0.5)] ?? 0,
    p99: lat[Math.floor(lat.length * 0.99)] ?? 0,
    errors,
  }
}

/**
 * A backend answering `{"ok":true}` and the ceiling every data-plane benchmark is measured against: a minimal
 * node:http proxy that forwards method, path, headers and body to it and streams the answer back.
 */
export async function startBackendAndProxy(): Promise<{backendPort: number; proxyPort: number}> {
  const backend = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, {'content-type': 'application/json', 'content-length': 11})
      res.end('{"ok":true}')
    })
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  const backendPort = (backend.address() as AddressInfo).port
  const agent = new Agent({keepAlive: true, maxSockets: 256})
  const proxy = createServer((req, res) => {
    const up = request({host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers: req.headers, agent}, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers)
      r.pipe(res)
    })
    req.pipe(up)
  })
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
  return {backendPort, proxyPort: (proxy.address() as AddressInfo).port}
}
