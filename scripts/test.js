#!/usr/bin/env node
// Runs every test file under test/ with Node's own test runner (TypeScript is stripped by Node 22.18+/24),
// prints the spec report, and closes with one line: `N passed, N failed[, N skipped]`.
// Usage: node scripts/test.js [path-filter ...]   e.g. node scripts/test.js test/unit/core
import {spawn} from 'node:child_process'
import {mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {requireNode} from '../bin/check-node.js'

requireNode('The apigw test suite')

const root = new URL('..', import.meta.url).pathname
const filters = process.argv.slice(2)
// One summary file per run, so test runs in parallel never read each other's.
const summaryFile = join(tmpdir(), `apigw-test-summary-${process.pid}.txt`)
// The tests' own temporary directory (TMPDIR of every test process), so what they leave behind can be counted
// exactly, even while other runs share the machine; removed at the end either way.
const testTmp = mkdtempSync(join(tmpdir(), 'apigw-test-run-'))

function walk(dir) {
  const out = []
  for (const name of readdirSync(dir)) {
    if (name === 'fixtures' || name === 'node_modules') continue
    const full = join(dir, name)
    if (statSync(full).isDirectory()) out.push(...walk(full))
    else if (name.endsWith('.test.ts')) out.push(full)
  }
  return out
}

const files = walk(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.startsWith(x) || f.includes(x)))
  .sort()

if (files.length === 0) {
  console.log('no test files matched')
  console.log('0 passed, 1 failed')
  process.exit(1)
}

const args = [
  '--test',
  '--test-concurrency=2',
  '--test-timeout=600000', // a bound on a hang: a loaded 2-core machine runs the slowest test files for minutes
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/count-reporter.js',
  `--test-reporter-destination=${summaryFile}`,
  ...files,
]
const child = spawn(process.execPath, args, {cwd: root, stdio: 'inherit', env: {...process.env, NODE_NO_WARNINGS: '1', TMPDIR: testTmp}})
child.on('exit', async (code) => {
  const {readFileSync} = await import('node:fs')
  let summary = ''
  try {
    summary = readFileSync(summaryFile, 'utf8').trim()
    rmSync(summaryFile)
  } catch {
    summary = '0 passed, 1 failed'
  }
  // Tests remove the temporary directories they make (test/helpers/temp.ts does it for them).
  const left = readdirSync(testTmp).filter((name) => name.startsWith('apigw-'))
  rmSync(testTmp, {recursive: true, force: true})
  if (left.length > 0) {
    console.log(
      `${left.length} temporary director${left.length === 1 ? 'y' : 'ies'} left behind by the tests ` +
        `(use tempDir() from test/helpers/temp.ts): ${left.sort().join(', ')}`,
    )
    summary = summary.replace(/(\d+) failed/, (_, n) => `${Number(n) + 1} failed`)
  }
  console.log(summary)
  process.exit(left.length > 0 ? 1 : (code ?? 1))
})
