// The `apigw init` wizard through a real pseudo-terminal: the built CLI runs inside a tmux session,
// send-keys answers each prompt, capture-pane reads the screen. Needs `npm run build` first (npm test does it).
import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, it, type TestContext} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'
import {parse} from 'yaml'
import {binPath, cliBuilt} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const hasTmux = spawnSync('tmux', ['-V']).status === 0
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0'
// A private tmux server, so the tests never touch a user's sessions; killed in after().
const socket = `apigw-init-test-${process.pid}`
let work: string
let sessions = 0

// The tmux server inherits this environment: no CI (the CLI would refuse to prompt), no outer TMUX.
const tmuxEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'TMUX'))

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8', env: tmuxEnv})
}

function quote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`
}

/** Start `apigw <args>` in a 120×40 terminal; the shell prints EXIT:<code> when the CLI ends. */
function startCli(cwd: string, args: string[]): string {
  const name = `init${++sessions}`
  const command = `cd ${quote(cwd)} && env -u CI NO_COLOR=1 ${quote(process.execPath)} ${quote(binPath)} ${args.map(quote).join(' ')}; echo "EXIT:$?"; sleep 120`
  tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', name, command)
  return name
}

function screen(session: string): string {
  return tmux('capture-pane', '-p', '-t', session)
}

async function waitFor(session: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  let text = ''
  while (Date.now() < deadline) {
    text = screen(session)
    if (pattern.test(text)) return text
    await sleep(50)
  }
  assert.fail(`timed out waiting for ${pattern} on the screen:\n${text}`)
}

/** Answer the prompt on screen: type text (literally), then the given keys. */
function send(session: string, text: string, ...keys: string[]): void {
  if (text !== '') tmux('send-keys', '-t', session, '-l', text)
  if (keys.length > 0) tmux('send-keys', '-t', session, ...keys)
}

function skipWithoutTmux(t: TestContext): boolean {
  if (hasTmux) return false
  if (inCi) assert.fail('tmux is required in CI for the pseudo-terminal tests of `apigw init`')
  t.skip('tmux is not installed: the pseudo-terminal tests of `apigw init` need it (apt-get install tmux)')
  return true
}

before(async () => {
  assert.ok(cliBuilt(), 'dist/ is missing: run `npm run build` (npm test does it) before the CLI tests')
  work = tempDir('apigw-pty-init-')
})

after(async () => {
  if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server'], {env: tmuxEnv})
  await rm(work, {recursive: true, force: true})
})

describe('apigw init wizard in a terminal (tmux)', () => {
  it('asks each question, re-asks a bad answer, and writes the files', async (t) => {
    if (skipWithoutTmux(t)) return
    // Given an empty directory and a real terminal
    const cwd = await mkdtemp(join(work, 'wizard-'))
    const s = startCli(cwd, ['init'])
    // When the user answers every question
    await waitFor(s, /API name/)
    send(s, 'my api', 'Enter')
    // Then a bad name is refused on screen and asked again
    await waitFor(s, /not a valid API name/)
    send(s, '', ...Array<string>(6).fill('BSpace'))
    send(s, 'pets', 'Enter')
    await waitFor(s, /API type/)
    send(s, '', 'Down', 'Enter') // HTTP API
    // Then the template list offers only HTTP templates
    const templates = await waitFor(s, /Template[\s\S]*http-proxy/)
    assert.doesNotMatch(templates, /rest-mock/)
    send(s, '', 'Down', 'Enter') // http-proxy
    await waitFor(s, /Stages/)
    send(s, 'dev,staging', 'Enter')
    // Then the auth list has JWT and no API key (HTTP API)
    const auth = await waitFor(s, /Authorization[\s\S]*JWT authorizer/)
    assert.doesNotMatch(auth, /API key/)
    send(s, '', 'Down', 'Enter') // jwt
    await waitFor(s, /Backend URL/)
    send(s, 'https://pets.example.com', 'Enter')
    await waitFor(s, /JWT issuer URL/)
    send(s, 'https://issuer.example.com/pool', 'Enter')
    await waitFor(s, /JWT audience/)
    send(s, '', 'Enter') // default audience
    // Then the CLI ends with 0 and lists the files and next steps
    const end = await waitFor(s, /EXIT:\d+/)
    assert.match(end, /EXIT:0/, end)
    assert.match(end, /Created apigw\.yaml/)
    assert.match(end, /Created apis\/pets\/openapi\.yaml/)
    assert.match(end, /apigw deploy --local --stage dev/)
    // And the files hold the answers
    const config = parse(await readFile(join(cwd, 'apigw.yaml'), 'utf8'))
    assert.deepEqual(Object.keys(config.apis.pets.stages), ['dev', 'staging'])
    assert.equal(config.apis.pets.type, 'http')
    const spec = parse(await readFile(join(cwd, 'apis/pets/openapi.yaml'), 'utf8'))
    assert.equal(
      spec.components.securitySchemes.jwt['x-amazon-apigateway-authorizer'].jwtConfiguration.issuer,
      'https://issuer.example.com/pool',
    )
    assert.equal(
      spec.paths['/{proxy+}']['x-amazon-apigateway-any-method']['x-amazon-apigateway-integration'].uri,
      'https://pets.example.com/{proxy}',
    )
  })

  it('asks only what the flags left open', async (t) => {
    if (skipWithoutTmux(t)) return
    const cwd = await mkdtemp(join(work, 'partial-'))
    const s = startCli(cwd, ['init', '--name', 'shop', '--template', 'rest-mock', '--auth', 'none'])
    // When only the stages are missing, Then the stages question is the only one
    const first = await waitFor(s, /Stages/)
    assert.doesNotMatch(first, /API name|API type|Template/)
    send(s, '', 'Enter')
    const end = await waitFor(s, /EXIT:\d+/)
    assert.match(end, /EXIT:0/, end)
    assert.ok(existsSync(join(cwd, 'apis/shop/openapi.yaml')))
  })

  it('exits 130 and writes nothing on Ctrl-C', async (t) => {
    if (skipWithoutTmux(t)) return
    const cwd = await mkdtemp(join(work, 'cancel-'))
    const s = startCli(cwd, ['init'])
    await waitFor(s, /API name/)
    send(s, '', 'C-c')
    const end = await waitFor(s, /EXIT:\d+/)
    assert.match(end, /EXIT:130/, end)
    assert.equal(existsSync(join(cwd, 'apigw.yaml')), false)
  })
})
