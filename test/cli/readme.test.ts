/**
 * What the README tells a new user works as written: the emulator snippet with any AWS CLI v2 (Debian's ignores
 * AWS_ENDPOINT_URL, so the endpoint goes on the command line and the region in AWS_DEFAULT_REGION), `--prune` in the
 * command reference, and `logs --json` documented as NDJSON.
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {describe, it} from 'node:test'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {repoRoot} from '../helpers/cli.ts'
import {startTestEmulator} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')

/** The shell block of a README section. */
function snippet(section: string): string[] {
  const start = readme.indexOf(`## ${section}\n`)
  assert.ok(start >= 0, `README has a "${section}" section`)
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start))
  assert.ok(block, `the "${section}" section has a shell block`)
  return block[1]!.trim().split('\n')
}

describe('README', () => {
  const lines = snippet('The emulator')
  const exported = Object.fromEntries(
    lines
      .filter((l) => l.startsWith('export '))
      .flatMap((l) => l.slice('export '.length).split(/\s+/))
      .map((kv) => kv.split('=') as [string, string]),
  )
  const awsLine = lines.find((l) => l.startsWith('aws '))

  it('the emulator snippet passes --endpoint-url and AWS_DEFAULT_REGION (Debian AWS CLI v2 ignores AWS_ENDPOINT_URL)', () => {
    assert.ok(awsLine, 'the snippet calls the AWS CLI')
    assert.match(awsLine, /--endpoint-url http:\/\/127\.0\.0\.1:4567 /)
    assert.ok(exported.AWS_DEFAULT_REGION, 'the AWS CLI reads AWS_DEFAULT_REGION')
    assert.ok(exported.AWS_REGION, 'apigw and the SDKs read AWS_REGION')
    assert.equal(exported.AWS_ENDPOINT_URL, undefined, 'not relied on')
  })

  it('the emulator snippet runs as written with the AWS CLI v2', {skip: awsCliSkipReason()}, async () => {
    const emu = await startTestEmulator()
    try {
      const home = tempDir('apigw-readme-')
      // Only what the snippet exports, on top of an AWS CLI environment with no region nor keys of its own
      const env = {
        ...awsCliEnv(home),
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_REGION: '',
        AWS_DEFAULT_REGION: '',
        ...exported,
      }
      const args = awsLine!
        .split(/\s+/)
        .slice(1)
        .map((a) => a.replace('http://127.0.0.1:4567', emu.url))
      const out = await promisify(execFile)(AWS_CLI, [...args, '--output', 'json'], {env})
      // It exits 0 (execFile rejects otherwise) with the emulator's empty list
      const doc = JSON.parse(out.stdout || '{}') as {items?: unknown[]}
      assert.deepEqual(doc.items ?? [], [])
    } finally {
      await emu.close()
    }
  })

  it('the command reference lists deploy --prune', () => {
    const deploy = readme.slice(readme.indexOf('## `apigw deploy [API]`'))
    assert.match(deploy.slice(0, deploy.indexOf('\n## ', 5)), /--prune\s+Delete usage plans/)
  })

  it('documents logs --json as NDJSON', () => {
    assert.match(readme, /`apigw logs`,\s+`apigw local start` and `apigw dev` print NDJSON/)
    const logs = readme.slice(readme.indexOf('## `apigw logs [API]`'))
    assert.match(logs.slice(0, logs.indexOf('\n## ', 5)), /NDJSON/)
  })
})
