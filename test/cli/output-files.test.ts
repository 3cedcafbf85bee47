// Issue 19.1/19.3 as a user meets them with the built CLI against the emulator: an output path that is a
// symbolic link is refused and its target untouched; `keys create --output-file` to a path that cannot be
// written fails before any key exists; `export sdk --output` onto a file is a clear error (exit 3, not 70).
import assert from 'node:assert/strict'
import {readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {GetApiKeysCommand} from '@aws-sdk/client-api-gateway'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {type KeysWorld, keysWorld} from '../wire/keys-setup.ts'

const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  APIGW_CONTROL_PLANE_RATES: 'off',
}

describe('files apigw writes (issue 19.3)', {skip: cliBuilt() ? false : 'needs a build'}, () => {
  let w: KeysWorld
  const apigw = (args: string[]) => runCli([...args, '--endpoint-url', w.t.url, '--json'], {cwd: w.dir, env: AWS_ENV, timeoutMs: 60_000})
  const error = (stdout: string) => (JSON.parse(stdout) as {error: {code: string; message: string}}).error
  before(async () => {
    w = await keysWorld()
  })
  after(async () => {
    await w.close()
  })

  for (const args of [
    ['export', 'spec', 'pets', '--stage', 'dev', '--output'],
    ['keys', 'export', '--output-file'],
    ['keys', 'create', 'via-link', '--plan', 'basic', '--output-file'],
  ]) {
    it(`${args.slice(0, 2).join(' ')} refuses a symbolic link as its output, and writes nothing through it`, async () => {
      // Given out → a file outside the project
      const victim = join(w.dir, `victim-${args[1]}.txt`)
      writeFileSync(victim, 'precious')
      const link = join(w.dir, `out-${args[1]}.json`)
      symlinkSync(victim, link)
      // When the command writes there
      const run = await apigw([...args, link])
      // Then it fails with FILE_SYMLINK (exit 3) and the target is unchanged
      assert.equal(run.code, 3, run.stdout + run.stderr)
      assert.equal(error(run.stdout).code, 'FILE_SYMLINK')
      assert.equal(readFileSync(victim, 'utf8'), 'precious')
    })
  }

  it('keys create --output-file in a missing directory fails before creating the key', async () => {
    const before = (await w.t.v1.send(new GetApiKeysCommand({}))).items?.length ?? 0
    const run = await apigw(['keys', 'create', 'partner', '--plan', 'basic', '--output-file', join(w.dir, 'no-such-dir', 'partner.key')])
    assert.equal(run.code, 3, run.stdout)
    assert.equal(error(run.stdout).code, 'FILE_UNWRITABLE')
    assert.equal((await w.t.v1.send(new GetApiKeysCommand({}))).items?.length ?? 0, before, 'a key was created')
  })

  it('export sdk --output onto an existing file is SDK_OUTPUT_CLASH (exit 3)', async () => {
    const file = join(w.dir, 'sdk-here')
    writeFileSync(file, 'mine')
    const run = await apigw(['export', 'sdk', 'pets', '--stage', 'dev', '--language', 'javascript', '--output', file])
    assert.equal(run.code, 3, run.stdout + run.stderr)
    assert.equal(error(run.stdout).code, 'SDK_OUTPUT_CLASH')
    assert.equal(readFileSync(file, 'utf8'), 'mine')
  })
})
