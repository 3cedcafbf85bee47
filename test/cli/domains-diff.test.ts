/**
 * `apigw diff` of apigw.yaml's custom domain names with the built CLI: between two apigw.yaml files and between
 * git revisions, for REST, HTTP and WebSocket APIs; a removed mapping fails the gate (exit 1) and every format
 * (json, markdown, junit) carries the check ids; `diff.levels` in apigw.yaml changes the level.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555'
const SPEC = (title: string) => `openapi: 3.0.1
info: {title: ${title}, version: '1'}
paths:
  /items:
    get:
      responses: {'200': {description: ok}}
      x-amazon-apigateway-integration: {type: http_proxy, httpMethod: GET, uri: 'http://127.0.0.1:9/items', payloadFormatVersion: '1.0'}
`

const CONFIG = (mappings: string, ws: string, extra = '') => `apis:
  pets: {spec: pets.yaml, stages: {prod: {}}}
  orders: {type: http, spec: orders.yaml, stages: {prod: {}}}
  chat:
    type: websocket
    routeSelectionExpression: $request.body.action
    routes:
      $connect: {integration: {type: MOCK, requestTemplates: {$default: '{"statusCode": 200}'}}}
    stages: {prod: {}}
domains:
  api.example.com:
    certificateArn: ${CERT}
    mappings:
${mappings}
  ws.example.com:
    certificateArn: ${CERT}
    mappings:
${ws}
${extra}`

const V1 = CONFIG(
  '      - {api: pets, stage: prod, basePath: v1}\n      - {api: orders, stage: prod, basePath: shop}',
  '      - {api: chat, stage: prod, basePath: chat}',
)
// The orders mapping removed, the chat mapping moved to another base path, pets given a second base path.
const V2 = CONFIG(
  '      - {api: pets, stage: prod, basePath: v1}\n      - {api: pets, stage: prod, basePath: v2}',
  '      - {api: chat, stage: prod, basePath: live}',
)

type Envelope = {status: number; result?: unknown}
type Outcome = {api: string; status: number; result?: {findings: Array<{id: string; level: string; operation: string}>}}

describe('apigw diff of custom domain names', {skip: !cliBuilt() && 'run `npm run build`'}, () => {
  let dir: string
  before(() => {
    dir = tempDir('apigw-domains-diff-')
    writeFileSync(join(dir, 'pets.yaml'), SPEC('pets'))
    writeFileSync(join(dir, 'orders.yaml'), SPEC('orders'))
    writeFileSync(join(dir, 'apigw.v1.yaml'), V1)
    writeFileSync(join(dir, 'apigw.yaml'), V1)
    const git = (...args: string[]) => execFileSync('git', args, {cwd: dir, stdio: 'ignore'})
    git('init', '-q')
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '-A')
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'v1')
    writeFileSync(join(dir, 'apigw.yaml'), V2)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  const apigw = (...args: string[]) => runCli(args, {cwd: dir, timeoutMs: 120_000})
  const ids = (o: Outcome) => (o.result?.findings ?? []).map((f) => `${f.level} ${f.id} ${f.operation}`)

  it('between two apigw.yaml files, every API is diffed: a removed or moved mapping fails, an added one is info', async () => {
    // When the two files are compared with no API named
    const r = await apigw('diff', '--base', 'apigw.v1.yaml', '--revision', 'apigw.yaml', '--json')
    // Then the gate fails (exit 1) for the APIs that lost a mapping
    assert.equal(r.code, 1, r.stderr)
    const outcomes = (JSON.parse(r.stdout) as Envelope).result as Outcome[]
    assert.deepEqual(
      outcomes.map((o) => [o.api, o.status, ids(o)]),
      [
        ['chat', 1, ['error domain-mapping-removed ws.example.com /chat', 'info domain-mapping-added ws.example.com /live']],
        ['orders', 1, ['error domain-mapping-removed api.example.com /shop']],
        ['pets', 0, ['info domain-mapping-added api.example.com /v2']],
      ],
    )
  })

  it('against a git revision, in markdown and junit, with the ids and file:line', async () => {
    const md = await apigw('diff', 'orders', '--base', 'git:HEAD', '--format', 'markdown')
    assert.equal(md.code, 1, md.stderr)
    assert.match(md.stdout, /\| `api\.example\.com \/shop` \| The mapping api\.example\.com\/shop → orders prod was removed/)
    assert.match(md.stdout, /`domain-mapping-removed` \| git:HEAD:apigw\.yaml:\d+:\d+/)
    const junit = await apigw('diff', 'chat', '--base', 'git:HEAD', '--format', 'junit')
    assert.equal(junit.code, 1, junit.stderr)
    assert.match(junit.stdout, /domain-mapping-removed/)
    assert.match(junit.stdout, /<failure/)
    // The REST API's own spec did not change: only the domain finding, and the gate passes
    const pets = await apigw('diff', 'pets', '--base', 'git:HEAD', '--json')
    assert.equal(pets.code, 0, pets.stderr)
    assert.deepEqual(ids({api: 'pets', status: 0, result: (JSON.parse(pets.stdout) as {result: Outcome['result']}).result}), [
      'info domain-mapping-added api.example.com /v2',
    ])
  })

  it("diff.levels of apigw.yaml sets a domain check's level", async () => {
    writeFileSync(join(dir, 'apigw.yaml'), `${V2}diff:\n  levels: {domain-mapping-removed: warning}\n`)
    try {
      const r = await apigw('diff', 'orders', '--base', 'git:HEAD', '--json')
      assert.equal(r.code, 0, r.stderr)
      const result = (JSON.parse(r.stdout) as {result: Outcome['result']}).result
      assert.deepEqual(ids({api: 'orders', status: 0, result}), ['warning domain-mapping-removed api.example.com /shop'])
      const strict = await apigw('diff', 'orders', '--base', 'git:HEAD', '--fail-on', 'warning')
      assert.equal(strict.code, 1)
      assert.match(strict.stdout, /\[domain-mapping-removed\]/)
    } finally {
      writeFileSync(join(dir, 'apigw.yaml'), V2)
    }
  })

  it('a spec file as the base has no domains to compare: only the spec is diffed', async () => {
    const r = await apigw('diff', 'pets', '--base', 'pets.yaml', '--json')
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual((JSON.parse(r.stdout) as {result: {findings: unknown[]}}).result.findings, [])
  })
})
