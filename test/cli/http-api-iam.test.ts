/**
 * IAM authorization of an HTTP API as a user meets it, through the built CLI in a fresh project:
 * `apigw init --type http --auth iam`, `apigw local start`, `deploy --local`, then `apigw invoke --sign` with the
 * default `test`/`test` credentials (200), unsigned (403 Forbidden) and a wrong secret (403).
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {binPath, readyEvent, runCli} from '../helpers/cli.ts'

const readyEndpoint = async (child: ReturnType<typeof spawn>): Promise<string> => (await readyEvent(child)).endpoint

describe('HTTP API AWS_IAM routes (built CLI)', () => {
  let cwd: string
  let server: ReturnType<typeof spawn>

  before(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'apigw-http-iam-'))
    const init = await runCli(['init', '--name', 'shop', '--type', 'http', '--stages', 'dev', '--auth', 'iam', '--yes'], {cwd})
    assert.equal(init.code, 0, init.stderr)
    server = spawn(process.execPath, [binPath, 'local', 'start', '--port', '0', '--json'], {cwd, env: {...process.env, NO_COLOR: '1'}})
    await readyEndpoint(server)
    const deploy = await runCli(['deploy', '--stage', 'dev', '--local', '--json'], {cwd, timeoutMs: 90_000})
    assert.equal(deploy.code, 0, deploy.stderr)
  })
  after(async () => {
    server.kill('SIGTERM')
    await new Promise((r) => server.on('exit', r))
    rmSync(cwd, {recursive: true, force: true})
  })

  it('invoke --sign passes with the known credentials; unsigned and a wrong secret get 403', async () => {
    const call = (args: string[], secret?: string) =>
      runCli(['invoke', '--stage', 'dev', 'GET', '/items', '--local', ...args], {
        cwd,
        env: secret === undefined ? {} : {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: secret},
      })
    const signed = await call(['--sign', '--json'], 'test')
    assert.equal(signed.code, 0, signed.stderr)
    assert.equal((JSON.parse(signed.stdout) as {result: {status: number}}).result.status, 200)
    const unsigned = await call(['--json'])
    const refused = (JSON.parse(unsigned.stdout) as {result: {status: number; body: string}}).result
    assert.equal(refused.status, 403)
    assert.deepEqual(JSON.parse(refused.body), {message: 'Forbidden'})
    const wrong = (JSON.parse((await call(['--sign', '--json'], 'wrong')).stdout) as {result: {status: number; body: string}}).result
    assert.equal(wrong.status, 403)
    assert.match((JSON.parse(wrong.body) as {message: string}).message, /^The request signature we calculated does not match/)
  })
})
