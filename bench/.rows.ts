import {readFileSync} from 'node:fs'
import {parse} from 'yaml'
import {diffSpecs} from '../src/core/diff/index.ts'
import {registry, runChecks} from '../src/core/checks/index.ts'
import {atOrAbove} from '../src/core/findings.ts'
const dir = 'test/fixtures/oasdiff/data/'
const rows = JSON.parse(readFileSync('test/fixtures/oasdiff/expected-rows.json', 'utf8'))
for (const row of rows) {
  const load = (f: string) => parse(readFileSync(dir + f, 'utf8'))
  const d = diffSpecs(load(row.base), load(row.revision), {baseFile: row.base, revisionFile: row.revision})
  const r = runChecks(d, registry, {now: new Date('2026-11-21T00:00:00Z'), ...(row.handlerIds ? {only: row.handlerIds} : {}), ...row.config})
  const got: Record<string, number> = {}
  for (const f of r.findings) if (atOrAbove(f.level, row.threshold)) got[f.id] = (got[f.id] ?? 0) + 1
  const exp = row.expected
  const ok = row.assertion === 'contains' ? Object.keys(exp).every((k) => (got[k] ?? 0) >= 1) : JSON.stringify(Object.entries(got).sort()) === JSON.stringify(Object.entries(exp).sort())
  if (!ok) console.log('FAIL', row.row, row.base, row.revision, 'exp', JSON.stringify(exp), 'got', JSON.stringify(got))
}
