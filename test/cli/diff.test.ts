import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {copyFileSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {runCli} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const oasdiff = new URL('../fixtures/oasdiff/data/', import.meta.url).pathname
const base = join(oasdiff, 'checker/request_property_added_base.yaml')
const revision = join(oasdiff, 'checker/request_property_added_revision.yaml')

describe('apigw diff (built CLI)', () => {
  it('exits 1 on a breaking change between two files, naming the id and the revision line', async () => {
    const r = await runCli(['diff', '--base', base, '--revision', revision])
    assert.equal(r.code, 1, r.stderr)
    assert.match(r.stdout, /\[new-required-request-property\]/)
    assert.match(r.stdout, /request_property_added_revision\.yaml:\d+:\d+/)
    assert.match(r.stderr, /BREAKING_CHANGES/)
  })

  it('reports nothing and exits 0 for a file against itself', async () => {
    const same = await runCli(['diff', '--base', base, '--revision', base])
    assert.equal(same.code, 0, same.stderr)
    assert.match(same.stdout, /No changes found/)
  })

  it('fails on warnings with --fail-on warning, and not by default', async () => {
    // Given a pair whose only change is a warning (oasdiff row 29: a parameter pattern changed)
    const b = join(oasdiff, 'pattern-parameter-base.yaml')
    const rv = join(oasdiff, 'pattern-parameter-modified-not-anystring.yaml')
    assert.equal((await runCli(['diff', '--base', b, '--revision', rv])).code, 0)
    const strict = await runCli(['diff', '--base', b, '--revision', rv, '--fail-on', 'warning'])
    assert.equal(strict.code, 1)
    assert.match(strict.stdout, /request-parameter-pattern-changed/)
  })

  it('prints one envelope with --json, the findings in the result', async () => {
    const r = await runCli(['diff', '--base', base, '--revision', revision, '--json'])
    assert.equal(r.code, 1)
    const doc = JSON.parse(r.stdout)
    assert.equal(doc.status, 1)
    assert.equal(doc.error.code, 'BREAKING_CHANGES')
    assert.deepEqual(
      doc.result.findings.map((f: {id: string}) => f.id),
      ['new-required-request-property'],
    )
    assert.equal(doc.result.counts.error, 1)
  })

  const formats: Array<[string, RegExp]> = [
    ['markdown', /^### API changes: [\s\S]*\| :x: error \| 1 \|/m],
    ['github', /^::error file=.*request_property_added_revision\.yaml,line=\d+.*title=new-required-request-property::/m],
    ['junit', /<testsuites[\s\S]*<failure/],
  ]
  for (const [format, pattern] of formats) {
    it(`writes ${format}`, async () => {
      const r = await runCli(['diff', '--base', base, '--revision', revision, '--format', format])
      assert.equal(r.code, 1)
      assert.match(r.stdout, pattern)
    })
  }

  it('writes --output FILE and appends Markdown to $GITHUB_STEP_SUMMARY', async () => {
    const dir = tempDir('apigw-diff-')
    const summary = join(dir, 'summary.md')
    writeFileSync(summary, '# before\n')
    const r = await runCli(['diff', '--base', base, '--revision', revision, '--format', 'junit', '--output', 'report.xml'], {
      cwd: dir,
      env: {GITHUB_STEP_SUMMARY: summary},
    })
    assert.equal(r.code, 1)
    assert.match(r.stdout, /Report written to report\.xml/)
    assert.match(readFileSync(join(dir, 'report.xml'), 'utf8'), /<testsuites/)
    const md = readFileSync(summary, 'utf8')
    assert.match(md, /^# before\n/)
    assert.match(md, /new-required-request-property/)
  })

  it('compares the working spec with git revisions, $refs read at that revision', async () => {
    // Given a repository where a required request property was added in the second commit, in a $ref'd file
    const dir = tempDir('apigw-diff-git-')
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: dir,
        stdio: 'pipe',
        env: {...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t'},
      })
    git('init', '-q', '-b', 'main')
    mkdirSync(join(dir, 'apis'))
    writeFileSync(join(dir, 'apigw.yaml'), 'apis:\n  pets: {spec: apis/openapi.yaml}\n')
    writeFileSync(
      join(dir, 'apis/openapi.yaml'),
      'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /pets:\n    post:\n      requestBody: {content: {application/json: {schema: {$ref: "schemas.yaml#/Pet"}}}}\n      responses: {"200": {description: ok}}\n',
    )
    writeFileSync(join(dir, 'apis/schemas.yaml'), 'Pet:\n  type: object\n  properties: {name: {type: string}}\n')
    git('add', '.')
    git('commit', '-qm', 'one')
    writeFileSync(
      join(dir, 'apis/schemas.yaml'),
      'Pet:\n  type: object\n  required: [name, age]\n  properties: {name: {type: string}, age: {type: integer}}\n',
    )
    // When diffed against HEAD (the working tree is the revision)
    const r = await runCli(['diff', '--base', 'git:HEAD', '--json'], {cwd: dir})
    // Then the new required property is found through the $ref
    const doc = JSON.parse(r.stdout)
    assert.equal(r.code, 1, r.stderr)
    assert.equal(doc.result.base, 'git:HEAD:apis/openapi.yaml')
    assert.ok(
      doc.result.findings.some((f: {id: string}) => f.id === 'new-required-request-property'),
      JSON.stringify(doc.result.findings.map((f: {id: string}) => f.id)),
    )
    // And a revision that does not exist is a clear input error
    const bad = await runCli(['diff', '--base', 'git:nope'], {cwd: dir})
    assert.equal(bad.code, 3)
    assert.match(bad.stderr, /git has no revision "nope"/)
    // And git:<rev>:<path> names the file explicitly
    git('commit', '-qam', 'two')
    copyFileSync(join(dir, 'apis/openapi.yaml'), join(dir, 'copy.yaml'))
    const explicit = await runCli(['diff', '--base', 'git:HEAD~1:apis/openapi.yaml', '--revision', 'git:HEAD:apis/openapi.yaml'], {
      cwd: dir,
    })
    assert.equal(explicit.code, 1, explicit.stderr)
  })

  it('says clearly that stage: needs an API from apigw.yaml', async () => {
    const dir = tempDir('apigw-diff-')
    const r = await runCli(['diff', '--base', 'stage:prod', '--spec', base], {cwd: dir})
    assert.equal(r.code, 2)
    assert.match(r.stderr, /stage: references need an API from apigw\.yaml/)
  })
})
