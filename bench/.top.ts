import {readFileSync} from 'node:fs'
import {registry, runChecks} from '../src/core/checks/index.ts'
import {diffSpecs} from '../src/core/diff/index.ts'
const c = '../shared/corpus/real-specs/'
const [a, b] = process.argv.slice(2)
const d = diffSpecs(JSON.parse(readFileSync(c + a, 'utf8')), JSON.parse(readFileSync(c + b, 'utf8')))
const r = runChecks(d, registry, {now: new Date('2026-01-01')})
const by: Record<string, number> = {}
for (const f of r.findings) by[f.id] = (by[f.id] ?? 0) + 1
console.log(Object.entries(by).sort((x, y) => y[1] - x[1]).slice(0, 25))
const id = process.argv[4]
if (id) for (const f of r.findings.filter((f) => f.id === id).slice(0, 8)) console.log(f.operation, f.message, f.location.pointer)
