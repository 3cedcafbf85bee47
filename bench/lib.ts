/** Benchmark helpers: medians of repeated runs, in one process, so ratios compare like with like. */
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'

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
