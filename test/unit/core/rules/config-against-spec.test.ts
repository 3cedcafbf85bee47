import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {validate} from '../../../../src/services/validate/validate.ts'

const dirs: string[] = []
after(() => {
  for (const d of dirs) rmSync(d, {recursive: true, force: true})
})

/** A project with one REST API whose spec is `spec` and whose apigw.yaml entry ends with `api`. */
async function findings(spec: string, api: string) {
  const dir = mkdtempSync(join(tmpdir(), 'apigw-rules-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'openapi.yaml'), spec)
  writeFileSync(join(dir, 'apigw.yaml'), `apis:\n  pets:\n    spec: openapi.yaml\n${api}`)
  const result = await validate({cwd: dir})
  return result.findings
}

const spec = (integration: string, extraPaths = '') => `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
${integration}
${extraPaths}`

const httpIntegration = '        {type: http_proxy, httpMethod: GET, uri: "http://${stageVariables.backendHost}/pets"}'

describe('stage-variable-undefined: each stage that deploys the spec', () => {
  it('names the stage that lacks the variable, the stage that has it, and the typo (issue 14.4)', async () => {
    // Given dev defines backendHost and prod misspells it backendHst
    const found = await findings(
      spec(httpIntegration),
      '    stages:\n      dev: {variables: {backendHost: a.example}}\n      prod: {variables: {backendHst: b.example}}\n',
    )
    // Then one warning names prod, dev and the misspelt name
    const f = found.filter((x) => x.id === 'stage-variable-undefined')
    assert.equal(f.length, 1, JSON.stringify(found))
    assert.equal(f[0]!.level, 'warning')
    assert.match(f[0]!.message, /stage prod does not define "backendHost" \(dev does\); did you mean "backendHst" in prod\?/)
    assert.match(f[0]!.hint!, /stages\.prod\.variables/)
    assert.equal(f[0]!.location.line, 8)
  })

  it('says nothing when every stage defines it', async () => {
    const found = await findings(
      spec(httpIntegration),
      '    stages:\n      dev: {variables: {backendHost: a}}\n      prod: {variables: {backendHost: b}}\n',
    )
    assert.deepEqual(
      found.filter((x) => x.id === 'stage-variable-undefined'),
      [],
    )
  })

  it('offers the closest name when no stage defines it', async () => {
    const found = await findings(spec(httpIntegration), '    stages:\n      dev: {variables: {backendHots: a}}\n')
    assert.match(
      found.find((x) => x.id === 'stage-variable-undefined')!.message,
      /no stage in apigw\.yaml defines the variable "backendHost" \(did you mean "backendHots"\?\)/,
    )
  })
})

describe('request-parameter-not-string', () => {
  const cases: Array<{name: string; params: string; bad: string[]}> = [
    {name: 'a number', params: '{integration.request.header.x-n: 5}', bad: ['integration.request.header.x-n']},
    {
      name: 'a boolean and a list',
      params: '{integration.request.header.a: true, integration.request.header.b: [method.request.path.id]}',
      bad: ['integration.request.header.a', 'integration.request.header.b'],
    },
    {
      name: 'strings only',
      params: '{integration.request.header.a: method.request.header.a, integration.request.header.b: "\'static\'"}',
      bad: [],
    },
  ]
  for (const c of cases) {
    it(`${c.bad.length > 0 ? 'refuses' : 'accepts'} ${c.name}`, async () => {
      const found = await findings(
        spec(`        {type: http, httpMethod: GET, uri: "http://example.com", requestParameters: ${c.params}}`),
        '    stages: {dev: {}}\n',
      )
      const f = found.filter((x) => x.id === 'request-parameter-not-string')
      assert.deepEqual(
        f.map((x) => x.location.pointer.split('/').at(-1)),
        c.bad,
      )
      for (const x of f) assert.equal(x.level, 'warning')
    })
  }
})

describe('usage-plan-method-unknown', () => {
  const plan = (methods: string) =>
    `    stages: {dev: {}}\n    usagePlans:\n      basic:\n        stages: [dev]\n        methods:\n${methods}`
  const integration = '        {type: mock}'
  it('refuses a method throttle naming an operation the spec lacks, with its apigw.yaml line', async () => {
    const found = await findings(
      spec(integration),
      plan('          "GET /pets": {rateLimit: 1}\n          "POST /pets": {rateLimit: 1}\n          "GET /pest": {rateLimit: 1}\n'),
    )
    const f = found.filter((x) => x.id === 'usage-plan-method-unknown')
    assert.deepEqual(
      f.map((x) => x.location.line),
      [10, 11],
    )
    assert.equal(f[0]!.location.file, 'apigw.yaml')
    assert.match(f[0]!.message, /Usage plan "basic" throttles POST \/pets, but the spec has no POST on \/pets \(it has GET\)/)
    assert.match(f[1]!.message, /no path \/pest \(did you mean \/pets\?\)/)
  })

  it('accepts an existing method, an ANY method and a * method', async () => {
    const any =
      '  /any:\n    x-amazon-apigateway-any-method:\n      responses: {"200": {description: ok}}\n      x-amazon-apigateway-integration: {type: mock}\n'
    const found = await findings(
      spec(integration, any),
      plan('          "GET /pets": {rateLimit: 1}\n          "DELETE /any": {rateLimit: 1}\n          "* /pets": {rateLimit: 1}\n'),
    )
    assert.deepEqual(
      found.filter((x) => x.id === 'usage-plan-method-unknown'),
      [],
    )
  })
})

describe('stage-setting-rest-only: settings HTTP stages do not have', () => {
  it('names each REST-only setting of an HTTP API stage, at its place in apigw.yaml, with a hint', async () => {
    // Given an HTTP API whose dev stage sets caching and tracing, and prod only throttling
    const dir = mkdtempSync(join(tmpdir(), 'apigw-rules-'))
    dirs.push(dir)
    writeFileSync(
      join(dir, 'openapi.yaml'),
      spec('        {type: http_proxy, httpMethod: GET, uri: "https://example.com/pets", payloadFormatVersion: "1.0"}'),
    )
    writeFileSync(
      join(dir, 'apigw.yaml'),
      'apis:\n  web:\n    type: http\n    spec: openapi.yaml\n    stages:\n      dev:\n        caching: {enabled: true}\n        tracing: true\n' +
        '      prod:\n        throttling: {rateLimit: 5, burstLimit: 10}\n',
    )
    // When validated
    const found = (await validate({cwd: dir})).findings.filter((f) => f.id === 'stage-setting-rest-only')
    // Then two errors name dev's settings and where they are
    assert.deepEqual(
      found.map((f) => [f.level, f.location.pointer, f.location.line]),
      [
        ['error', '#/apis/web/stages/dev/caching', 7],
        ['error', '#/apis/web/stages/dev/tracing', 8],
      ],
    )
    assert.match(found[0]!.hint!, /Remove caching from apis\.web\.stages\.dev/)
  })

  it('says nothing for a REST API with the same settings', async () => {
    const found = await findings(
      spec(httpIntegration),
      '    stages:\n      dev: {caching: {enabled: true}, tracing: true, variables: {backendHost: a}}\n',
    )
    assert.deepEqual(
      found.filter((x) => x.id === 'stage-setting-rest-only'),
      [],
    )
  })
})
