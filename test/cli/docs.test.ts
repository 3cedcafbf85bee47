/**
 * `apigw docs` as a user runs it: the built CLI deploys a documented REST API (`docs: {publish: true}`) to
 * `apigw local start`, which publishes the spec's descriptions as a documentation version (read back with the AWS
 * CLI; a second deploy changes nothing), writes the stage's reference page, and headless Chromium (Debian's chromium)
 * opens it from a file URL: the operations, their summaries, the invoke URL and the API-key header are on the rendered
 * page, and the screenshot is a real rendering. Also the errors: unknown API, unknown stage, an output path that is a
 * file.
 */
import assert from 'node:assert/strict'
import {type ChildProcess, spawn} from 'node:child_process'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {chromiumSkipReason, dumpDom, screenshot} from '../helpers/chromium.ts'
import {binPath, runCli} from '../helpers/cli.ts'
import {tempDir} from '../helpers/temp.ts'

const MOCK = {
  type: 'mock',
  requestTemplates: {'application/json': '{"statusCode": 200}'},
  responses: {default: {statusCode: '200', responseTemplates: {'application/json': '[]'}}},
}

const SPEC = {
  openapi: '3.0.1',
  info: {title: 'Pet shop', version: '1.2.0', description: 'Pets, listed and adopted.'},
  paths: {
    '/pets': {
      get: {
        operationId: 'listPets',
        summary: 'List the pets in the shop',
        description: 'Newest first.',
        tags: ['pets'],
        parameters: [{name: 'limit', in: 'query', description: 'How many pets at most.', schema: {type: 'string'}}],
        security: [{api_key: []}],
        responses: {'200': {description: 'The pets, newest first.'}},
        'x-amazon-apigateway-integration': MOCK,
      },
      post: {
        operationId: 'adoptPet',
        summary: 'Adopt a pet',
        responses: {'200': {description: 'Adopted.'}},
        'x-amazon-apigateway-integration': MOCK,
      },
    },
  },
  components: {securitySchemes: {api_key: {type: 'apiKey', name: 'x-api-key', in: 'header'}}},
}

const servers: ChildProcess[] = []
after(() => {
  for (const child of servers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

/** `apigw local start --port 0 --json` in `cwd`, resolved with its endpoint once it says it is ready. */
function startServer(cwd: string): Promise<{endpoint: string; child: ChildProcess}> {
  const child = spawn(process.execPath, [binPath, 'local', 'start', '--port', '0', '--json'], {cwd, env: {...process.env, NO_COLOR: '1'}})
  servers.push(child)
  let out = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 120_000)
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d
      for (const line of out.split('\n').filter(Boolean)) {
        const event = JSON.parse(line) as {event?: string; endpoint?: string}
        if (event.event === 'ready') {
          clearTimeout(timer)
          resolve({endpoint: event.endpoint!, child})
        }
      }
    })
    child.on('exit', () => reject(new Error(`exited before ready: ${out}`)))
  })
}

describe('apigw docs (built CLI, headless Chromium)', () => {
  let dir: string
  let endpoint: string
  let server: ChildProcess
  before(async () => {
    dir = tempDir('apigw-docs-')
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(SPEC, null, 2))
    writeFileSync(
      join(dir, 'apigw.yaml'),
      'apis:\n  shop:\n    type: rest\n    spec: openapi.json\n    docs: {publish: true}\n    stages:\n      dev: {}\n',
    )
    ;({endpoint, child: server} = await startServer(dir))
    const deployed = await runCli(['deploy', '--stage', 'dev', '--local', '--json'], {cwd: dir, timeoutMs: 180_000})
    assert.equal(deployed.code, 0, deployed.stderr)
    firstDeploy = JSON.parse(deployed.stdout).result
  })
  let firstDeploy: {plan: {documentation?: unknown; steps: Array<{operation: string}>}}
  after(() => {
    server?.kill('SIGTERM')
  })

  it('publishes the spec descriptions as documentation version 1.2.0 on deploy, once', async (t) => {
    // The first deploy published version 1.2.0 (the spec's info.version) on stage dev
    assert.deepEqual(firstDeploy.plan.documentation, {version: '1.2.0', parts: 6, action: 'publish'})
    assert.equal(firstDeploy.plan.steps.at(-1)?.operation, 'CreateDocumentationVersion')
    // A second deploy has nothing to do
    const again = await runCli(['plan', '--stage', 'dev', '--local', '--json'], {cwd: dir, timeoutMs: 120_000})
    const plan = JSON.parse(again.stdout).result
    assert.equal(plan.upToDate, true)
    assert.deepEqual(plan.documentation, {version: '1.2.0', parts: 6, action: 'up-to-date'})
    // And the AWS CLI, a client nobody here wrote, reads the parts and the version back from the emulator
    const reason = awsCliSkipReason()
    if (reason) return t.skip(reason)
    const apiId = JSON.parse((await runCli(['status', '--local', '--json'], {cwd: dir, timeoutMs: 120_000})).stdout).result.apiId
    const home = tempDir('apigw-awscli-docs-')
    const aws = async (...args: string[]) =>
      JSON.parse(
        (
          await promisify(execFile)(
            AWS_CLI,
            ['apigateway', ...args, '--rest-api-id', apiId, '--endpoint-url', endpoint, '--output', 'json'],
            {
              env: awsCliEnv(home),
              timeout: 60_000,
            },
          )
        ).stdout,
      )
    const versions = await aws('get-documentation-versions')
    assert.deepEqual(
      versions.items.map((v: {version: string}) => v.version),
      ['1.2.0'],
    )
    const methods = await aws('get-documentation-parts', '--type', 'METHOD')
    assert.deepEqual(
      methods.items
        .map((p: {location: {method: string}; properties: string}) => [p.location.method, JSON.parse(p.properties).summary])
        .sort(),
      [
        ['GET', 'List the pets in the shop'],
        ['POST', 'Adopt a pet'],
      ],
    )
    const stage = await aws('get-stage', '--stage-name', 'dev')
    assert.equal(stage.documentationVersion, '1.2.0')
  })

  it('writes the page, its spec and Swagger UI; --json says what it wrote', async () => {
    const r = await runCli(['docs', '--output', 'site', '--local', '--json'], {cwd: dir, timeoutMs: 120_000})
    assert.equal(r.code, 0, r.stderr)
    const result = JSON.parse(r.stdout).result
    const apiId = result.apiId as string
    assert.equal(result.invokeUrl, `${endpoint}/_aws/execute-api/${apiId}/dev`)
    assert.deepEqual(result.files, ['LICENSE', 'NOTICE', 'index.html', 'openapi.json', 'spec.js', 'swagger-ui-bundle.js', 'swagger-ui.css'])
    assert.deepEqual(result.operations, ['GET /pets', 'POST /pets'])
    assert.deepEqual(result.apiKeyRequired, ['GET /pets'])
    assert.equal(result.index, join('site', 'index.html'))
    assert.equal(result.documentationVersion, '1.2.0')
    const spec = JSON.parse(readFileSync(join(dir, 'site', 'openapi.json'), 'utf8'))
    assert.deepEqual(spec.servers, [{url: result.invokeUrl, description: 'Stage dev of shop'}])
    // The published documentation is in the page's spec (the export drops summaries without it)
    assert.equal(spec.paths['/pets'].get.summary, 'List the pets in the shop')
    assert.equal(spec.paths['/pets'].get.parameters[0].description, 'How many pets at most.')
    // The page loads nothing from the network: every script and stylesheet is a file beside it
    const html = readFileSync(join(dir, 'site', 'index.html'), 'utf8')
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//)
  })

  it('renders offline in headless Chromium: operations, invoke URL and the x-api-key header are on the page', async (t) => {
    const reason = chromiumSkipReason()
    if (reason) return t.skip(reason)
    const r = await runCli(['docs', 'shop', '--stage', 'dev', '--output', 'page', '--local', '--json'], {cwd: dir, timeoutMs: 120_000})
    assert.equal(r.code, 0, r.stderr)
    const {invokeUrl} = JSON.parse(r.stdout).result
    const index = join(dir, 'page', 'index.html')
    const dom = await dumpDom(index)
    // Swagger UI rendered one block per operation, with its method and path
    const blocks = [...dom.matchAll(/opblock-summary-method">(\w+)<\/span>.*?data-path="([^"]+)"/gs)].map((m) => `${m[1]} ${m[2]}`)
    assert.deepEqual(blocks.sort(), ['GET /pets', 'POST /pets'])
    assert.ok(dom.includes(invokeUrl), 'the invoke URL is on the page')
    assert.ok(dom.includes('List the pets in the shop'), 'the published summary is on the page')
    assert.match(dom, /x-api-key/)
    assert.match(dom, /<h1 class="title">Pet shop/)
    // And the screenshot is a real rendering (a blank page is a few KB of PNG)
    const png = join(dir, 'page.png')
    await screenshot(index, png)
    const bytes = readFileSync(png)
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    assert.ok(statSync(png).size > 20_000, `screenshot of ${statSync(png).size} bytes looks blank`)
  })

  it('refuses an unknown API, an unknown stage and an output path that is a file, writing nothing', async () => {
    const api = await runCli(['docs', 'nope', '--stage', 'dev', '--output', 'x', '--local', '--json'], {cwd: dir, timeoutMs: 120_000})
    assert.equal(JSON.parse(api.stdout).error.code, 'UNKNOWN_API')
    const stage = await runCli(['docs', '--stage', 'prod', '--output', 'y', '--local'], {cwd: dir, timeoutMs: 120_000})
    assert.equal(stage.code, 4, stage.stderr)
    assert.match(stage.stderr, /shop has no deployed stage prod/)
    assert.match(stage.stderr, /--local/)
    writeFileSync(join(dir, 'afile'), 'x')
    const file = await runCli(['docs', '--output', 'afile', '--local', '--json'], {cwd: dir, timeoutMs: 120_000})
    assert.equal(file.code, 3)
    assert.equal(JSON.parse(file.stdout).error.code, 'DIR_NOT_DIRECTORY')
    for (const name of ['x', 'y']) assert.throws(() => statSync(join(dir, name)))
  })
})
