/**
 * The emulator's state directory on disk: `state.sqlite` (with its `-wal` and `-shm`) and `server.json`, the
 * marker a running `apigw local start` leaves so CLI processes attach to it. The directory holds API key
 * values, so it is created 0700 and its files 0600 whatever the umask. Every failure to create, read or write
 * it becomes a StoreError that says what is wrong (permissions, not a directory, disk full, corrupt).
 */
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statfsSync,
  statSync,
  writeSync,
} from 'node:fs'
import {dirname, join} from 'node:path'

export const STATE_FILE = 'state.sqlite'
export const SERVER_MARKER = 'server.json'
/** Every file the emulator writes in its state directory. */
export const STATE_FILES = [STATE_FILE, `${STATE_FILE}-wal`, `${STATE_FILE}-shm`, SERVER_MARKER] as const

export type ServerMarker = {pid: number; host: string; port: number; startedAt: string; version?: string}

/** Why the state cannot be used: decides the hint (a permissions problem is never fixed by a reset). */
export type StoreProblem = 'permission' | 'not-a-directory' | 'disk-full' | 'corrupt' | 'newer-schema' | 'other'

export class StoreError extends Error {
  readonly problem: StoreProblem
  /** The directory or file concerned. */
  readonly path: string
  constructor(problem: StoreProblem, path: string, message: string, options?: {cause?: unknown}) {
    super(message, options)
    this.name = 'StoreError'
    this.problem = problem
    this.path = path
  }
}

const DIR_MODE = 0o700
const FILE_MODE = 0o600

/**
 * Create the state directory (0700, parents too) or tighten an existing one; refuse a path that is not a directory.
 * Returns the first directory it created (to remove again if opening the state fails), or undefined.
 */
export function ensureStateDir(dataDir: string): string | undefined {
  try {
    const created = mkdirSync(dataDir, {recursive: true, mode: DIR_MODE})
    if (!statSync(dataDir).isDirectory()) throw Object.assign(new Error(`${dataDir} is not a directory`), {code: 'ENOTDIR'})
    chmodSync(dataDir, DIR_MODE)
    return created
  } catch (error) {
    throw stateError(error, dataDir)
  }
}

/**
 * Create the state database file 0600 before SQLite opens it (SQLite then gives `-wal` and `-shm` the same mode),
 * and tighten files an older version left readable by others.
 */
export function secureStateFiles(dataDir: string): void {
  try {
    if (!existsSync(join(dataDir, STATE_FILE))) closeSync(openSync(join(dataDir, STATE_FILE), 'a', FILE_MODE))
    for (const name of STATE_FILES) {
      const path = join(dataDir, name)
      if (existsSync(path)) chmodSync(path, FILE_MODE)
    }
  } catch (error) {
    throw stateError(error, dataDir)
  }
}

/**
 * Write `server.json` atomically (a 0600 temporary file, synced, then renamed), so a reader never sees half a
 * marker; on any failure the temporary file is removed and a StoreError thrown.
 */
export function writeServerMarker(dataDir: string, marker: ServerMarker): void {
  const path = join(dataDir, SERVER_MARKER)
  const tmp = `${path}.tmp`
  let fd: number | undefined
  try {
    // A stale temporary file (or a symlink planted there) is removed, then created exclusively: never written through.
    rmSync(tmp, {force: true})
    fd = openSync(tmp, 'wx', FILE_MODE)
    writeSync(fd, JSON.stringify(marker))
    fsyncSync(fd)
    const written = fd
    fd = undefined
    closeSync(written)
    renameSync(tmp, path)
  } catch (error) {
    try {
      if (fd !== undefined) closeSync(fd)
      rmSync(tmp, {force: true})
    } catch {
      // The write's own error is the one to report; a temporary file that cannot be removed is named by it.
    }
    throw stateError(error, dataDir)
  }
}

/** Remove the marker on shutdown. A marker that cannot be removed is harmless: readers check its pid and health. */
export function removeServerMarker(dataDir: string): void {
  try {
    rmSync(join(dataDir, SERVER_MARKER), {force: true})
  } catch {
    // See above: a stale marker is ignored by findLocalServer.
  }
}

/** Delete the state files this emulator writes (never anything else in the directory). Returns whether any existed. */
export function removeStateFiles(dataDir: string): boolean {
  let existed = false
  try {
    for (const name of [...STATE_FILES, `${SERVER_MARKER}.tmp`]) {
      const path = join(dataDir, name)
      if (existsSync(path)) existed = true
      rmSync(path, {force: true})
    }
  } catch (error) {
    throw stateError(error, dataDir)
  }
  return existed
}

/**
 * Undo what a failed first open created: the state files (when there was no database before) and the directories
 * made for them, so a failed command leaves nothing behind.
 */
export function undoStateCreation(dataDir: string, createdDir: string | undefined): void {
  try {
    for (const name of STATE_FILES) rmSync(join(dataDir, name), {force: true})
    if (createdDir) rmSync(createdDir, {recursive: true, force: true})
  } catch {
    // The open's own error is reported; what is left is named by its path.
  }
}

/** Throw StoreError unless the state directory can be created where it would be: the nearest existing ancestor is a writable directory. */
export function canCreateStateDir(dataDir: string): void {
  let dir = dataDir
  while (!existsSync(dir)) {
    const up = dirname(dir)
    if (up === dir) break
    dir = up
  }
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), {code: 'ENOTDIR'})
    accessSync(dir, constants.W_OK | constants.X_OK)
  } catch (error) {
    throw stateError(error, dataDir)
  }
}

const FS_PROBLEMS: Record<string, StoreProblem> = {
  EACCES: 'permission',
  EPERM: 'permission',
  EROFS: 'permission',
  ENOTDIR: 'not-a-directory',
  EEXIST: 'not-a-directory',
  EISDIR: 'not-a-directory',
  ENOTEMPTY: 'not-a-directory',
  ENOSPC: 'disk-full',
  EDQUOT: 'disk-full',
  EFBIG: 'disk-full',
}

// SQLite primary result codes (https://www.sqlite.org/rescode.html).
const SQLITE_PROBLEMS: Record<number, StoreProblem> = {
  3: 'permission',
  8: 'permission',
  11: 'corrupt',
  13: 'disk-full',
  14: 'permission',
  26: 'corrupt',
}

function diskFull(path: string): boolean {
  let dir = path
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir)
  try {
    const fs = statfsSync(dir)
    return fs.bavail * fs.bsize < 64 * 1024
  } catch {
    return false
  }
}

/** Turn a filesystem or SQLite error about the state into a StoreError naming the problem. */
export function stateError(error: unknown, path: string): StoreError {
  if (error instanceof StoreError) return error
  const e = error as NodeJS.ErrnoException & {errcode?: number}
  let problem =
    (e.code ? FS_PROBLEMS[e.code] : undefined) ?? (typeof e.errcode === 'number' ? SQLITE_PROBLEMS[e.errcode & 0xff] : undefined) ?? 'other'
  // SQLite reports a write that hit a full disk as a generic "disk I/O error" (SQLITE_IOERR): ask the filesystem.
  if (problem === 'other' && diskFull(path)) problem = 'disk-full'
  const what: Record<StoreProblem, string> = {
    permission: 'is not readable and writable by this user',
    'not-a-directory': 'is not a directory apigw can use',
    'disk-full': 'cannot be written: the disk is full',
    corrupt: 'is not a valid apigw state database (corrupt or not SQLite)',
    'newer-schema': 'was written by a newer apigw',
    other: 'cannot be used',
  }
  return new StoreError(problem, path, `The emulator state at ${path} ${what[problem]} (${e.message ?? String(error)}).`, {cause: error})
}
