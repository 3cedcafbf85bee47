/**
 * `apigw init --type http` runs end to end locally: the scaffold's Node handler (payload 2.0) serves every
 * route once the API is deployed to the emulator, which runs apigw.yaml's `functions:` from the project.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {parse} from 'yaml'
import type {FunctionDefinition} from '../../src/local/data-plane/functions/index.ts'
import {initProject} from '../../src/services/init/init.ts'
import {invoke} from '../../src/services/invoke/invoke.ts'
import {deploy} from '../../src/services/lifecycle/deploy.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {noPrompts} from '../helpers/init.ts'
import {tempDir} from '../helpers/temp.ts'
import {emulatorDeps} from './lifecycle-project.ts'

describe('init --type http: the scaffold runs locally', () => {
  let emu: TestEmulator
  let base: string
  let dir: string
  before(async () => {
    // Given a scaffolded HTTP API with its Lambda handler
    dir = tempDir('apigw-init-http-')
    await initProject({dir: '.', name: 'shop', type: 'http', stages: 'dev', auth: 'none', yes: true}, noPrompts(dir))
    const config = parse(readFileSync(join(dir, 'apigw.yaml'), 'utf8')) as {functions: Record<string, FunctionDefinition>}
    // When the emulator runs the project's functions and the API is deployed to it
    emu = await startTestEmulator({emulator: {functions: config.functions, functionsDir: dir}})
    const deps = emulatorDeps(emu, dir)
    const result = await deploy({cwd: dir, stage: 'dev'}, deps)
    deps.aws.destroy()
    base = `${emu.url}/_aws/execute-api/${result.apiId}/dev`
  })
  after(() => emu.close())

  it('answers every route through the handler (payload 2.0): create, list, get, 404, delete', async () => {
    const created = await fetch(`${base}/items`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"name":"apple"}'})
    assert.equal(created.status, 201)
    assert.equal(created.headers.get('location'), '/items/1')
    assert.deepEqual(await created.json(), {id: '1', name: 'apple', createdBy: 'anonymous'})
    const list = await fetch(`${base}/items`)
    assert.equal(list.status, 200)
    assert.equal(list.headers.get('content-type'), 'application/json')
    assert.deepEqual(await list.json(), [{id: '1', name: 'apple', createdBy: 'anonymous'}])
    assert.deepEqual(await (await fetch(`${base}/items/1`)).json(), {id: '1', name: 'apple', createdBy: 'anonymous'})
    assert.equal((await fetch(`${base}/items/9`)).status, 404)
    assert.equal((await fetch(`${base}/items`, {method: 'POST', body: '{}'})).status, 400)
    assert.equal((await fetch(`${base}/items/1`, {method: 'DELETE'})).status, 204)
    assert.deepEqual(await (await fetch(`${base}/items`)).json(), [])
    assert.deepEqual(await (await fetch(`${base}/nothing`)).json(), {message: 'Not Found'})
  })

  it('apigw invoke calls the HTTP API stage (and refuses --test, which is REST only)', async () => {
    const deps = emulatorDeps(emu, dir)
    try {
      const post = await invoke(
        {cwd: dir, stage: 'dev', method: 'post', path: '/items', data: '{"name":"pear"}', headers: ['content-type: application/json']},
        deps,
      )
      assert.equal(post.status, 201)
      assert.equal(post.url, `${base}/items`)
      const created = JSON.parse(post.body) as {id: string; name: string}
      assert.equal(created.name, 'pear')
      const got = await invoke({cwd: dir, stage: 'dev', method: 'GET', path: `/items/${created.id}`}, deps)
      assert.equal(got.status, 200)
      assert.deepEqual(JSON.parse(got.body), created)
      await assert.rejects(
        invoke({cwd: dir, stage: 'dev', method: 'GET', path: '/items', test: true}, deps),
        (e: Error & {code?: string}) => {
          assert.equal(e.code, 'USAGE')
          assert.match(e.message, /TestInvokeMethod, which API Gateway has for REST APIs only/)
          return true
        },
      )
      // A token captured with a second line is refused, and never echoed
      const secret = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbm4ifQ.c2lnbmF0dXJl'
      await assert.rejects(
        invoke({cwd: dir, stage: 'dev', method: 'GET', path: '/items', token: `${secret}\ntoken for the issuer shop`}, deps),
        (e: Error & {code?: string; hint?: string}) => {
          assert.equal(e.code, 'USAGE')
          assert.match(e.message, /--token holds more than one line/)
          assert.ok(!`${e.message}${e.hint}`.includes(secret))
          return true
        },
      )
    } finally {
      deps.aws.destroy()
    }
  })
})

describe('init --type http --auth jwt: the scaffold trusts a local issuer whose tokens `apigw local token` mints', () => {
  let emu: TestEmulator
  let base: string
  let issuer: string
  before(async () => {
    // Given the emulator, running the function the scaffold will name (its local issuer lives on its own port)
    const dir = tempDir('apigw-init-jwt-')
    const functions = {shop: {handler: 'src/handler.handler'}}
    emu = await startTestEmulator({emulator: {functions, functionsDir: dir}})
    issuer = `${emu.url}/_aws/identity/issuers/shop`
    // And a scaffold whose JWT authorizer trusts that issuer
    await initProject(
      {dir: '.', name: 'shop', type: 'http', stages: 'dev', auth: 'jwt', jwtIssuer: issuer, jwtAudience: 'shop', yes: true},
      noPrompts(dir),
    )
    assert.deepEqual((parse(readFileSync(join(dir, 'apigw.yaml'), 'utf8')) as {functions: unknown}).functions, functions)
    const deps = emulatorDeps(emu, dir)
    const result = await deploy({cwd: dir, stage: 'dev'}, deps)
    deps.aws.destroy()
    base = `${emu.url}/_aws/execute-api/${result.apiId}/dev`
  })
  after(() => emu.close())

  const mint = async (claims: Record<string, unknown>) => {
    const res = await fetch(`${issuer}/tokens`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({claims}),
    })
    return ((await res.json()) as {token: string}).token
  }

  it('refuses a request without a token or with the wrong audience (401), and serves one with a minted token', async () => {
    assert.equal((await fetch(`${base}/items`)).status, 401)
    const wrong = await mint({aud: 'other', sub: 'ann'})
    assert.equal((await fetch(`${base}/items`, {headers: {authorization: `Bearer ${wrong}`}})).status, 401)
    const token = await mint({aud: 'shop', sub: 'ann'})
    const created = await fetch(`${base}/items`, {
      method: 'POST',
      headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
      body: '{"name":"pear"}',
    })
    assert.equal(created.status, 201)
    assert.deepEqual(await created.json(), {id: '1', name: 'pear', createdBy: 'ann'})
  })
})
