import assert from 'node:assert/strict'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {parse} from 'yaml'
import {registry, runChecks} from '../../../../src/core/checks/index.ts'
import {diffSpecs} from '../../../../src/core/diff/index.ts'

const ok = {responses: {200: {description: 'ok'}}}
const spec = (paths: Record<string, unknown>) => ({openapi: '3.0.3', info: {title: 't', version: '1'}, paths})
// Given a revision that removes GET /a and GET /b/c entirely
const diff = diffSpecs(spec({'/a': {get: ok}, '/b/c': {get: ok}, '/d': {get: ok}}), spec({'/d': {get: ok}}), {
  baseFile: 'base.yaml',
  revisionFile: 'rev.yaml',
})

describe('runChecks', () => {
  it('gives each finding its registry level, operation and location (base file for removals)', () => {
    const {findings, counts} = runChecks(diff, registry)
    assert.deepEqual(
      findings.map((f) => [f.id, f.level, f.operation, f.location.file, f.location.pointer]),
      [
        ['api-path-removed-without-deprecation', 'error', 'GET /a', 'base.yaml', '#/paths/~1a/get'],
        ['api-path-removed-without-deprecation', 'error', 'GET /b/c', 'base.yaml', '#/paths/~1b~1c/get'],
      ],
    )
    assert.deepEqual(counts, {error: 2, warning: 0, info: 0})
  })

  const configs = [
    {
      name: 'levels override',
      config: {levels: {'api-path-removed-without-deprecation': 'warning' as const}},
      levels: ['warning', 'warning'],
      ignored: 0,
    },
    {name: "'off' drops the id", config: {levels: {'api-path-removed-without-deprecation': 'off' as const}}, levels: [], ignored: 0},
    {
      name: 'ignore by operation',
      config: {ignore: [{id: 'api-path-removed-without-deprecation', operation: 'get /a', reason: 'gone on purpose'}]},
      levels: ['error'],
      ignored: 1,
    },
    {
      name: 'ignore by path prefix',
      config: {ignore: [{id: 'api-path-removed-without-deprecation', path: '/b/*', reason: 'internal'}]},
      levels: ['error'],
      ignored: 1,
    },
    {name: 'ignore of another id', config: {ignore: [{id: 'endpoint-added', reason: 'n/a'}]}, levels: ['error', 'error'], ignored: 0},
    {name: 'only another id', config: {only: ['endpoint-added']}, levels: [], ignored: 0},
  ]
  for (const c of configs)
    it(`applies config: ${c.name}`, () => {
      // When the checks run with this config
      const report = runChecks(diff, registry, c.config)
      // Then levels and ignored findings follow it
      assert.deepEqual(
        report.findings.map((f) => f.level),
        c.levels,
      )
      assert.equal(report.ignored.length, c.ignored)
      if (c.ignored) assert.ok(report.ignored[0]!.reason.length > 0)
    })

  it('does not mutate the diff and gives the same result twice', () => {
    const before = JSON.stringify(diff)
    assert.deepEqual(runChecks(diff, registry), runChecks(diff, registry))
    assert.equal(JSON.stringify(diff), before)
  })
})

describe('registry', () => {
  it('has one entry per id, kebab-case, with a level and an area', () => {
    const ids = registry.map((e) => e.id)
    assert.equal(new Set(ids).size, ids.length)
    for (const e of registry) {
      assert.match(e.id, /^[a-z0-9]+(-[a-z0-9]+)*$/)
      assert.ok(['error', 'warning', 'info'].includes(e.level))
      assert.ok(e.area.length > 0)
    }
  })

  it('registers every id the checks emit on all fixture pairs', () => {
    // Given every fixture pair we ship, both ways
    const root = join(import.meta.dirname, '../../../fixtures')
    const files: string[] = []
    const walk = (dir: string) => {
      for (const n of readdirSync(dir)) {
        const p = join(dir, n)
        if (statSync(p).isDirectory()) walk(p)
        else if (/\.(ya?ml|json)$/.test(n) && !n.startsWith('expected')) files.push(p)
      }
    }
    walk(join(root, 'oasdiff/data'))
    walk(join(root, 'diff'))
    const known = new Set(registry.map((e) => e.id))
    const checks = new Set(registry.map((e) => e.check))
    const unknown = new Set<string>()
    const dirs = new Map<string, string[]>()
    for (const f of files) dirs.set(join(f, '..'), [...(dirs.get(join(f, '..')) ?? []), f])
    // When each check function runs directly on every pair within a folder
    for (const group of dirs.values())
      for (const a of group)
        for (const b of group) {
          const d = diffSpecs(parse(readFileSync(a, 'utf8')), parse(readFileSync(b, 'utf8')))
          for (const check of checks)
            for (const f of check(d, {now: new Date(0), deprecationDays: {beta: 0, stable: 0}})) if (!known.has(f.id)) unknown.add(f.id)
        }
    // Then no id is missing from the registry
    assert.deepEqual([...unknown], [])
  })
})
