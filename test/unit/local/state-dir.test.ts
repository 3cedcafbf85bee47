import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {StoreError, stateError} from '../../../src/local/store/state-dir.ts'

describe('state directory errors: each failure names its problem (which decides the hint)', () => {
  const err = (props: Record<string, unknown>) => Object.assign(new Error('boom'), props)
  const cases: Array<{name: string; error: Error; problem: StoreError['problem']; message: RegExp}> = [
    {name: 'EACCES', error: err({code: 'EACCES'}), problem: 'permission', message: /not readable and writable/},
    {name: 'EROFS', error: err({code: 'EROFS'}), problem: 'permission', message: /not readable and writable/},
    {
      name: 'a file where the directory should be (EEXIST from mkdir)',
      error: err({code: 'EEXIST'}),
      problem: 'not-a-directory',
      message: /not a directory/,
    },
    {name: 'ENOSPC', error: err({code: 'ENOSPC'}), problem: 'disk-full', message: /the disk is full/},
    {name: 'SQLITE_FULL', error: err({code: 'ERR_SQLITE_ERROR', errcode: 13}), problem: 'disk-full', message: /the disk is full/},
    {name: 'SQLITE_NOTADB', error: err({code: 'ERR_SQLITE_ERROR', errcode: 26}), problem: 'corrupt', message: /corrupt or not SQLite/},
    {
      name: 'SQLITE_CORRUPT (extended code)',
      error: err({code: 'ERR_SQLITE_ERROR', errcode: 11 | (1 << 8)}),
      problem: 'corrupt',
      message: /corrupt/,
    },
    {name: 'SQLITE_READONLY', error: err({code: 'ERR_SQLITE_ERROR', errcode: 8}), problem: 'permission', message: /not readable/},
    {name: 'SQLITE_CANTOPEN', error: err({code: 'ERR_SQLITE_ERROR', errcode: 14}), problem: 'permission', message: /not readable/},
  ]
  for (const c of cases) {
    it(`${c.name} → ${c.problem}`, () => {
      const e = stateError(c.error, '/tmp/does-not-matter/state.sqlite')
      assert.ok(e instanceof StoreError)
      assert.equal(e.problem, c.problem)
      assert.match(e.message, c.message)
      assert.match(e.message, /\/tmp\/does-not-matter\/state\.sqlite/)
      assert.equal(e.cause, c.error)
    })
  }
})
