import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {runCli} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const fixtures = new URL('../fixtures/validate/', import.meta.url).pathname

describe('apigw validate (built CLI)', () => {
  it('exits 0 on a good spec and prints the verdict', async () => {
    const r = await runCli(['validate', '--spec', 'rest-good.yaml'], {cwd: fixtures})
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /rest-good\.yaml \(REST API, OpenAPI 3\.0\): valid: 0 errors/)
  })

  it('exits 1 on findings at error level, findings on stdout, the error on stderr', async () => {
    const r = await runCli(['validate', '--spec', 'rest-bad.yaml'], {cwd: fixtures})
    assert.equal(r.code, 1)
    assert.match(r.stdout, /rest-bad\.yaml:18:\d+ error .*lambda_magic.* \[integration-type-invalid\]/)
    assert.match(r.stderr, /Error: rest-bad\.yaml has \d+ errors\. \[VALIDATION_FAILED\]/)
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
  })

  it('prints one JSON envelope with --json, findings included on failure', async () => {
    const r = await runCli(['validate', '--spec', 'rest-bad.yaml', '--json'], {cwd: fixtures})
    assert.equal(r.code, 1)
    const doc = JSON.parse(r.stdout) as {
      status: number
      result: {findings: Array<{id: string; location: {line: number}}>}
      error: {code: string}
    }
    assert.equal(doc.status, 1)
    assert.equal(doc.error.code, 'VALIDATION_FAILED')
    assert.ok(doc.result.findings.length > 5)
    assert.ok(doc.result.findings.every((f) => f.location.line > 0))
  })

  it('writes GitHub annotations with --format github', async () => {
    const r = await runCli(['validate', '--spec', 'rest-bad.yaml', '--format', 'github'], {cwd: fixtures})
    assert.equal(r.code, 1)
    assert.match(r.stdout, /^::error file=rest-bad\.yaml,line=18,col=\d+,title=integration-type-invalid::/m)
    assert.match(r.stdout, /^::warning file=rest-bad\.yaml,line=\d+,col=\d+,title=integration-missing::/m)
  })

  const inputErrors: Array<[string, string, RegExp]> = [
    ['a file that is not YAML', 'bad/not-yaml.yaml', /not-yaml\.yaml:\d+:\d+: the spec is not valid YAML/],
    ['a missing file', 'bad/nope.yaml', /No spec at/],
    ['an empty file', 'bad/empty.yaml', /is empty/],
    ['a binary file', 'bad/binary.yaml', /binary file/],
  ]
  for (const [name, spec, message] of inputErrors) {
    it(`exits 3 on ${name}, with a hint and no stack trace`, async () => {
      const r = await runCli(['validate', '--spec', spec], {cwd: fixtures})
      assert.equal(r.code, 3, r.stderr)
      assert.match(r.stderr, message)
      assert.match(r.stderr, /Hint: /)
      assert.doesNotMatch(r.stderr, /\n\s+at /)
      assert.equal(r.stdout, '')
    })
  }

  it('shows the stack trace only with --debug', async () => {
    const r = await runCli(['validate', '--spec', 'bad/not-yaml.yaml', '--debug'], {cwd: fixtures})
    assert.equal(r.code, 3)
    assert.match(r.stderr, /\n\s+at /)
  })

  it('exits 3 on an apigw.yaml with an unknown key, naming file:line and the key', async () => {
    const dir = tempDir('apigw-cli-')
    writeFileSync(join(dir, 'apigw.yaml'), 'apis:\n  pets:\n    spec: openapi.yaml\n    endpointTyp: REGIONAL\n')
    const r = await runCli(['validate'], {cwd: dir})
    assert.equal(r.code, 3)
    assert.match(r.stderr, /apigw\.yaml:4:5: unknown key "endpointTyp" \(did you mean "endpointType"\?\)/)
  })

  it('exits 2 on an unknown API name, listing the known ones', async () => {
    const dir = tempDir('apigw-cli-')
    writeFileSync(join(dir, 'apigw.yaml'), 'apis:\n  pets: {spec: a.yaml}\n  shop: {spec: b.yaml}\n')
    const r = await runCli(['validate', 'pest'], {cwd: dir})
    assert.equal(r.code, 2)
    assert.match(r.stderr, /no API "pest".*did you mean "pets"/)
    assert.match(r.stderr, /Known APIs: pets, shop/)
    // And with no name, both are validated (issue 14.12): here both specs are missing, so exit 3 with a section each
    const both = await runCli(['validate'], {cwd: dir})
    assert.equal(both.code, 3)
    assert.match(both.stdout, /^=== pets ===\nError: .*a\.yaml.* \[SPEC_NOT_FOUND\][\s\S]*=== shop ===\nError: .*b\.yaml/m)
    assert.match(both.stderr, /2 of 2 APIs failed: pets \(SPEC_NOT_FOUND\), shop \(SPEC_NOT_FOUND\)/)
  })

  it('exits 2 on an unknown flag (oclif parse errors are usage errors)', async () => {
    const r = await runCli(['validate', '--nope'], {cwd: fixtures})
    assert.equal(r.code, 2)
    // A word far from every flag gets no guess
    assert.match(r.stderr, /^Error: Unknown flag --nope\. \[USAGE\]$/m)
  })
})
