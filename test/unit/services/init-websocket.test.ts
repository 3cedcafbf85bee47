import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {parseConfig} from '../../../src/core/config/config.ts'
import type {WebSocketApiConfig} from '../../../src/core/config/websocket.ts'
import {CliError} from '../../../src/errors.ts'
import type {InitDeps} from '../../../src/services/init/init.ts'
import {initWebSocket as initProject} from '../../../src/services/init/websocket.ts'
import {validateWebSocket} from '../../../src/services/validate/validate.ts'
import {tempDir} from '../../helpers/temp.ts'

function deps(cwd: string): InitDeps {
  return {
    cwd,
    requireInteractive: (missing) => {
      throw new CliError('NON_INTERACTIVE', `Missing ${missing.join(', ')}.`)
    },
    prompter: () => {
      throw new Error('no prompter')
    },
  }
}

describe('init --type websocket', () => {
  it('scaffolds a chat API whose apigw.yaml validates, with its Node handler', async () => {
    // Given an empty directory  When init writes a websocket chat
    const dir = tempDir()
    const result = await initProject({dir: 'chat', name: 'chat', type: 'websocket', stages: 'dev,prod', yes: true}, deps(dir))
    // Then apigw.yaml declares the four routes on one local function, and validate finds nothing
    assert.deepEqual(
      result.files.map((f) => f.path),
      ['apigw.yaml', 'src/chat.mjs', '.gitignore'],
    )
    assert.equal(result.api.type, 'websocket')
    const path = join(dir, 'chat', 'apigw.yaml')
    const project = await parseConfig(path, await readFile(path))
    const api = project.config.apis.chat as WebSocketApiConfig
    assert.deepEqual(Object.keys(api.routes).sort(), ['$connect', '$default', '$disconnect', 'sendmessage'])
    assert.deepEqual(Object.keys(api.stages), ['dev', 'prod'])
    assert.equal(project.config.functions?.chat?.handler, 'src/chat.handler')
    const checked = validateWebSocket(project, 'chat', api, dir)
    assert.deepEqual(checked.findings, [])
    const handler = await import(join(dir, 'chat', 'src', 'chat.mjs'))
    const connect = await handler.handler({requestContext: {routeKey: '$connect', connectionId: 'c1'}})
    assert.equal(connect.statusCode, 200)
    assert.match((await handler.handler({requestContext: {routeKey: '$default', connectionId: 'c1'}, body: 'x'})).body, /Unknown action/)
  })

  it('adds a Lambda REQUEST authorizer on $connect with --auth lambda', async () => {
    const dir = tempDir()
    await initProject({name: 'chat', type: 'websocket', stages: 'dev', auth: 'lambda', yes: true}, deps(dir))
    const path = join(dir, 'apigw.yaml')
    const project = await parseConfig(path, await readFile(path))
    const api = project.config.apis.chat as WebSocketApiConfig
    assert.equal(api.routes.$connect!.authorizer, 'token')
    assert.deepEqual(api.authorizers?.token?.identitySource, ['route.request.querystring.token'])
    const auth = await import(join(dir, 'src', 'authorizer.mjs'))
    process.env.CHAT_TOKEN = 'yes'
    const allow = await auth.handler({queryStringParameters: {token: 'yes'}, methodArn: 'arn'})
    const deny = await auth.handler({queryStringParameters: {token: 'no'}, methodArn: 'arn'})
    assert.equal(allow.policyDocument.Statement[0].Effect, 'Allow')
    assert.equal(deny.policyDocument.Statement[0].Effect, 'Deny')
  })

  const refused: Array<[string, Record<string, string>, RegExp]> = [
    ['--auth jwt', {auth: 'jwt'}, /Lambda REQUEST authorizer only/],
    ['--backend', {backend: 'https://x.example.com'}, /--backend does not apply/],
    ['another template', {template: 'http-proxy'}, /does not make a WebSocket API/],
  ]
  for (const [name, extra, message] of refused) {
    it(`refuses ${name} with a usage error and writes nothing`, async () => {
      const dir = tempDir()
      await assert.rejects(initProject({name: 'chat', type: 'websocket', stages: 'dev', yes: true, ...extra}, deps(dir)), (e: unknown) => {
        assert.ok(e instanceof CliError)
        assert.equal(e.code, 'USAGE')
        assert.match(e.message, message)
        return true
      })
    })
  }

  it('asks for the flags it lacks when it cannot prompt', async () => {
    await assert.rejects(initProject({type: 'websocket'}, deps(tempDir())), /Missing --name <name>, --stages dev,prod/)
  })
})
