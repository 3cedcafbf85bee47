/**
 * An older Node.js gets one line naming the Node.js needed and how to get it, exit 2, from the binary, the test
 * runner, `npm test` and `npm ci` (engine-strict), instead of a stack trace from node:sqlite or a dependency.
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, readFileSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {after, describe, it} from 'node:test'
import {repoRoot} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const {engines} = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {engines: {node: string}}
const oneLine =
  /needs Node\.js 22\.22\.2 or a later 22\.x, 24\.15\.0 or a later 24\.x, or 26\.0\.0 or later, and this is Node\.js [\d.]+: install the current LTS from https:\/\/nodejs\.org\/ \(or run `nvm install --lts`\), then try again\.\n$/

/** A Node.js on this machine older than the engines range (the system's own, often), or undefined. */
function oldNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node', '/bin/node']) {
    if (!existsSync(candidate)) continue
    const version = spawnSync(candidate, ['--version'], {encoding: 'utf8'}).stdout.trim()
    const major = Number(version.replace(/^v/, '').split('.')[0])
    if (major > 0 && major < 22) return candidate
  }
  return undefined
}
const old = oldNode()
const oldEnv = old ? {PATH: `${dirname(old)}:/usr/bin:/bin`, HOME: process.env.HOME ?? '/tmp'} : {}

describe('Node.js version guard', () => {
  const temps: string[] = []
  after(() => {
    for (const dir of temps) rmSync(dir, {recursive: true, force: true})
  })

  it('engines names the range the dependencies need, and .npmrc makes npm ci enforce it', () => {
    assert.equal(engines.node, '^22.22.2 || ^24.15.0 || >=26.0.0')
    assert.match(readFileSync(join(repoRoot, '.npmrc'), 'utf8'), /^engine-strict=true$/m)
  })

  it('says which Node.js is needed in one line and exits 2 (guard given an old version)', () => {
    // Given the guard asked about Node.js 20.20.2, When it runs, Then one line and exit 2
    const r = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "(await import('./bin/check-node.js')).requireNode('apigw', '20.20.2')"],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    )
    assert.equal(r.status, 2)
    assert.match(r.stderr, new RegExp(`^apigw ${oneLine.source}`))
    assert.equal(r.stdout, '')
    // And this Node.js passes
    const ok = spawnSync(process.execPath, ['--input-type=module', '-e', "(await import('./bin/check-node.js')).requireNode('apigw')"], {
      cwd: repoRoot,
    })
    assert.equal(ok.status, 0)
  })

  it('bin/run.js on an old Node.js: one line, exit 2, no stack trace', {
    skip: old ? false : 'no Node.js older than 22 on this machine',
  }, () => {
    const r = spawnSync(old as string, [join(repoRoot, 'bin/run.js'), 'deploy', '--local'], {cwd: repoRoot, encoding: 'utf8', env: oldEnv})
    assert.equal(r.status, 2, r.stderr)
    assert.match(r.stderr, new RegExp(`^apigw ${oneLine.source}`))
  })

  it('scripts/test.js on an old Node.js: one line, exit 2, no test run', {
    skip: old ? false : 'no Node.js older than 22 on this machine',
  }, () => {
    const r = spawnSync(old as string, [join(repoRoot, 'scripts/test.js'), 'test/unit/errors'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: oldEnv,
    })
    assert.equal(r.status, 2, r.stderr)
    assert.match(r.stderr, new RegExp(`^The apigw test suite ${oneLine.source}`))
    assert.doesNotMatch(r.stdout, /passed/)
  })

  const oldNpm = old ? join(dirname(old), 'npm') : undefined
  it('npm ci on an old Node.js refuses before installing anything', {
    skip: oldNpm && existsSync(oldNpm) ? false : 'no npm next to an old Node.js',
  }, () => {
    const dir = tempDir('apigw-npmci-')
    temps.push(dir)
    for (const file of ['package.json', 'package-lock.json', '.npmrc']) copyFileSync(join(repoRoot, file), join(dir, file))
    const r = spawnSync(oldNpm as string, ['ci', '--dry-run', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'], {
      cwd: dir,
      encoding: 'utf8',
      env: {...oldEnv, npm_config_cache: join(dir, '.npm-cache')},
    })
    assert.notEqual(r.status, 0)
    assert.match(r.stderr, /EBADENGINE/)
    assert.match(r.stderr, /Required: \{"node":"\^22\.22\.2 \|\| \^24\.15\.0 \|\| >=26\.0\.0"\}/)
    assert.equal(existsSync(join(dir, 'node_modules')), false)
  })
})
