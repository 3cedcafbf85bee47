// `apigw init` through the built binary (npm test builds first; see test/helpers/cli.ts).
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {parse} from 'yaml'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const FLAGS = [
  '--name',
  'pets',
  '--type',
  'rest',
  '--template',
  'rest-lambda-proxy',
  '--stages',
  'dev,prod',
  '--auth',
  'api-key',
  '--backend',
  'arn:aws:lambda:us-east-1:111122223333:function:pets',
]

let work: string

before(async () => {
  assert.ok(cliBuilt(), 'dist/ is missing: run `npm run build` (npm test does it) before the CLI tests')
  work = tempDir('apigw-cli-init-')
})

after(async () => {
  await rm(work, {recursive: true, force: true})
})

async function emptyDir(): Promise<string> {
  return mkdtemp(join(work, 'd-'))
}

describe('apigw init (built binary)', () => {
  it('scaffolds from flags alone in an empty directory', async () => {
    // Given an empty directory and no terminal
    const cwd = await emptyDir()
    // When init runs with every answer as a flag
    const run = await runCli(['init', ...FLAGS], {cwd})
    // Then it exits 0, lists the files and the next steps, and the files are there
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /^Created apigw\.yaml$/m)
    assert.match(run.stdout, /^Created apis\/pets\/openapi\.yaml$/m)
    assert.match(run.stdout, /^Created \.gitignore$/m)
    assert.match(run.stdout, /Next:\n {2}apigw validate\n {2}apigw deploy --local --stage dev\n/)
    const config = parse(await readFile(join(cwd, 'apigw.yaml'), 'utf8'))
    assert.equal(config.apis.pets.spec, 'apis/pets/openapi.yaml')
    assert.deepEqual(config.apis.pets.usagePlans.default.stages, ['dev', 'prod'])
    const spec = parse(await readFile(join(cwd, 'apis/pets/openapi.yaml'), 'utf8'))
    assert.equal(spec.openapi, '3.0.1')
    assert.deepEqual(spec.components.securitySchemes.api_key, {type: 'apiKey', name: 'x-api-key', in: 'header'})
  })

  it('scaffolds into DIR, creating it', async () => {
    const cwd = await emptyDir()
    const run = await runCli(['init', 'sub/dir', '--name', 'svc', '--template', 'rest-mock', '--stages', 'dev', '--auth', 'none'], {cwd})
    assert.equal(run.code, 0, run.stderr)
    assert.ok(existsSync(join(cwd, 'sub/dir/apis/svc/openapi.yaml')))
    assert.match(run.stdout, /^Created sub\/dir\/apigw\.yaml$/m)
    assert.match(run.stdout, /^ {2}cd sub\/dir$/m)
  })

  const nonInteractive: Array<{title: string; args: string[]; env?: Record<string, string>}> = [
    {title: 'no TTY', args: ['init']},
    {title: 'CI=true', args: ['init', '--name', 'pets'], env: {CI: 'true'}},
    {title: '--json', args: ['init', '--json']},
  ]
  for (const row of nonInteractive) {
    it(`fails fast with exit 2 and the flags to pass: ${row.title}`, async () => {
      // Given an empty directory and a session that cannot prompt
      const cwd = await emptyDir()
      // When init runs with answers missing
      const run = await runCli(row.args, {cwd, env: row.env ?? {}, timeoutMs: 60_000})
      // Then it exits 2 at once, names the flags, and writes nothing
      assert.equal(run.timedOut, false, 'init hung waiting for input')
      assert.equal(run.code, 2, run.stdout + run.stderr)
      const text = row.args.includes('--json') ? JSON.parse(run.stdout).error.hint : run.stderr
      for (const flag of ['--type rest|http', '--template', '--stages', '--auth', '--backend'])
        assert.ok(text.includes(flag), `${flag} not in: ${text}`)
      assert.equal(text.includes('--name'), !row.args.includes('--name'))
      assert.equal(existsSync(join(cwd, 'apigw.yaml')), false)
    })
  }

  it('prints the --json envelope with the result', async () => {
    // Given an empty directory, When init runs with --json and all flags
    const cwd = await emptyDir()
    const run = await runCli(['init', ...FLAGS, '--json'], {cwd})
    // Then stdout is one JSON document: status 0, the result, no warnings
    assert.equal(run.code, 0, run.stderr)
    const envelope = JSON.parse(run.stdout)
    assert.deepEqual(Object.keys(envelope).sort(), ['result', 'status', 'warnings'])
    assert.equal(envelope.status, 0)
    assert.deepEqual(envelope.warnings, [])
    const {result} = envelope
    assert.equal(result.dir, cwd)
    assert.deepEqual(result.files, [
      {path: 'apigw.yaml', action: 'created'},
      {path: 'apis/pets/openapi.yaml', action: 'created'},
      {path: '.gitignore', action: 'created'},
    ])
    assert.deepEqual(result.api, {name: 'pets', type: 'rest', template: 'rest-lambda-proxy', stages: ['dev', 'prod'], auth: 'api-key'})
    assert.deepEqual(result.next, ['apigw validate', 'apigw deploy --local --stage dev'])
  })

  it('refuses to overwrite without --force (FILE_EXISTS, exit 3), and overwrites with it', async () => {
    // Given a directory that already has an apigw.yaml
    const cwd = await emptyDir()
    await writeFile(join(cwd, 'apigw.yaml'), 'apis: {}\n')
    // When init runs without --force
    const run = await runCli(['init', ...FLAGS], {cwd})
    // Then it exits 3, names the file and the flag, and leaves the file alone
    assert.equal(run.code, 3, run.stderr)
    assert.match(run.stderr, /apigw\.yaml/)
    assert.match(run.stderr, /--force/)
    assert.match(run.stderr, /\[FILE_EXISTS\]/)
    assert.equal(await readFile(join(cwd, 'apigw.yaml'), 'utf8'), 'apis: {}\n')
    // And with --json the envelope carries the code
    const json = await runCli(['init', ...FLAGS, '--json'], {cwd})
    assert.equal(json.code, 3)
    assert.equal(JSON.parse(json.stdout).error.code, 'FILE_EXISTS')
    // When init runs again with --force, Then it overwrites
    const forced = await runCli(['init', ...FLAGS, '--force'], {cwd})
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(forced.stdout, /^Overwrote apigw\.yaml$/m)
  })

  it('rejects a value that does not fit with exit 2 and a hint', async () => {
    const cwd = await emptyDir()
    const run = await runCli(
      ['init', '--name', 'pets', '--template', 'http-proxy', '--auth', 'api-key', '--stages', 'dev', '--backend', 'https://x.example.com'],
      {cwd},
    )
    assert.equal(run.code, 2, run.stderr)
    assert.match(run.stderr, /REST APIs/)
    assert.match(run.stderr, /Hint: Pass --auth none\|jwt\|lambda\|iam/)
    assert.doesNotMatch(run.stderr, /at .*\.js:\d+/, 'no stack trace without --debug')
  })

  it('rejects an unknown --type through oclif with exit 2', async () => {
    const run = await runCli(['init', '--type', 'soap'], {cwd: await emptyDir()})
    assert.equal(run.code, 2, run.stderr)
    assert.match(run.stderr, /rest, http|rest\|http/)
  })
})
