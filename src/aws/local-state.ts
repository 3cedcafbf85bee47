/**
 * The emulator's state directory and the marker a running `apigw local start` leaves in it
 * (`server.json`: pid, host, port), so CLI processes on the same directory attach to it.
 */
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {CliError} from '../errors.ts'
import {SERVER_MARKER, type ServerMarker, type StoreError} from '../local/index.ts'

export type {ServerMarker}

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

/**
 * The endpoint of a live server on this state directory, or undefined (a stale marker is ignored). The marker's
 * process is alive, so a slow answer is a busy machine, not a stale marker: the probe waits long enough for a
 * loaded CI runner rather than start a second server on the same state (or reset it under the first).
 */
export async function findLocalServer(dataDir: string): Promise<{endpoint: string; marker: ServerMarker} | undefined> {
  const marker = readServerMarker(dataDir)
  if (!marker || !pidAlive(marker.pid)) return undefined
  const endpoint = `http://${marker.host}:${marker.port}`
  try {
    const res = await fetch(`${endpoint}/_apigw/health`, {signal: AbortSignal.timeout(10_000)})
    if (!res.ok) return undefined
    await res.arrayBuffer()
    return {endpoint, marker}
  } catch {
    return undefined
  }
}

/**
 * The CLI error for an unusable state directory (exit 5). The hint fits the problem: a permissions problem, a
 * file in the way or a full disk is never "fixed" by deleting the state; only a corrupt or too-new database is.
 * `resetCommand` is the exact reset command for the flags in use; `elsewhere` how to use another directory.
 */
export function localStoreError(error: StoreError, dataDir: string, options: {resetCommand: string; elsewhere?: string}): CliError {
  const or = options.elsewhere ? `, or ${options.elsewhere}` : ''
  const hints: Record<StoreError['problem'], string> = {
    permission: `Give your user read and write access to it (\`ls -ld ${dataDir}\`, then \`chmod -R u+rwX ${dataDir}\` as its owner)${or}.`,
    'not-a-directory': `The state path must be a directory apigw owns: move what is there away (\`mv ${dataDir} ${dataDir}.bak\`)${or}.`,
    'disk-full': `Free some space on the disk that holds ${dataDir}${or}.`,
    corrupt: `\`${options.resetCommand}\` deletes it and starts from an empty state (its APIs, keys and logs are lost)${or}.`,
    'newer-schema': `Upgrade apigw, or \`${options.resetCommand}\` to start from an empty state${or}.`,
    other: `Check ${dataDir} and the disk that holds it${or}.`,
  }
  return new CliError('LOCAL_STORE', error.message, {hint: hints[error.problem], cause: error})
}
