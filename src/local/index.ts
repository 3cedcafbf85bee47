/**
 * The one entry into the emulator for the rest of apigw (aws/, services/): start it in-process, read what a
 * state directory holds, reset it, and the names of its files. Everything else reaches the emulator over HTTP
 * through the AWS SDK clients. This module loads nothing heavy: the server and SQLite are imported on use.
 */
import type {Emulator, EmulatorOptions, RequestEvent} from './server.ts'
import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {
  removeStateFiles,
  SERVER_MARKER,
  STATE_FILE,
  type ServerMarker,
  StoreError,
  type StoreProblem,
  stateError,
} from './store/state-dir.ts'

export {SERVER_MARKER, STATE_FILE, StoreError}
export type {Emulator, EmulatorOptions, RequestEvent, ServerMarker, StoreProblem}

/** Start the emulator (see server.ts). Rejects with EADDRINUSE when the port is taken, StoreError when the state is unusable. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const server = await import('./server.ts')
  return server.startEmulator(options)
}

export type StateSummary = {stateExists: boolean; restApis: number; httpApis: number}

/** Whether a state directory holds a state, and how many APIs. Throws StoreError when it cannot be read. */
export async function readStateSummary(dataDir: string): Promise<StateSummary> {
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    throw stateError(Object.assign(new Error(`${dataDir} is not a directory`), {code: 'ENOTDIR'}), dataDir)
  }
  if (!existsSync(join(dataDir, STATE_FILE))) return {stateExists: false, restApis: 0, httpApis: 0}
  const {openStore} = await import('./store/store.ts')
  const store = openStore(dataDir)
  try {
    return {stateExists: true, restApis: store.count('restapi'), httpApis: store.count('v2api')}
  } finally {
    store.close()
  }
}

/** Delete the emulator's own files in a state directory (nothing else in it). Returns whether any existed. Throws StoreError. */
export function resetState(dataDir: string): boolean {
  return removeStateFiles(dataDir)
}
