import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {runCli} from '../helpers/cli.ts'

const dirs: string[] = []
after(() => {
  for (const d of dirs) rmSync(d, {recursive: true, force: true})
})
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'apigw-input-'))
  dirs.push(dir)
  return dir
}
const HEAD = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n'

describe('hostile specs and configs through the built CLI: exit 3 with a clear error, never 70 or a hang', () => {
  const cases: Array<{name: string; files: Record<string, string>; args: string[]; code: string; message: RegExp}> = [
    {
      name: '10,000-level nested JSON',
      files: {'deep.json': `{"openapi": "3.0.3", "x": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`},
      args: ['validate', '--spec', 'deep.json'],
      code: 'SPEC_TOO_DEEP',
      message: /deep\.json:1:\d+: the spec is nested more than 1000 levels deep/,
    },
    {
      name: 'a YAML alias bomb',
      files: {
        'bomb.yaml': `${HEAD}paths: {}\na: &a [x, x, x, x, x, x, x, x, x, x]\n${['b', 'c', 'd', 'e', 'f', 'g'].map((n, i) => `${n}: &${n} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`).join('\n')}\n`,
      },
      args: ['validate', '--spec', 'bomb.yaml'],
      code: 'SPEC_ALIAS_LIMIT',
      message: /excessive alias count/,
    },
    {
      name: 'a !!python/object tag in apigw.yaml',
      files: {'apigw.yaml': 'apis:\n  pets: !!python/object:os.system {spec: openapi.yaml}\n'},
      args: ['validate'],
      code: 'CONFIG_UNKNOWN_TAG',
      message: /apigw\.yaml:2:9: the config file uses the YAML tag !!python\/object:os\.system/,
    },
    {
      name: 'a $ref to /etc/passwd',
      files: {'apigw.yaml': 'apis:\n  pets: {spec: openapi.yaml}\n', 'openapi.yaml': `${HEAD}paths:\n  /a:\n    $ref: /etc/passwd\n`},
      args: ['validate'],
      code: 'SPEC_REF_OUTSIDE',
      message: /openapi\.yaml:5:5: the \$ref "\/etc\/passwd" points outside/,
    },
    {
      name: 'a spec that is /dev/zero',
      files: {},
      args: ['validate', '--spec', '/dev/zero'],
      code: 'FILE_NOT_REGULAR',
      message: /\/dev\/zero is not a regular file/,
    },
  ]
  for (const c of cases) {
    it(`${c.name}: ${c.code}`, async () => {
      const dir = tempDir()
      for (const [name, text] of Object.entries(c.files)) writeFileSync(join(dir, name), text)
      const r = await runCli([...c.args, '--json'], {cwd: dir, timeoutMs: 30_000})
      assert.equal(r.timedOut, false)
      assert.equal(r.code, 3, r.stdout + r.stderr)
      const doc = JSON.parse(r.stdout) as {error: {code: string; message: string; hint: string}}
      assert.equal(doc.error.code, c.code)
      assert.match(doc.error.message, c.message)
      assert.ok(doc.error.hint)
    })
  }

  it('a $ref outside the project is read with --allow-ref-outside DIR', async () => {
    const outside = tempDir()
    writeFileSync(join(outside, 'paths.yaml'), "get: {responses: {'200': {description: ok}}}\n")
    const dir = tempDir()
    writeFileSync(join(dir, 'openapi.yaml'), `${HEAD}paths:\n  /a:\n    $ref: "${join(outside, 'paths.yaml')}"\n`)
    const refused = await runCli(['validate', '--spec', 'openapi.yaml'], {cwd: dir})
    assert.equal(refused.code, 3)
    assert.match(refused.stderr, new RegExp(`--allow-ref-outside ${outside}`))
    const allowed = await runCli(['validate', '--spec', 'openapi.yaml', '--allow-ref-outside', outside], {cwd: dir})
    assert.equal(allowed.code, 0, allowed.stderr)
  })
})
