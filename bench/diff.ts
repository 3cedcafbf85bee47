// Times diffSpecs + runChecks (including JSON.parse) on the large real pairs of ../shared/corpus/real-specs and
// reports peak memory. Usage: node bench/diff.ts [pair-name…]. Each pair runs in its own child process, so the
// peak RSS is that pair's alone. Targets (issue 6): Stripe < 1.5 s, GHES < 5 s, peak < 600 MB, and the
// formatting-only GitHub pair reports nothing.
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {registry, runChecks} from '../src/core/checks/index.ts'
import {diffSpecs} from '../src/core/diff/index.ts'

const corpus = join(import.meta.dirname, '../../shared/corpus/real-specs')
const pairs: Record<string, [string, string, number]> = {
  stripe: ['stripe-fc5a2b9.json', 'stripe-e0123a3.json', 1500],
  'stripe-10w': ['stripe-10fe9f5.json', 'stripe-e0123a3.json', 3000],
  'github-format-only': ['github-api-4cf46ad.json', 'github-api-9acf9c8.json', 1500],
  'github-3m': ['github-api-aabc915.json', 'github-api-4cf46ad.json', 3000],
  ghes: ['github-ghes-3.18-octokit-openapi-23.0.2.json', 'github-ghes-3.19-octokit-openapi-23.0.2.json', 5000],
  kubernetes: ['kubernetes-v1.9.2-f17848d.json', 'kubernetes-v1.10.0-e91d2be.json', 3000],
}

function runOne(name: string): void {
  const [a, b] = pairs[name]!
  const start = performance.now()
  const base = JSON.parse(readFileSync(join(corpus, a), 'utf8'))
  const revision = JSON.parse(readFileSync(join(corpus, b), 'utf8'))
  const parsed = performance.now()
  const diff = diffSpecs(base, revision, {baseFile: a, revisionFile: b})
  const report = runChecks(diff, registry, {now: new Date('2026-01-01T00:00:00Z')})
  const end = performance.now()
  const peakMb = process.resourceUsage().maxRSS / 1024
  process.stdout.write(
    JSON.stringify({
      name,
      totalMs: Math.round(end - start),
      parseMs: Math.round(parsed - start),
      peakMb: Math.round(peakMb),
      counts: report.counts,
    }) + '\n',
  )
}

if (process.argv[2] === '--one') runOne(process.argv[3]!)
else if (!existsSync(corpus)) {
  process.stdout.write(`bench/diff.ts: ${corpus} is missing (the shared corpus sits beside the checkout); nothing to time.\n`)
} else {
  const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(pairs)
  for (const name of names) {
    const out = execFileSync(process.execPath, [import.meta.filename, '--one', name], {encoding: 'utf8'})
    const r = JSON.parse(out)
    const limit = pairs[name]![2]
    const ok =
      r.totalMs <= limit && r.peakMb < 600 && (name !== 'github-format-only' || r.counts.error + r.counts.warning + r.counts.info === 0)
    process.stdout.write(
      `${ok ? 'ok  ' : 'SLOW'} ${name.padEnd(20)} ${String(r.totalMs).padStart(6)} ms (parse ${r.parseMs} ms, limit ${limit})  peak ${r.peakMb} MB  findings error ${r.counts.error} warning ${r.counts.warning} info ${r.counts.info}\n`,
    )
  }
}
