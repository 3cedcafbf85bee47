/**
 * The emulator's state directory and the marker a running `apigw local start` leaves in it
 * (`server.json`: pid, host, port), so CLI processes on the same directory attach to it.
 */
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'

export const SERVER_MARKER = 'server.json'

export type ServerMarker = {pid: number; host: string; port: number; startedAt: string; version?: string}

/** `.apigw/local/` beside apigw.yaml (found upwards from cwd, or --config), else under cwd. */
export function localStateDir(cwd: string, configPath?: string): string {
  if (configPath) return join(dirname(resolve(cwd, configPath)), '.apigw', 'local')
  let dir = resolve(cwd)
  for (;;) {
    if (existsSync(join(dir, 'apigw.yaml')) || existsSync(join(dir, 'apigw.yml'))) return join(dir, '.apigw', 'local')
    const up = dirname(dir)
    if (up === dir) return join(resolve(cwd), '.apigw', 'local')
    dir = up
  }
}

export function readServerMarker(dataDir: string): ServerMarker | undefined {
  try {
    const marker = JSON.parse(readFileSync(join(dataDir, SERVER_MARKER), 'utf8')) as ServerMarker
    return typeof marker.port === 'number' && typeof marker.pid === 'number' ? marker : undefined
  } catch {
    return undefined
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The endpoint of a live server on this state directory, or undefined (a stale marker is ignored). */
export async function findLocalServer(dataDir: string): Promise<{endpoint: string; marker: ServerMarker} | undefined> {
  const marker = readServerMarker(dataDir)
  if (!marker || !pidAlive(marker.pid)) return undefined
  const endpoint = `http://${marker.host}:${marker.port}`
  try {
    const res = await fetch(`${endpoint}/_apigw/health`, {signal: AbortSignal.timeout(1500)})
    if (!res.ok) return undefined
    await res.arrayBuffer()
    return {endpoint, marker}
  } catch {
    return undefined
  }
}
