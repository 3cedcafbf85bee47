import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {loadSpec, parseSpecText} from '../../../../src/core/spec/load.ts'
import {InputProblem, type InputProblemCode} from '../../../../src/core/spec/problem.ts'
import {refConfinement, readSourceBytes} from '../../../../src/services/project.ts'

const dirs: string[] = []
after(() => {
  for (const d of dirs) rmSync(d, {recursive: true, force: true})
})
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'apigw-spec-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), {recursive: true})
    writeFileSync(join(dir, name), text)
  }
  return dir
}

const problem = (code: InputProblemCode, message?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof InputProblem, `an InputProblem, not ${String(e)}`)
  assert.equal(e.code, code, e.message)
  if (message) assert.match(e.message, message)
  assert.ok(e.hint.length > 0)
  return true
}

const HEAD = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n'

describe('parseSpecText: one body, a typed document', () => {
  const cases: Array<{name: string; text: string; version: string}> = [
    {name: 'YAML 3.0', text: `${HEAD}paths: {}\n`, version: '3.0'},
    {name: 'JSON 3.1', text: '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}', version: '3.1'},
    {name: 'Swagger 2.0', text: 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n', version: '2.0'},
  ]
  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      const {doc, version} = parseSpecText(c.text)
      assert.equal(version, c.version)
      assert.deepEqual(doc.paths, {})
    })
  }

  const bad: Array<{name: string; text: string; code: InputProblemCode; message: RegExp}> = [
    {name: 'a list at the top', text: '- a\n', code: 'SPEC_INVALID', message: /not an OpenAPI document/},
    {name: 'no version', text: 'info: {}\n', code: 'SPEC_VERSION', message: /no `openapi` or `swagger` field/},
    {name: 'broken YAML', text: `${HEAD}paths: {\n`, code: 'SPEC_PARSE_ERROR', message: /body:\d+:\d+: the spec is not valid YAML/},
    {name: 'a duplicate key', text: `${HEAD}paths: {}\npaths: {}\n`, code: 'SPEC_DUPLICATE_KEY', message: /body:4:1: duplicate key/},
    {
      name: 'a Python tag',
      text: `${HEAD}paths: !!python/object:os.system {}\n`,
      code: 'SPEC_UNKNOWN_TAG',
      message: /body:3:8: .*YAML tag !!python\/object:os\.system/,
    },
  ]
  for (const c of bad) {
    it(`refuses ${c.name} with a typed problem`, () => {
      assert.throws(() => parseSpecText(c.text), problem(c.code, c.message))
    })
  }

  it('lenient: duplicate keys allowed (the last wins), as the emulator reads a body', () => {
    assert.deepEqual(parseSpecText(`${HEAD}paths: {/a: {}}\npaths: {}\n`, {lenient: true}).doc.paths, {})
  })
})

describe('hostile input: clear problems, never a stack overflow or a hang', () => {
  it('10,000-level nested JSON is SPEC_TOO_DEEP with its line and column', () => {
    const text = `{"openapi": "3.0.3", "x": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`
    assert.throws(() => parseSpecText(text), problem('SPEC_TOO_DEEP', /body:1:\d+: the spec is nested more than 1000 levels deep/))
  })

  it('deep JSON inside strings is not nesting', () => {
    const text = `{"openapi": "3.0.3", "info": {"title": "${'['.repeat(5000)}\\"", "version": "1"}, "paths": {}}`
    assert.equal(parseSpecText(text).version, '3.0')
  })

  it('10,000-level nested YAML is SPEC_TOO_DEEP', () => {
    const text = `${HEAD}x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`
    assert.throws(() => parseSpecText(text), problem('SPEC_TOO_DEEP'))
  })

  it('1,500-level nested YAML flow (under the parser limit) is SPEC_TOO_DEEP', () => {
    const text = `${HEAD}x: ${'['.repeat(1500)}${']'.repeat(1500)}\n`
    assert.throws(() => parseSpecText(text), problem('SPEC_TOO_DEEP', /body:3:\d+/))
  })

  it('a YAML alias bomb is SPEC_ALIAS_LIMIT', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
    ])
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`)
    const text = `${HEAD}paths: {}\n${levels.join('\n')}\n`
    assert.throws(() => parseSpecText(text), problem('SPEC_ALIAS_LIMIT', /excessive alias count/))
  })

  it('finds duplicate keys in linear time (40,000 keys cost about four times 10,000, not sixteen)', () => {
    // Given mappings of 10,000 and 40,000 keys with a duplicate at the end; When parsed; Then the duplicate is
    // found, and CPU time grows about linearly (the library's own check compares every pair: 16x).
    const mapping = (n: number) => `${HEAD}paths: {}\nx:\n${Array.from({length: n}, (_, i) => `  k${i}: 1\n`).join('')}  k0: 2\n`
    const cpu = (n: number) => {
      const text = mapping(n)
      const start = process.cpuUsage()
      assert.throws(() => parseSpecText(text), problem('SPEC_DUPLICATE_KEY', new RegExp(`body:${n + 5}:3: .*"k0"`)))
      const used = process.cpuUsage(start)
      return used.user + used.system
    }
    cpu(2000) // warm up
    const small = cpu(10_000)
    const large = cpu(40_000)
    assert.ok(large / small < 9, `40,000 keys took ${(large / small).toFixed(1)}x the CPU of 10,000`)
  })
})

describe('loadSpec: a file set, $refs confined to the project', () => {
  const spec = (ref: string) => `${HEAD}paths:\n  /a:\n    $ref: "${ref}"\n`
  const path = `get: {responses: {'200': {description: ok}}}\n`

  it('follows $refs across files inside the project', async () => {
    const dir = project({'api/openapi.yaml': spec('../shared/paths.yaml'), 'shared/paths.yaml': path})
    const loaded = await loadSpec(join(dir, 'api/openapi.yaml'), {read: readSourceBytes, confine: refConfinement(dir)})
    assert.deepEqual([...loaded.files.keys()].sort(), [join(dir, 'api/openapi.yaml'), join(dir, 'shared/paths.yaml')])
    const target = loaded.resolveRef('../shared/paths.yaml', join(dir, 'api/openapi.yaml'))
    assert.equal(target?.file, join(dir, 'shared/paths.yaml'))
    assert.ok(target && typeof target.value === 'object' && target.value !== null && 'get' in target.value)
  })

  const outside: Array<{name: string; ref: (outsideDir: string) => string}> = [
    {name: 'a relative ../ path', ref: () => '../outside/paths.yaml'},
    {name: 'an absolute path', ref: (o) => join(o, 'paths.yaml')},
    {name: '/etc/passwd', ref: () => '/etc/passwd'},
  ]
  for (const c of outside) {
    it(`refuses ${c.name} outside the project, naming the ref, the file and the line`, async () => {
      const outsideDir = project({'paths.yaml': path})
      const dir = project({})
      const ref = c.ref(outsideDir).replace('../outside', join('..', outsideDir.split('/').pop()!))
      writeFileSync(join(dir, 'openapi.yaml'), spec(ref))
      await assert.rejects(
        loadSpec(join(dir, 'openapi.yaml'), {read: readSourceBytes, confine: refConfinement(dir)}),
        problem('SPEC_REF_OUTSIDE', new RegExp(`openapi\\.yaml:5:5: the \\$ref "${ref.replaceAll('.', '\\.')}" points outside`)),
      )
    })
  }

  it('reads outside the project with --allow-ref-outside DIR', async () => {
    const outsideDir = project({'paths.yaml': path})
    const dir = project({'openapi.yaml': spec(join(outsideDir, 'paths.yaml'))})
    const loaded = await loadSpec(join(dir, 'openapi.yaml'), {read: readSourceBytes, confine: refConfinement(dir, [outsideDir])})
    assert.equal(loaded.files.size, 2)
  })

  it('refuses a symlink inside the project that leads outside', async () => {
    const outsideDir = project({'paths.yaml': path})
    const dir = project({'openapi.yaml': spec('./link.yaml')})
    symlinkSync(join(outsideDir, 'paths.yaml'), join(dir, 'link.yaml'))
    await assert.rejects(
      loadSpec(join(dir, 'openapi.yaml'), {read: readSourceBytes, confine: refConfinement(dir)}),
      problem('SPEC_REF_OUTSIDE'),
    )
  })

  it('refuses a remote $ref (apigw reads no network)', async () => {
    const dir = project({'openapi.yaml': spec('https://example.com/paths.yaml')})
    await assert.rejects(
      loadSpec(join(dir, 'openapi.yaml'), {read: readSourceBytes}),
      problem('SPEC_REMOTE_REF', /openapi\.yaml:5:5: the \$ref "https:\/\/example\.com\/paths\.yaml" points to the network/),
    )
  })

  it('names a missing referenced file and where it was referenced from', async () => {
    const dir = project({'openapi.yaml': spec('./nope.yaml')})
    await assert.rejects(
      loadSpec(join(dir, 'openapi.yaml'), {read: readSourceBytes, confine: refConfinement(dir)}),
      problem('SPEC_REF_NOT_FOUND', /nope\.yaml \(referenced from .*openapi\.yaml:5:5\)/),
    )
  })
})

describe('the source reader: regular files only, with a size cap', () => {
  const devices: Array<{name: string; path: string}> = [
    {name: '/dev/zero', path: '/dev/zero'},
    {name: '/dev/urandom', path: '/dev/urandom'},
  ]
  for (const c of devices) {
    it(`refuses ${c.name} as a spec and as a $ref target`, async () => {
      await assert.rejects(loadSpec(c.path, {read: readSourceBytes}), problem('FILE_NOT_REGULAR', /not a regular file/))
      const dir = project({'openapi.yaml': `${HEAD}paths:\n  /a:\n    $ref: "${c.path}"\n`})
      await assert.rejects(
        loadSpec(join(dir, 'openapi.yaml'), {read: readSourceBytes, confine: refConfinement(dir, ['/dev'])}),
        problem('FILE_NOT_REGULAR'),
      )
    })
  }

  it('refuses a FIFO without waiting for a writer', async () => {
    const dir = project({})
    const {execFileSync} = await import('node:child_process')
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')])
    await assert.rejects(loadSpec(join(dir, 'fifo.yaml'), {read: readSourceBytes}), problem('FILE_NOT_REGULAR'))
  })

  it('refuses a file over the cap', async () => {
    const dir = project({'openapi.yaml': `${HEAD}paths: {}\n`})
    await assert.rejects(
      loadSpec(join(dir, 'openapi.yaml'), {read: (p) => readSourceBytes(p, 16)}),
      problem('FILE_TOO_LARGE', /larger than/),
    )
  })
})
