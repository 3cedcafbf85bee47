// Every row of the corpus's oasdiff EXPECTED.md (copied as test/fixtures/oasdiff/expected-rows.json) must give
// oasdiff's ids, counts and default levels. Rows that ran one oasdiff handler only are filtered to the ids that
// handler emits (handlerIds), because the rest of our rule set may legitimately report more on those pairs.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {parse} from 'yaml'
import {registry, runChecks} from '../../../../src/core/checks/index.ts'
import {diffSpecs} from '../../../../src/core/diff/index.ts'
import {atOrAbove, type Level} from '../../../../src/core/findings.ts'

type Row = {
  row: number
  base: string
  revision: string
  expected: Record<string, number>
  levels: Record<string, Level>
  checks: 'all' | 'single'
  threshold: Level
  assertion: 'exactly' | 'contains'
  handlerIds?: string[]
  config?: {deprecationDays?: {beta: number; stable: number}}
  goTest: string
}

const root = join(import.meta.dirname, '../../../fixtures/oasdiff')
const rows: Row[] = JSON.parse(readFileSync(join(root, 'expected-rows.json'), 'utf8'))
// Fixed clock: x-sunset 9999-08-10 is in the future, 2022-08-10 in the past, as in oasdiff's own tests.
const now = new Date('2026-11-21T00:00:00Z')
const load = (file: string) => parse(readFileSync(join(root, 'data', file), 'utf8'))

describe('oasdiff EXPECTED.md rows', () => {
  it('covers every row of the table', () => {
    // Given the JSON table copied from EXPECTED.md
    // Then it has the 65 rows the corpus lists, with unique numbers
    assert.equal(rows.length, 65)
    assert.equal(new Set(rows.map((r) => r.row)).size, 65)
  })

  for (const row of rows) {
    it(`row ${row.row}: ${row.base} → ${row.revision} gives ${Object.keys(row.expected).join(', ')}`, () => {
      // Given oasdiff's fixture pair
      const diff = diffSpecs(load(row.base), load(row.revision), {baseFile: row.base, revisionFile: row.revision})
      // When the checks run (only the handler's ids for single-handler rows)
      const report = runChecks(diff, registry, {now, ...(row.handlerIds ? {only: row.handlerIds} : {}), ...(row.config ?? {})})
      const got: Record<string, number> = {}
      for (const f of report.findings) if (atOrAbove(f.level, row.threshold)) got[f.id] = (got[f.id] ?? 0) + 1
      // Then the ids and counts are oasdiff's
      if (row.assertion === 'contains')
        for (const id of Object.keys(row.expected)) assert.ok((got[id] ?? 0) >= 1, `${id} missing in ${JSON.stringify(got)}`)
      else assert.deepEqual(got, row.expected)
      // And each id has oasdiff's default level
      for (const [id, level] of Object.entries(row.levels)) assert.equal(registry.find((e) => e.id === id)?.level, level, `level of ${id}`)
    })
  }
})
