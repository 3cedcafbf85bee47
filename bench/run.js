#!/usr/bin/env node
// npm run bench: every bench/*.ts in turn (each prints its own table of medians and ratios).
import {spawnSync} from 'node:child_process'
import {readdirSync} from 'node:fs'

const dir = new URL('.', import.meta.url).pathname
const only = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'lib.ts')
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()
let failed = 0
for (const f of files) {
  console.log(`\n== bench/${f}`)
  const r = spawnSync(process.execPath, [`${dir}${f}`], {stdio: 'inherit', env: {...process.env, NODE_NO_WARNINGS: '1'}})
  if (r.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
