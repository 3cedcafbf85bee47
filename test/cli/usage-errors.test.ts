/**
 * Usage errors in one style, through the built binary: the reason in the message, `[USAGE]`, exit 2, a hint naming
 * the command's help, a "did you mean" for a mistyped command or flag, one JSON envelope with --json, no stack trace.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const cases: Array<{argv: string[]; message: RegExp; hint: RegExp}> = [
  {
    argv: ['diff'],
    message: /^Error: Missing required flag --base\. \[USAGE\]$/m,
    hint: /^Hint: Pass --base <value>\. See `apigw diff --help` for the flags and arguments\.$/m,
  },
  {
    argv: ['canary', '--stage', 'dev', '--percent', '150'],
    message: /^Error: Invalid value for --percent: expected an integer less than or equal to 100 but received: 150\. \[USAGE\]$/m,
    hint: /`apigw canary --help`/,
  },
  {
    argv: ['deploy', '--locl', '--stage', 'dev'],
    message: /^Error: Unknown flag --locl \(did you mean --local\?\)\. \[USAGE\]$/m,
    hint: /`apigw deploy --help`/,
  },
  {
    argv: ['keys', 'list', '--shwo-values'],
    message: /^Error: Unknown flag --shwo-values \(did you mean --show-values\?\)\. \[USAGE\]$/m,
    hint: /`apigw keys list --help`/,
  },
  {
    argv: ['deplyo'],
    message: /^Error: Unknown command "deplyo" \(did you mean `apigw deploy`\?\)\. \[USAGE\]$/m,
    hint: /^Hint: Run `apigw --help` for the list of commands\.$/m,
  },
  {
    argv: ['keys', 'rotat'],
    message: /^Error: Unknown command "keys rotat" \(did you mean `apigw keys rotate`\?\)\. \[USAGE\]$/m,
    hint: /apigw --help/,
  },
  {argv: ['validate', 'a', 'b'], message: /^Error: Unexpected argument: b\. \[USAGE\]$/m, hint: /`apigw validate --help`/},
]

describe('usage errors (built CLI)', {skip: cliBuilt() ? false : 'the CLI is not built (run `npm run build`)'}, () => {
  const cwd = tempDir('apigw-usage-')
  for (const c of cases) {
    it(`apigw ${c.argv.join(' ')}`, async () => {
      const r = await runCli(c.argv, {cwd})
      assert.equal(r.code, 2, r.stderr)
      assert.match(r.stderr, c.message)
      assert.match(r.stderr, c.hint)
      assert.doesNotMatch(r.stderr, /The following error|See more help|›|\n\s+at /)
      assert.equal(r.stdout, '')
    })
  }

  it('--json: one envelope with the reason in the message', async () => {
    const r = await runCli(['diff', '--json'], {cwd})
    assert.equal(r.code, 2)
    const doc = JSON.parse(r.stdout) as {status: number; error: {code: string; message: string; hint: string}}
    assert.deepEqual(doc.error, {
      code: 'USAGE',
      message: 'Missing required flag --base.',
      hint: 'Pass --base <value>. See `apigw diff --help` for the flags and arguments.',
    })
    assert.equal(doc.status, 2)
    const unknown = await runCli(['deplyo', '--json'], {cwd})
    assert.equal(unknown.code, 2)
    assert.equal((JSON.parse(unknown.stdout) as {error: {code: string}}).error.code, 'USAGE')
  })
})
