/**
 * `apigw diff` (the built CLI, whole process) against Redocly CLI's `redocly diff` on the same real pairs, in
 * one run. Redocly CLI is installed for this benchmark only, into bench/.tools (not a dependency of apigw).
 * Targets: the Stripe pair under 1.5 s, the GitHub GHES pair under 5 s, at most 0.5× Redocly's time.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fmt, median, printTable, type Row, sharedSpec} from './lib.ts'

const root = new URL('..', import.meta.url).pathname
const tools = join(root, 'bench/.tools')
const redocly = join(tools, 'node_modules/.bin/redocly')
if (!existsSync(redocly)) {
  mkdirSync(tools, {recursive: true})
  console.log('  installing @redocly/cli into bench/.tools for this benchmark')
  execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', tools, '@redocly/cli@2'], {
    stdio: 'ignore',
  })
}

/** Median wall time and peak RSS (KB, from /usr/bin/time when present) of `runs` runs. */
function measure(cmd: string, args: string[], runs = 3): {ms: number; peakKb?: number} {
  const times: number[] = []
  let peakKb: number | undefined
  for (let i = 0; i < runs; i++) {
    const useTime = existsSync('/usr/bin/time')
    const start = performance.now()
    const r = useTime
      ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {encoding: 'utf8'})
      : spawnSync(cmd, args, {encoding: 'utf8'})
    times.push(performance.now() - start)
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} exited ${r.status}: ${r.stderr?.slice(0, 300)}`)
    if (useTime) peakKb = Math.max(peakKb ?? 0, Number(r.stderr.trim().split('\n').at(-1)))
  }
  return {ms: median(times), ...(peakKb ? {peakKb} : {})}
}

const pairs = [
  {name: 'Stripe fc5a2b9 → e0123a3 (4 MB)', base: 'stripe-fc5a2b9.json', revision: 'stripe-e0123a3.json', target: 1500},
  {
    name: 'GitHub GHES 3.18 → 3.19 (11 MB)',
    base: 'github-ghes-3.18-octokit-openapi-23.0.2.json',
    revision: 'github-ghes-3.19-octokit-openapi-23.0.2.json',
    target: 5000,
  },
]
const rows: Row[] = []
const outDir = mkdtempSync(join(tmpdir(), 'apigw-bench-diff-'))
const outFile = join(outDir, 'report.json')
for (const p of pairs) {
  const base = sharedSpec(p.base)
  const revision = sharedSpec(p.revision)
  if (!base || !revision) continue
  const apigw = measure(process.execPath, [
    join(root, 'bin/run.js'),
    'diff',
    '--base',
    base,
    '--revision',
    revision,
    '--format',
    'json',
    '--output',
    // apigw refuses to write to a device such as /dev/null: a temp file takes the report.
    outFile,
  ])
  const theirs = measure(redocly, ['diff', base, revision])
  rows.push({name: `${p.name}: apigw diff`, value: fmt(apigw.ms), target: `< ${fmt(p.target)}`, ok: apigw.ms < p.target})
  rows.push({
    name: `${p.name}: apigw peak memory`,
    value: `${Math.round((apigw.peakKb ?? 0) / 1024)} MB`,
    target: '< 600 MB',
    ok: (apigw.peakKb ?? 0) / 1024 < 600,
  })
  rows.push({name: `${p.name}: redocly diff`, value: fmt(theirs.ms)})
  rows.push({
    name: `${p.name}: apigw / redocly`,
    value: `${(apigw.ms / theirs.ms).toFixed(2)}x`,
    target: '<= 0.5x',
    ok: apigw.ms / theirs.ms <= 0.5,
  })
}
rmSync(outDir, {recursive: true, force: true})
printTable('diff against Redocly CLI (medians of 3, whole processes)', rows)
