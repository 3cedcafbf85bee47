/**
 * `apigw keys` at a real terminal (tmux): the one-time display of a value with its warning, the wizard that
 * asks which key to rotate, and the confirmation of revoke. The built CLI runs with --local, attached to an
 * emulator this test serves on the project's state directory.
 */
import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  GetApiKeysCommand,
  ImportRestApiCommand,
} from '@aws-sdk/client-api-gateway'
import {type Emulator, startEmulator} from '../../src/local/server.ts'
import {binPath, cliBuilt} from '../helpers/cli.ts'
import {TEST_CREDENTIALS} from '../helpers/emulator.ts'
import {CONFIG, SPEC} from './keys-setup.ts'
import {tempDir} from '../helpers/temp.ts'

const hasTmux = spawnSync('tmux', ['-V']).status === 0
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0'
const socket = `apigw-keys-test-${process.pid}`
const tmuxEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'TMUX'))

function skipReason(): string | false {
  if (!cliBuilt()) return 'the CLI is not built (run `npm run build`)'
  if (hasTmux) return false
  if (inCi) throw new Error('tmux is required in CI for the terminal tests of `apigw keys`')
  return 'tmux is not installed (apt-get install tmux)'
}

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8', env: tmuxEnv})
const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`
let sessions = 0

describe('apigw keys at a terminal (tmux)', {skip: skipReason()}, () => {
  let dir: string
  let emulator: Emulator
  let v1: APIGatewayClient

  const start = (args: string[]) => {
    const name = `keys${++sessions}`
    const command = `cd ${quote(dir)} && env -u CI NO_COLOR=1 ${quote(process.execPath)} ${quote(binPath)} keys ${args.map(quote).join(' ')} --local; echo "EXIT:$?"; sleep 120`
    tmux('new-session', '-d', '-x', '200', '-y', '40', '-s', name, command)
    return name
  }
  const waitFor = async (s: string, pattern: RegExp, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs
    let text = ''
    while (Date.now() < deadline) {
      text = tmux('capture-pane', '-p', '-J', '-t', s)
      if (pattern.test(text)) return text
      await sleep(50)
    }
    assert.fail(`timed out waiting for ${pattern} on the screen:\n${text}`)
  }

  before(async () => {
    dir = tempDir('apigw-keys-pty-')
    writeFileSync(join(dir, 'apigw.yaml'), CONFIG)
    writeFileSync(join(dir, 'openapi.yaml'), SPEC)
    emulator = await startEmulator({port: 0, dataDir: join(dir, '.apigw', 'local'), advertise: true})
    v1 = new APIGatewayClient({endpoint: emulator.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    const api = await v1.send(new ImportRestApiCommand({body: new TextEncoder().encode(SPEC), failOnWarnings: false}))
    await v1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'dev'}))
    await v1.send(
      new CreateUsagePlanCommand({
        name: 'pets-basic',
        apiStages: [{apiId: api.id!, stage: 'dev'}],
        tags: {'apigw:api': 'pets', 'apigw:usage-plan': 'basic'},
      }),
    )
  })
  after(async () => {
    spawnSync('tmux', ['-L', socket, 'kill-server'], {env: tmuxEnv})
    v1?.destroy()
    await emulator?.close()
    rmSync(dir, {recursive: true, force: true})
  })

  const storedValue = async (prefix: string) =>
    (await v1.send(new GetApiKeysCommand({includeValues: true, nameQuery: prefix}))).items?.[0]?.value ?? ''

  it('shows a new value once, with the warning to store it', async () => {
    const s = start(['create', 'term', '--plan', 'basic'])
    const end = await waitFor(s, /EXIT:\d+/)
    assert.match(end, /EXIT:0/, end)
    const value = await storedValue('term/g1')
    assert.ok(value.length >= 20)
    assert.ok(end.includes(`Value: ${value}`), end)
    assert.match(end, /Store this value in your secret manager now/)
  })

  it('asks which key to rotate when NAME is left out', async () => {
    const s = start(['rotate'])
    await waitFor(s, /Which key\?[\s\S]*term/)
    tmux('send-keys', '-t', s, 'Enter')
    const end = await waitFor(s, /EXIT:\d+/)
    assert.match(end, /EXIT:0/, end)
    assert.match(end, /Rotated term: term\/g2/)
    assert.ok(end.includes(await storedValue('term/g2')))
  })

  it('asks before revoking: "no" exits 130 and changes nothing, "yes" revokes', async () => {
    const no = start(['revoke', 'term'])
    await waitFor(no, /Revoke term: disable 2 generations/)
    tmux('send-keys', '-t', no, 'n', 'Enter')
    assert.match(await waitFor(no, /EXIT:\d+/), /EXIT:130/)
    const keys = async () => ((await v1.send(new GetApiKeysCommand({nameQuery: 'term/'}))).items ?? []).map((k) => k.enabled)
    assert.deepEqual(await keys(), [true, true])
    const yes = start(['revoke', 'term'])
    await waitFor(yes, /Revoke term/)
    tmux('send-keys', '-t', yes, 'y', 'Enter')
    const end = await waitFor(yes, /EXIT:\d+/)
    assert.match(end, /EXIT:0/, end)
    assert.deepEqual(await keys(), [false, false])
  })
})
