// `apigw init --add NAME` (issue 14 point 12): one more API in an existing apigw.yaml, through the built CLI in fresh
// temp dirs. The file keeps its comments, key order and formatting; a name that exists, a missing apigw.yaml and an
// unanswerable question each fail with their documented exit code and change nothing.
import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {parse} from 'yaml'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const skip = cliBuilt() ? false : 'the CLI is not built (run `npm run build`)'

const CONFIG = `# Our APIs (kept by hand)
apis:
  pets: # the first one
    type: rest
    spec: apis/pets/openapi.yaml
    stages:
      dev: {variables: {backendUrl: "http://localhost:3000"}}
      prod: {}
# the end
`

/** A project with the hand-written apigw.yaml above and pets' spec scaffolded beside it. */
async function project(): Promise<string> {
  const dir = tempDir('apigw-add-')
  const made = await runCli(['init', dir, '--name', 'pets', '--template', 'rest-mock', '--stages', 'dev,prod', '--yes'], {cwd: dir})
  assert.equal(made.code, 0, made.stderr)
  writeFileSync(join(dir, 'apigw.yaml'), CONFIG)
  return dir
}

describe('init --add NAME', {skip}, () => {
  it('adds the API, keeping every line, comment and format of apigw.yaml, and the result validates', async () => {
    // Given an apigw.yaml written by hand, with comments and flow maps
    const dir = await project()
    // When an HTTP API is added with flags
    const r = await runCli(
      [
        'init',
        '--add',
        'orders',
        '--template',
        'http-proxy',
        '--stages',
        'dev',
        '--backend',
        'https://orders.example.com',
        '--yes',
        '--json',
      ],
      {cwd: dir},
    )
    assert.equal(r.code, 0, r.stderr)
    const result = (JSON.parse(r.stdout) as {result: {files: Array<{path: string; action: string}>; next: string[]}}).result
    assert.deepEqual(result.files.slice(0, 2), [
      {path: 'apis/orders/openapi.yaml', action: 'created'},
      {path: 'apigw.yaml', action: 'updated'},
    ])
    assert.deepEqual(result.next, ['apigw validate orders', 'apigw deploy orders --local --stage dev'])
    // Then every original line is still there, in order (quotes and flow maps as written), every comment is kept
    // (the yaml library puts a comment after `key:` of a block map on the next line), and the new API follows
    const text = readFileSync(join(dir, 'apigw.yaml'), 'utf8')
    const lines = text.split('\n').map((l) => l.replace(/ *# .*$/, ''))
    let at = -1
    for (const line of CONFIG.trimEnd().split('\n')) {
      const code = line.replace(/ *# .*$/, '')
      if (code.trim() === '') continue
      const found = lines.indexOf(code, at + 1)
      assert.ok(found > at, `${JSON.stringify(code)} kept in order in\n${text}`)
      at = found
    }
    for (const comment of ['# Our APIs (kept by hand)', '# the first one', '# the end']) assert.ok(text.includes(comment), comment)
    assert.ok(text.indexOf('# the end') > text.indexOf('  orders:'), 'the last comment stays last')
    const config = parse(text) as {apis: Record<string, {type: string; spec: string; stages: Record<string, unknown>}>}
    assert.deepEqual(Object.keys(config.apis), ['pets', 'orders'])
    assert.equal(config.apis.orders?.type, 'http')
    assert.deepEqual(Object.keys(config.apis.orders?.stages ?? {}), ['dev'])
    assert.ok(existsSync(join(dir, 'apis/orders/openapi.yaml')))
    // And both APIs validate from the new file
    const validated = await runCli(['validate', '--json'], {cwd: dir})
    assert.equal(validated.code, 0, validated.stdout)
  })

  it('refuses a name apigw.yaml already has: exit 2, API_EXISTS, nothing changed', async () => {
    const dir = await project()
    const r = await runCli(['init', '--add', 'pets', '--template', 'rest-mock', '--stages', 'dev', '--yes', '--json'], {cwd: dir})
    assert.equal(r.code, 2, r.stderr)
    const error = (JSON.parse(r.stdout) as {error: {code: string; message: string; hint: string}}).error
    assert.equal(error.code, 'API_EXISTS')
    assert.match(error.message, /already has an API named pets/)
    assert.match(error.hint, /the APIs there: pets/)
    assert.equal(readFileSync(join(dir, 'apigw.yaml'), 'utf8'), CONFIG)
  })

  it('needs an apigw.yaml: exit 3, CONFIG_NOT_FOUND, nothing written', async () => {
    const dir = tempDir('apigw-add-')
    const r = await runCli(['init', '--add', 'orders', '--template', 'rest-mock', '--stages', 'dev', '--yes'], {cwd: dir})
    assert.equal(r.code, 3, r.stderr)
    assert.match(r.stderr, /No apigw.yaml in this directory to add orders to\. \[CONFIG_NOT_FOUND\]/)
    assert.match(r.stderr, /Run `apigw init` \(without --add\)/)
    assert.equal(existsSync(join(dir, 'apis')), false)
  })

  it('finds the file through DIR or --config, as other commands do', async () => {
    const dir = await project()
    const parent = join(dir, '..')
    const viaConfig = await runCli(
      ['init', '--add', 'a1', '--template', 'rest-mock', '--stages', 'dev', '--yes', '--config', join(dir, 'apigw.yaml')],
      {
        cwd: parent,
      },
    )
    assert.equal(viaConfig.code, 0, viaConfig.stderr)
    const viaDir = await runCli(['init', dir, '--add', 'a2', '--template', 'rest-mock', '--stages', 'dev', '--yes'], {cwd: parent})
    assert.equal(viaDir.code, 0, viaDir.stderr)
    const config = parse(readFileSync(join(dir, 'apigw.yaml'), 'utf8')) as {apis: Record<string, unknown>}
    assert.deepEqual(Object.keys(config.apis), ['pets', 'a1', 'a2'])
  })

  it('asks what the flags did not say, and without a terminal fails with NON_INTERACTIVE (exit 2), changing nothing', async () => {
    const dir = await project()
    const r = await runCli(['init', '--add', 'orders'], {cwd: dir})
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, /NON_INTERACTIVE/)
    assert.match(r.stderr, /--template/)
    assert.equal(readFileSync(join(dir, 'apigw.yaml'), 'utf8'), CONFIG)
    assert.equal(existsSync(join(dir, 'apis/orders')), false)
  })
})
