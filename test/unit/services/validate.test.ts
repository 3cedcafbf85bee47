import assert from 'node:assert/strict'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {CliError, EXIT} from '../../../src/errors.ts'
import {validate} from '../../../src/services/validate/validate.ts'
import {tempDir} from '../../helpers/temp.ts'

const fixtures = new URL('../../fixtures/validate/', import.meta.url).pathname

describe('validate: rules', () => {
  it('accepts a good REST spec with cross-file, circular $refs and no findings', async () => {
    // Given a spec whose schema lives in another file and refers to itself, When validated with stage variables defined
    const dir = tempDir('apigw-val-')
    writeFileSync(
      join(dir, 'apigw.yaml'),
      `apis:\n  pets:\n    spec: ${join(fixtures, 'rest-good.yaml')}\n    stages:\n      dev: {variables: {backendUrl: "http://localhost:3000"}}\n`,
    )
    const result = await validate({cwd: dir})
    // Then it is valid and has nothing to say
    assert.deepEqual(result.findings, [])
    assert.equal(result.valid, true)
    assert.equal(result.api, 'pets')
    assert.equal(result.version, '3.0')
  })

  it('reports each rule on a bad spec with file:line:column', async () => {
    const result = await validate({cwd: fixtures, specPath: 'rest-bad.yaml', type: 'rest'})
    const ids = new Set(result.findings.map((f) => f.id))
    const expected = [
      'extension-wrong-api-type',
      'security-scheme-undefined',
      'request-validator-undefined',
      'integration-fields-missing',
      'integration-uri-param-unmapped',
      'integration-type-invalid',
      'operation-id-duplicate',
      'proxy-not-last',
      'path-parameter-mismatch',
      'ref-unresolved',
      'integration-missing',
      'schema-keyword-ignored',
    ]
    for (const id of expected) assert.ok(ids.has(id), `expected a finding ${id}; got ${[...ids].join(', ')}`)
    assert.equal(result.valid, false)
    for (const f of result.findings) {
      assert.equal(f.location.file, 'rest-bad.yaml')
      assert.ok(f.location.line && f.location.line > 0, `${f.id} has a line`)
    }
    const typo = result.findings.find((f) => f.id === 'integration-type-invalid')!
    assert.equal(typo.location.line, 18)
    assert.match(typo.message, /lambda_magic/)
    assert.equal(typo.level, 'error')
  })

  it('flags REST-only extensions in an HTTP API spec', async () => {
    const dir = tempDir('apigw-val-')
    writeFileSync(
      join(dir, 'openapi.yaml'),
      'openapi: 3.0.3\ninfo: {title: x, version: "1"}\nx-amazon-apigateway-api-key-source: HEADER\npaths:\n  /a:\n    get:\n      responses: {"200": {description: ok}}\n      x-amazon-apigateway-integration: {type: aws_proxy, uri: "arn:aws:lambda:us-east-1:123456789012:function:f", payloadFormatVersion: "2.0"}\n',
    )
    const result = await validate({cwd: dir, specPath: 'openapi.yaml', type: 'http'})
    assert.deepEqual(
      result.findings.map((f) => [f.id, f.location.line]),
      [['extension-wrong-api-type', 3]],
    )
  })

  it('warns about stage variables no stage defines', async () => {
    const dir = tempDir('apigw-val-')
    writeFileSync(
      join(dir, 'apigw.yaml'),
      `apis:\n  pets:\n    spec: ${join(fixtures, 'rest-good.yaml')}\n    stages: {dev: {variables: {other: x}}}\n`,
    )
    const result = await validate({cwd: dir})
    assert.deepEqual(
      result.findings.map((f) => f.id),
      ['stage-variable-undefined'],
    )
    assert.equal(result.findings[0]!.location.file.endsWith('rest-good.yaml'), true)
  })

  it('reports OpenAPI schema errors at the field', async () => {
    const dir = tempDir('apigw-val-')
    writeFileSync(join(dir, 'openapi.yaml'), 'openapi: 3.0.3\ninfo:\n  title: x\npaths: {}\n')
    const result = await validate({cwd: dir, specPath: 'openapi.yaml'})
    const f = result.findings.find((x) => x.id === 'openapi-schema')
    assert.ok(f)
    assert.match(f.message, /version/)
    assert.equal(f.location.line, 2)
  })

  it('honours level overrides from apigw.yaml', async () => {
    const dir = tempDir('apigw-val-')
    writeFileSync(
      join(dir, 'openapi.yaml'),
      'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      responses: {"200": {description: ok}}\n',
    )
    writeFileSync(join(dir, 'apigw.yaml'), 'apis:\n  a: {spec: openapi.yaml}\nvalidate:\n  levels: {integration-missing: error}\n')
    const result = await validate({cwd: dir})
    assert.equal(result.findings[0]?.level, 'error')
    assert.equal(result.valid, false)
  })
})

describe('validate: bad input', () => {
  const scratch = tempDir('apigw-bad-')
  mkdirSync(join(scratch, 'a-directory.yaml'))
  const cases: Array<{name: string; spec: string; code: string; message: RegExp; cwd?: string}> = [
    {
      name: 'a file that is not YAML',
      spec: 'bad/not-yaml.yaml',
      code: 'SPEC_PARSE_ERROR',
      message: /not-yaml\.yaml:\d+:\d+: the spec is not valid YAML/,
    },
    {
      name: 'a truncated JSON document',
      spec: 'bad/truncated.json',
      code: 'SPEC_PARSE_ERROR',
      message: /truncated\.json:1:\d+: .*not valid JSON/,
    },
    {name: 'duplicate YAML keys', spec: 'bad/duplicate.yaml', code: 'SPEC_DUPLICATE_KEY', message: /duplicate\.yaml:4:1: duplicate key/},
    {
      name: 'duplicate JSON keys',
      spec: 'bad/duplicate.json',
      code: 'SPEC_DUPLICATE_KEY',
      message: /duplicate\.json:1:\d+: duplicate key "paths"/,
    },
    {name: 'a $ref to a missing file', spec: 'bad/dangling-file.yaml', code: 'SPEC_REF_NOT_FOUND', message: /missing\.yaml/},
    {
      name: 'a remote $ref',
      spec: 'bad/remote.yaml',
      code: 'SPEC_REMOTE_REF',
      message: /bad\/remote\.yaml:7:72: the \$ref "https:\/\/example\.com\/schemas\.yaml#\/X" points to the network/,
    },
    {name: 'a binary file', spec: 'bad/binary.yaml', code: 'FILE_BINARY', message: /binary file/},
    {name: 'a non-UTF-8 file', spec: 'bad/latin1.yaml', code: 'FILE_NOT_UTF8', message: /latin1\.yaml:2:\d+: .*not valid UTF-8/},
    {name: 'an empty file', spec: 'bad/empty.yaml', code: 'FILE_EMPTY', message: /empty/},
    {name: 'a missing file', spec: 'bad/nope.yaml', code: 'SPEC_NOT_FOUND', message: /No spec at .*nope\.yaml/},
    {name: 'a directory', spec: 'a-directory.yaml', code: 'FILE_IS_DIRECTORY', message: /is a directory/, cwd: scratch},
    {
      name: 'a YAML file that is not OpenAPI',
      spec: 'bad/not-openapi.yaml',
      code: 'SPEC_VERSION',
      message: /no `openapi` or `swagger` field/,
    },
  ]
  for (const c of cases) {
    it(`refuses ${c.name} with exit 3, the file and a hint`, async () => {
      await assert.rejects(validate({cwd: c.cwd ?? fixtures, specPath: c.spec}), (e: unknown) => {
        assert.ok(e instanceof CliError, `a CliError, got ${String(e)}`)
        assert.equal(e.code, c.code)
        assert.equal(e.exitCode, EXIT.INPUT)
        assert.match(e.message, c.message)
        assert.ok(e.hint && e.hint.length > 10, 'has a hint')
        return true
      })
    })
  }
})
