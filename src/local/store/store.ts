/**
 * The emulator's only module that touches disk: a node:sqlite database in WAL mode, so a server and a CLI
 * process can share one state directory, and a killed process loses nothing committed. Every AWS
 * operation runs in one `BEGIN IMMEDIATE` transaction; operations of one process are serialised so a
 * transaction never interleaves with another across an `await`.
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import type {DatabaseSync as DatabaseSyncType, StatementSync} from 'node:sqlite'
import {MIGRATIONS, SCHEMA_VERSION} from './migrations.ts'
import {loadSqlite} from './sqlite.ts'
import {ensureStateDir, STATE_FILE, StoreError, secureStateFiles, stateError, undoStateCreation} from './state-dir.ts'

export {STATE_FILE, StoreError}

export type Store = {
  /** The raw database, for modules with tables of their own (log events). Use inside `transaction`. */
  readonly db: DatabaseSyncType
  readonly path: string
  get<T>(kind: string, id: string): T | undefined
  /** Every document of a kind (optionally under one parent), in insertion order. */
  list<T>(kind: string, parent?: string): T[]
  /** Insert or replace; a replaced document keeps its place in insertion order. */
  put<T>(kind: string, id: string, value: T, parent?: string): void
  delete(kind: string, id: string): boolean
  /** Delete every document of a kind under a parent; returns how many. */
  deleteChildren(kind: string, parent: string): number
  count(kind: string, parent?: string): number
  /** Run `fn` in one write transaction, after any transaction of this process still running. */
  transaction<T>(fn: () => T | Promise<T>): Promise<T>
  /** Run `fn` in one read transaction (a consistent snapshot that takes no write lock). */
  read<T>(fn: () => T | Promise<T>): Promise<T>
  /**
   * A number that changes whenever a document may have changed since it was last returned: a write of this process
   * (put, delete, a transaction rolled back) or a commit of another process on the same state (SQLite's
   * `data_version`, read at most once per turn of the event loop: it costs as much as a read). Caches of documents
   * (the data plane's) compare it before each use, so control-plane writes take effect on the next request.
   */
  generation(): number
  close(): void
}

/**
 * Open (creating and migrating when needed) the state database in `dataDir`, or an in-memory one for
 * `':memory:'`. The directory is made 0700 and its files 0600. Throws StoreError (state-dir.ts) when the
 * directory or the database cannot be used, saying why.
 */
export function openStore(dataDir: string): Store {
  const DatabaseSync = loadSqlite()
  let path = ':memory:'
  let fresh = false
  let createdDir: string | undefined
  let db: DatabaseSyncType | undefined
  try {
    if (dataDir !== ':memory:') {
      path = join(dataDir, STATE_FILE)
      fresh = !existsSync(path)
      createdDir = ensureStateDir(dataDir)
      secureStateFiles(dataDir)
    }
    db = new DatabaseSync(path, {timeout: 10_000})
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;')
    migrate(db, path)
  } catch (error) {
    if (db?.isOpen) db.close()
    const problem = stateError(error, path)
    // Only what this open created, and only for problems no other process can be in the middle of (never SQLITE_BUSY).
    if (fresh && ['disk-full', 'permission', 'not-a-directory'].includes(problem.problem)) undoStateCreation(dataDir, createdDir)
    throw problem
  }
  return new SqliteStore(db, path)
}

function migrate(db: DatabaseSyncType, path: string): void {
  db.exec('BEGIN IMMEDIATE')
  try {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)')
    const row = db.prepare('SELECT version FROM schema_version').get() as {version: number} | undefined
    const current = row?.version ?? 0
    if (current > SCHEMA_VERSION) {
      throw new StoreError(
        'newer-schema',
        path,
        `The emulator state at ${path} was written by a newer apigw (schema ${current}; this one knows ${SCHEMA_VERSION}).`,
      )
    }
    for (const m of MIGRATIONS) if (m.version > current) db.exec(m.sql)
    if (row === undefined) db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION)
    else if (current < SCHEMA_VERSION) db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION)
    db.exec('COMMIT')
  } catch (error) {
    db.exec('ROLLBACK')
    throw error
  }
}

class SqliteStore implements Store {
  readonly db: DatabaseSyncType
  readonly path: string
  private queue: Promise<unknown> = Promise.resolve()
  private readonly statements = new Map<string, StatementSync>()
  private changes = 0
  private dataVersion: unknown
  private dataVersionRead = false

  constructor(db: DatabaseSyncType, path: string) {
    this.db = db
    this.path = path
  }

  private stmt(sql: string): StatementSync {
    let s = this.statements.get(sql)
    if (!s) {
      s = this.db.prepare(sql)
      this.statements.set(sql, s)
    }
    return s
  }

  get<T>(kind: string, id: string): T | undefined {
    const row = this.stmt('SELECT data FROM resources WHERE kind = ? AND id = ?').get(kind, id) as {data: string} | undefined
    return row ? (JSON.parse(row.data) as T) : undefined
  }

  list<T>(kind: string, parent?: string): T[] {
    const rows = (
      parent === undefined
        ? this.stmt('SELECT data FROM resources WHERE kind = ? ORDER BY seq').all(kind)
        : this.stmt('SELECT data FROM resources WHERE kind = ? AND parent = ? ORDER BY seq').all(kind, parent)
    ) as Array<{data: string}>
    return rows.map((r) => JSON.parse(r.data) as T)
  }

  put<T>(kind: string, id: string, value: T, parent?: string): void {
    this.stmt(
      `INSERT INTO resources (kind, id, parent, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET data = excluded.data, parent = excluded.parent`,
    ).run(kind, id, parent ?? null, JSON.stringify(value))
    this.changes++
  }

  delete(kind: string, id: string): boolean {
    this.changes++
    return Number(this.stmt('DELETE FROM resources WHERE kind = ? AND id = ?').run(kind, id).changes) > 0
  }

  deleteChildren(kind: string, parent: string): number {
    this.changes++
    return Number(this.stmt('DELETE FROM resources WHERE kind = ? AND parent = ?').run(kind, parent).changes)
  }

  generation(): number {
    if (!this.dataVersionRead && this.db.isOpen) {
      this.dataVersionRead = true
      setImmediate(() => {
        this.dataVersionRead = false
      })
      const version = (this.stmt('PRAGMA data_version').get() as {data_version: unknown}).data_version
      if (version !== this.dataVersion) {
        this.dataVersion = version
        this.changes++
      }
    }
    return this.changes
  }

  count(kind: string, parent?: string): number {
    const row = (
      parent === undefined
        ? this.stmt('SELECT count(*) AS n FROM resources WHERE kind = ?').get(kind)
        : this.stmt('SELECT count(*) AS n FROM resources WHERE kind = ? AND parent = ?').get(kind, parent)
    ) as {n: number}
    return Number(row.n)
  }

  transaction<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.enqueue('BEGIN IMMEDIATE', fn)
  }

  read<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.enqueue('BEGIN DEFERRED', fn)
  }

  private enqueue<T>(begin: string, fn: () => T | Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.db.exec(begin)
      try {
        const result = await fn()
        this.db.exec('COMMIT')
        return result
      } catch (error) {
        if (this.db.isTransaction) {
          this.db.exec('ROLLBACK')
          this.changes++
        }
        throw error
      }
    }
    const next = this.queue.then(run, run)
    this.queue = next.catch(() => undefined)
    return next
  }

  close(): void {
    this.statements.clear()
    if (this.db.isOpen) this.db.close()
  }
}
