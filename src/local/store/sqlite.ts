/**
 * node:sqlite is built into Node 22.13+ but still prints an ExperimentalWarning on first load. The
 * warning is noise for users of a CLI, so this loads the module with that one warning filtered out.
 */
import {createRequire} from 'node:module'
import type {DatabaseSync} from 'node:sqlite'

let cached: typeof DatabaseSync | undefined

export function loadSqlite(): typeof DatabaseSync {
  if (cached) return cached
  const emit = process.emitWarning
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message
    if (/SQLite/i.test(text)) return
    return (emit as (...a: unknown[]) => void).call(process, warning, ...rest)
  }) as typeof process.emitWarning
  try {
    const require = createRequire(import.meta.url)
    cached = (require('node:sqlite') as typeof import('node:sqlite')).DatabaseSync
  } finally {
    process.emitWarning = emit
  }
  return cached
}
