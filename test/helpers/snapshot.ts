/**
 * File snapshots under test/snapshots/: a test compares what it produced with the committed file, so a change to
 * the contract (flags, --json shapes) shows in review as a diff of that file. `UPDATE_SNAPSHOTS=1 npm test` (or
 * `node scripts/test.js <file>`) rewrites them instead; commit the result with the change that caused it.
 */
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'

export const snapshotDir = new URL('../snapshots/', import.meta.url).pathname
export const updating = (process.env.UPDATE_SNAPSHOTS ?? '') !== '' && process.env.UPDATE_SNAPSHOTS !== '0'

/** Assert `actual` equals test/snapshots/<name>, or write it there when UPDATE_SNAPSHOTS is set. */
export function matchSnapshot(name: string, actual: string): void {
  const file = join(snapshotDir, name)
  const text = actual.endsWith('\n') ? actual : `${actual}\n`
  if (updating) {
    mkdirSync(dirname(file), {recursive: true})
    writeFileSync(file, text)
    return
  }
  assert.ok(existsSync(file), `no snapshot test/snapshots/${name}: run with UPDATE_SNAPSHOTS=1 to write it, then review and commit it`)
  assert.equal(
    text,
    readFileSync(file, 'utf8'),
    `test/snapshots/${name} differs: if the change is meant, run with UPDATE_SNAPSHOTS=1 and commit the file`,
  )
}

/**
 * The key paths of a JSON value with their types, one per line and sorted: `result.stages[].name: string`.
 * Array items are merged (every key any item has), and a key with several types lists them (`number|null`).
 * The keys of objects named in `maps` (maps keyed by data, e.g. `variables`, `tags`) are shown as `*`.
 */
export function keyPaths(value: unknown, maps: readonly string[] = []): string {
  const types = new Map<string, Set<string>>()
  const add = (path: string, type: string) => {
    if (!types.has(path)) types.set(path, new Set())
    types.get(path)!.add(type)
  }
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      add(path, 'array')
      for (const item of v) walk(item, `${path}[]`)
    } else if (v !== null && typeof v === 'object') {
      add(path, 'object')
      const isMap = maps.includes(path.slice(path.lastIndexOf('.') + 1).replace(/\[\]$/, ''))
      for (const [k, child] of Object.entries(v)) walk(child, `${path}.${isMap ? '*' : k}`)
    } else {
      add(path, v === null ? 'null' : typeof v)
    }
  }
  walk(value, '')
  return [...types]
    .filter(([path]) => path !== '')
    .map(([path, set]) => `${path.replace(/^\./, '')}: ${[...set].sort().join('|')}`)
    .sort()
    .join('\n')
}
