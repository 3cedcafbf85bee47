import {readFileSync} from 'node:fs'
import {parse} from 'yaml'
import {diffSpecs} from '../src/core/diff/index.ts'
import {registry, runChecks} from '../src/core/checks/index.ts'
const dir = '/work/main/test/fixtures/oasdiff/data/'
const [a, b, th] = process.argv.slice(2)
const load = (f: string) => parse(readFileSync(dir + f, 'utf8'))
const d = diffSpecs(load(a!), load(b!), {baseFile: a, revisionFile: b})
const r = runChecks(d, registry, {now: new Date('2026-11-21')})
for (const f of r.findings) if (th !== 'warn' || f.level !== 'info') console.log(f.level, f.id, f.operation, '|', f.message, f.location.pointer)
