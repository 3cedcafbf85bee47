/**
 * `apigw ws` authorizing its handshake, through the BUILT CLI on a scaffolded chat: `--token` goes where the $connect
 * authorizer's identity source reads it (here ?token=), and with `authorizationType: AWS_IAM` on $connect the
 * handshake is SigV4-signed (the emulator verifies it as AWS does; --no-sign is refused with 403).
 */
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, test} from 'node:test'
import {parse, stringify} from 'yaml'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const built = cliBuilt()

type Event = {type: string; data?: string; code?: number}

async function session(dir: string, args: string[]) {
  const run = await runCli(['ws', '--stage', 'dev', '--local', '--json', ...args], {
    cwd: dir,
    input: `${JSON.stringify({action: 'nothing', n: 1})}\n`,
    timeoutMs: 120_000,
  })
  assert.equal(run.timedOut, false)
  const lines = run.stdout.trim().split('\n')
  const events = lines.filter((l) => l.startsWith('{"type"')).map((l) => JSON.parse(l) as Event)
  return {code: run.code, events, stdout: run.stdout, stderr: run.stderr}
}

describe('apigw ws --token and SigV4', {skip: built ? false : 'the CLI is not built (run `npm run build`)'}, () => {
  test('a token where the authorizer reads it; an AWS_IAM $connect signed, and refused unsigned', async () => {
    // Given the chat scaffold with its Lambda authorizer (it allows ?token=<CHAT_TOKEN>), deployed locally
    const dir = tempDir()
    const init = await runCli(['init', '--name', 'chat', '--type', 'websocket', '--auth', 'lambda', '--stages', 'dev', '--yes'], {
      cwd: dir,
      timeoutMs: 120_000,
    })
    assert.equal(init.code, 0, init.stderr)
    const file = join(dir, 'apigw.yaml')
    const config = parse(readFileSync(file, 'utf8'))
    config.functions['chat-authorizer'].environment.CHAT_TOKEN = 's3cret-token'
    writeFileSync(file, stringify(config))
    assert.equal((await runCli(['deploy', '--stage', 'dev', '--local'], {cwd: dir, timeoutMs: 120_000})).code, 0)

    // When ws sends the token: connected, and the token appears nowhere in the output
    const good = await session(dir, ['--token', 's3cret-token'])
    assert.equal(good.code, 0, good.stdout + good.stderr)
    assert.deepEqual(good.events.map((e) => e.type).slice(0, 2), ['open', 'sent'])
    assert.doesNotMatch(good.stdout + good.stderr, /s3cret-token/)
    // A wrong token: the authorizer denies (403); none: the identity source is missing (401)
    const wrong = await session(dir, ['--token', 'nope'])
    assert.equal(wrong.code, 4, wrong.stdout)
    assert.match(wrong.stdout, /"code": "WS_REFUSED"[\s\S]*HTTP 403/)
    const none = await session(dir, [])
    assert.match(none.stdout, /"code": "WS_REFUSED"[\s\S]*HTTP 401/)

    // Given $connect with AWS_IAM instead of the authorizer
    delete config.apis.chat.routes.$connect.authorizer
    config.apis.chat.routes.$connect.authorizationType = 'AWS_IAM'
    writeFileSync(file, stringify(config))
    const redeploy = await runCli(['deploy', '--stage', 'dev', '--local'], {cwd: dir, timeoutMs: 120_000})
    assert.equal(redeploy.code, 0, redeploy.stderr)
    // Then ws signs the handshake by itself (the emulator's test/test pair), and an unsigned one is refused
    const signed = await session(dir, [])
    assert.equal(signed.code, 0, signed.stdout + signed.stderr)
    assert.equal(signed.events[0]?.type, 'open')
    const unsigned = await session(dir, ['--no-sign'])
    assert.match(unsigned.stdout, /"code": "WS_REFUSED"[\s\S]*HTTP 403/)
    const wrongKey = await runCli(['ws', '--stage', 'dev', '--local', '--json'], {
      cwd: dir,
      input: '',
      env: {AWS_ACCESS_KEY_ID: 'AKIDUNKNOWN', AWS_SECRET_ACCESS_KEY: 'x'},
      timeoutMs: 120_000,
    })
    assert.match(wrongKey.stdout, /"code": "WS_REFUSED"[\s\S]*HTTP 403/)
  })
})
