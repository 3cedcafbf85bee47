// `apigw export spec` against the emulator: REST through GetExport (formats, YAML, extensions, stripping,
// files) and HTTP through ExportApi, with stages deployed through the SDK directly.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {GetExportCommand} from '@aws-sdk/client-api-gateway'
import {parse as parseYaml} from 'yaml'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {deployHttp, deployRest, petsHttpSpec, petsRestSpec, runApigw, writeProject} from './export-logs-support.ts'

let emu: TestEmulator
let cwd: string
let restId: string

before(async () => {
  emu = await startTestEmulator()
  restId = await deployRest(emu, petsRestSpec('pets'), 'dev')
  await deployHttp(emu, petsHttpSpec('hp'), 'dev')
  cwd = writeProject({pets: {type: 'rest', stages: ['dev']}, hp: {type: 'http', stages: ['dev']}})
})

after(async () => {
  await emu.close()
})

const run = (args: string[]) => runApigw('export spec', args, {cwd, endpoint: emu.url})
const hasIntegration = (doc: {paths: Record<string, Record<string, Record<string, unknown>>>}) =>
  JSON.stringify(doc).includes('x-amazon-apigateway-integration')

describe('apigw export spec (emulator)', () => {
  it('REST, default: AWS GetExport bytes as sent, oas30 JSON without extensions', async () => {
    // Given the stage's export straight from the SDK
    const direct = await emu.v1.send(
      new GetExportCommand({restApiId: restId, stageName: 'dev', exportType: 'oas30', accepts: 'application/json'}),
    )
    // When the command exports to stdout
    const r = await run(['pets', '--stage', 'dev'])
    // Then stdout is exactly that document
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout.trimEnd(), new TextDecoder().decode(direct.body).trimEnd())
    const doc = JSON.parse(r.stdout)
    assert.equal(doc.openapi, '3.0.1')
    assert.deepEqual(Object.keys(doc.paths).sort(), ['/pets', '/pets/{petId}'])
    assert.equal(hasIntegration(doc), false)
  })

  const cases: Array<{title: string; args: string[]; file?: string; check: (text: string) => void}> = [
    {
      title: '--extensions apigateway adds the integrations',
      args: ['--extensions', 'apigateway'],
      check: (t) => assert.equal(hasIntegration(JSON.parse(t)), true),
    },
    {title: '--format swagger', args: ['--format', 'swagger'], check: (t) => assert.equal(JSON.parse(t).swagger, '2.0')},
    {title: '--yaml', args: ['--yaml', '--extensions', 'integrations'], check: (t) => assert.equal(parseYaml(t).openapi, '3.0.1')},
    {
      title: '--output x.yaml writes YAML',
      args: ['--output', 'out/x.yaml'],
      file: 'out/x.yaml',
      check: (t) => assert.equal(parseYaml(t).info.title, 'pets'),
    },
    {
      title: '--output x.json --strip-extensions',
      args: ['--output', 'x.json', '--strip-extensions'],
      file: 'x.json',
      check: (t) => assert.equal(hasIntegration(JSON.parse(t)), false),
    },
  ]
  for (const c of cases) {
    it(`REST ${c.title}`, async () => {
      const r = await run(['pets', '--stage', 'dev', ...c.args])
      assert.equal(r.code, 0, r.stderr)
      if (c.file) {
        assert.match(r.stdout, new RegExp(`^Wrote ${c.file.replace('.', '\\.')} `))
        c.check(readFileSync(join(cwd, c.file), 'utf8'))
      } else {
        c.check(r.stdout)
      }
    })
  }

  it('HTTP through ExportApi: extensions included by default, dropped with --strip-extensions, YAML with --yaml', async () => {
    const full = await run(['hp', '--stage', 'dev'])
    assert.equal(full.code, 0, full.stderr)
    assert.equal(hasIntegration(JSON.parse(full.stdout)), true)
    const stripped = await run(['hp', '--stage', 'dev', '--strip-extensions', '--yaml'])
    assert.equal(stripped.code, 0, stripped.stderr)
    const doc = parseYaml(stripped.stdout)
    assert.equal(doc.info.title, 'hp')
    assert.equal(hasIntegration(doc), false)
  })

  it('--json returns the document in the result', async () => {
    const r = await run(['pets', '--stage', 'dev', '--json'])
    assert.equal(r.code, 0, r.stderr)
    const out = JSON.parse(r.stdout) as {status: number; result: {apiId: string; outputType: string; content: string; bytes: number}}
    assert.equal(out.result.apiId, restId)
    assert.equal(out.result.outputType, 'json')
    assert.equal(JSON.parse(out.result.content).info.title, 'pets')
    assert.equal(out.result.bytes, Buffer.byteLength(out.result.content))
  })

  const errors: Array<{title: string; args: string[]; code: number; message: RegExp}> = [
    {
      title: 'HTTP with --format swagger',
      args: ['hp', '--stage', 'dev', '--format', 'swagger'],
      code: 2,
      message: /HTTP API, which AWS exports as OpenAPI 3\.0 only/,
    },
    {
      title: 'a stage not deployed',
      args: ['pets', '--stage', 'prod'],
      code: 4,
      message: /pets has no deployed stage prod[\s\S]*Stage prod is not declared for pets in apigw.yaml \(declared: dev\)/,
    },
    {title: 'an unknown API', args: ['nope', '--stage', 'dev'], code: 2, message: /There is no API "nope"/},
    {
      title: '--extensions with --strip-extensions',
      args: ['pets', '--stage', 'dev', '--extensions', 'postman', '--strip-extensions'],
      code: 2,
      message: /ask for opposite things/,
    },
  ]
  for (const e of errors) {
    it(`error: ${e.title}`, async () => {
      const r = await run(e.args)
      assert.equal(r.code, e.code, r.stderr)
      assert.match(r.stderr, e.message)
    })
  }
})
