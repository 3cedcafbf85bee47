/**
 * Custom domain names beyond deploy, with the built CLI against an in-process emulator (attached by --local):
 * a WebSocket API's stage mapped on its own domain name (an apigatewayv2 API mapping made by plan/deploy, a real
 * `ws` client through the domain by Host and by /_aws/domain/{name}/…), `apigw status` comparing each domain name's
 * mappings with apigw.yaml (matches / missing / differs / extra, also on a domain name that no longer maps the API in
 * apigw.yaml but still does as deployed) and showing the published documentation version,
 * the mappings read back with the AWS CLI, and validate's refusals for what API Gateway does not allow.
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'
import {APIGatewayClient, UpdateBasePathMappingCommand} from '@aws-sdk/client-api-gateway'
import {ApiGatewayV2Client, CreateApiMappingCommand} from '@aws-sdk/client-apigatewayv2'
import WebSocket from 'ws'
import {type Emulator, startEmulator} from '../../src/local/server.ts'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {TEST_CREDENTIALS} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

const execAsync = promisify(execFile)
const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555'

const SPEC = `openapi: 3.0.1
info: {title: pets, version: '1.4'}
paths:
  /pets:
    get:
      description: Lists the pets.
      responses: {'200': {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses: {default: {statusCode: '200'}}
`

const CONFIG = `apis:
  pets:
    spec: pets.yaml
    docs: {publish: true}
    stages: {prod: {}, dev: {}}
  chat:
    type: websocket
    routeSelectionExpression: $request.body.action
    routes:
      $connect: {integration: {type: MOCK, requestTemplates: {$default: '{"statusCode": 200}'}}}
      ping:
        integration:
          type: MOCK
          requestTemplates: {$default: '{"statusCode": 200}'}
          responses: {$default: {templates: {$default: '{"pong": "$context.domainName $context.stage"}'}}}
        routeResponseSelectionExpression: $default
    stages: {prod: {}}
domains:
  api.example.com:
    certificateArn: ${CERT}
    mappings:
      - {api: pets, stage: prod, basePath: v1}
      - {api: pets, stage: dev, basePath: beta}
  ws.example.com:
    certificateArn: ${CERT}
    mappings:
      - {api: chat, stage: prod, basePath: chat}
`

type DomainJson = {
  domainName: string
  exists: boolean
  dnsTarget: string | null
  mappings: Array<{
    basePath: string
    state: string
    config: {api: string; stage: string} | null
    actual: {api: string; stage: string} | null
  }>
}

/** Open a WebSocket, send one ping, and answer the reply (or the refusal's status). */
function ping(url: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {headers})
    ws.on('open', () => ws.send(JSON.stringify({action: 'ping'})))
    ws.on('message', (m) => {
      ws.close()
      resolve(String(m))
    })
    ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`))
    ws.on('error', reject)
  })
}

describe('custom domain names: WebSocket mappings, status against apigw.yaml, validate', {
  skip: !cliBuilt() && 'run `npm run build`',
}, () => {
  let dir: string
  let emulator: Emulator
  before(async () => {
    dir = tempDir('apigw-domains-status-')
    writeFileSync(join(dir, 'apigw.yaml'), CONFIG)
    writeFileSync(join(dir, 'pets.yaml'), SPEC)
    mkdirSync(join(dir, '.apigw'), {recursive: true})
    emulator = await startEmulator({port: 0, dataDir: join(dir, '.apigw', 'local'), advertise: true})
  })
  after(async () => {
    await emulator?.close()
    rmSync(dir, {recursive: true, force: true})
  })

  const apigw = (...args: string[]) => runCli([...args, '--local'], {cwd: dir, timeoutMs: 120_000})
  const statusOf = async (api: string) => {
    const r = await apigw('status', api, '--json')
    assert.equal(r.code, 0, r.stderr)
    return (JSON.parse(r.stdout) as {result: {domains?: DomainJson[]; stages: Array<{name: string; documentationVersion?: string | null}>}})
      .result
  }

  it('status before any deploy: every mapping is missing and the domain names are not created', async () => {
    const pets = await statusOf('pets')
    assert.deepEqual(
      pets.domains?.map((d) => [d.domainName, d.exists, d.mappings.map((m) => `${m.basePath}:${m.state}`)]),
      [['api.example.com', false, ['beta:missing', 'v1:missing']]],
    )
    const human = await apigw('status', 'chat')
    assert.equal(human.code, 0, human.stderr)
    assert.match(human.stdout, /ws\.example\.com \(REGIONAL\): not created/)
    assert.match(human.stdout, /\/chat → chat prod: missing: deploy the stage to map it/)
  })

  it('plan and deploy of the WebSocket API create its domain name and API mapping', async () => {
    // When plan runs for the WebSocket stage
    const planned = await apigw('plan', 'chat', '--stage', 'prod')
    assert.equal(planned.code, 0, planned.stderr)
    // Then it shows the domain name and the mapping it would make
    assert.match(planned.stdout, /Domain ws\.example\.com \(REGIONAL\): will be created\./)
    assert.match(planned.stdout, /\/chat → chat prod: will be mapped/)
    // When it deploys
    const deployed = await apigw('deploy', 'chat', '--stage', 'prod', '--json')
    assert.equal(deployed.code, 0, deployed.stderr)
    const result = (JSON.parse(deployed.stdout) as {result: {domains: Array<{action: string; dnsTarget: string; mappings: unknown[]}>}})
      .result
    // Then the domain name exists with its DNS target and the mapping was created
    assert.equal(result.domains[0]!.action, 'create')
    assert.match(result.domains[0]!.dnsTarget, /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/)
    assert.deepEqual(result.domains[0]!.mappings, [{basePath: 'chat', api: 'chat', stage: 'prod', action: 'create'}])
    // And a second deploy keeps it
    const again = await apigw('deploy', 'chat', '--stage', 'prod')
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stdout, /\/chat → chat prod: mapped/)
  })

  it('a ws client reaches the mapped WebSocket stage through the domain name (Host and path style)', async () => {
    const port = new URL(emulator.url).port
    // By the path-style address of the domain name
    assert.equal(await ping(`ws://127.0.0.1:${port}/_aws/domain/ws.example.com/chat`), '{"pong": "ws.example.com prod"}')
    // By Host, as a client resolving ws.example.com to the emulator would call it
    assert.equal(await ping(`ws://127.0.0.1:${port}/chat`, {host: `ws.example.com:${port}`}), '{"pong": "ws.example.com prod"}')
    // A base path the domain name does not map is refused
    assert.match(await ping(`ws://127.0.0.1:${port}/_aws/domain/ws.example.com/other`), /^refused 4\d\d$/)
  })

  it('status compares the mappings with apigw.yaml: matches, differs, extra; and the documentation version', async () => {
    // Given pets deployed to both stages, then v1 moved to dev and an extra mapping made outside apigw
    for (const stage of ['prod', 'dev']) {
      const r = await apigw('deploy', 'pets', '--stage', stage)
      assert.equal(r.code, 0, r.stderr)
    }
    const sdk = {endpoint: emulator.url, region: 'us-east-1', credentials: TEST_CREDENTIALS}
    const v1 = new APIGatewayClient(sdk)
    const v2 = new ApiGatewayV2Client(sdk)
    try {
      const before = await statusOf('pets')
      assert.deepEqual(
        before.domains?.[0]?.mappings.map((m) => `${m.basePath}:${m.state}`),
        ['beta:matches', 'v1:matches'],
      )
      await v1.send(
        new UpdateBasePathMappingCommand({
          domainName: 'api.example.com',
          basePath: 'v1',
          patchOperations: [{op: 'replace', path: '/stage', value: 'dev'}],
        }),
      )
      const petsId = ((await statusOf('pets')) as unknown as {apiId: string}).apiId
      await v2.send(new CreateApiMappingCommand({DomainName: 'api.example.com', ApiId: petsId, Stage: 'prod', ApiMappingKey: 'legacy'}))
    } finally {
      v1.destroy()
      v2.destroy()
    }
    // When status runs
    const after = await statusOf('pets')
    // Then each mapping says how it stands against apigw.yaml
    const d = after.domains![0]!
    assert.equal(d.exists, true)
    assert.match(String(d.dnsTarget), /^d-[a-z0-9]{10}\./)
    assert.deepEqual(
      d.mappings.map((m) => [
        m.basePath,
        m.state,
        m.config && `${m.config.api} ${m.config.stage}`,
        m.actual && `${m.actual.api} ${m.actual.stage}`,
      ]),
      [
        ['beta', 'matches', 'pets dev', 'pets dev'],
        ['legacy', 'extra', null, 'pets prod'],
        ['v1', 'differs', 'pets prod', 'pets dev'],
      ],
    )
    // And each stage publishes the spec's documentation version (docs.publish)
    assert.deepEqual(
      after.stages.map((s) => [s.name, s.documentationVersion]),
      [
        ['dev', '1.4'],
        ['prod', '1.4'],
      ],
    )
    const human = await apigw('status', 'pets')
    assert.match(human.stdout, /\/v1 → pets dev \(apigw\.yaml: pets prod\): differs from apigw\.yaml/)
    assert.match(human.stdout, /\/legacy → pets prod: not in apigw\.yaml \(deploy --prune removes it\)/)
    assert.match(human.stdout, /prod: publishes documentation version 1\.4/)
    // And a deploy puts v1 back (the extra mapping is kept without --prune)
    const fixed = await apigw('deploy', 'pets', '--stage', 'prod', '--force')
    assert.equal(fixed.code, 0, fixed.stderr)
    assert.deepEqual(
      (await statusOf('pets')).domains![0]!.mappings.map((m) => `${m.basePath}:${m.state}`),
      ['beta:matches', 'legacy:extra', 'v1:matches'],
    )
  })

  it('diff against a deployed stage compares the domain names as deployed with apigw.yaml', async () => {
    // Given the domain name has the extra /legacy mapping (previous test) and chat's mapping as declared
    const pets = await apigw('diff', 'pets', '--base', 'stage:prod', '--json')
    // Then the mapping apigw.yaml does not declare counts as removed, at the deployed side
    assert.equal(pets.code, 1, pets.stderr)
    const findings = (JSON.parse(pets.stdout) as {result: {findings: Array<Record<string, unknown>>}}).result.findings
    assert.deepEqual(
      findings.map((f) => [f.id, f.level, f.operation, (f.location as {file: string}).file]),
      [['domain-mapping-removed', 'error', 'api.example.com /legacy', 'stage:prod']],
    )
    // And the WebSocket API's deployed mapping is what apigw.yaml says: nothing to report
    const chat = await apigw('diff', 'chat', '--base', 'stage:prod', '--json')
    assert.equal(chat.code, 0, chat.stderr)
    assert.deepEqual((JSON.parse(chat.stdout) as {result: {findings: unknown[]}}).result.findings, [])
  })

  it('a domain name of apigw.yaml that no longer maps the API, but still does as deployed: extra in status, removed in diff', async () => {
    // Given api.example.com keeps pets' deployed mappings, while apigw.yaml now maps it to another API only
    const orders = CONFIG.replace('  chat:\n', '  orders:\n    spec: orders.yaml\n    stages: {prod: {}}\n  chat:\n').replace(
      '      - {api: pets, stage: prod, basePath: v1}\n      - {api: pets, stage: dev, basePath: beta}\n',
      '      - {api: orders, stage: prod, basePath: shop}\n',
    )
    assert.notEqual(orders, CONFIG)
    writeFileSync(join(dir, 'orders.yaml'), SPEC.replace('title: pets', 'title: orders'))
    writeFileSync(join(dir, 'apigw.yaml'), orders)
    try {
      // When status runs, the domain name is still shown, with every mapping of pets as extra
      const d = (await statusOf('pets')).domains?.find((x) => x.domainName === 'api.example.com')
      assert.ok(d, 'api.example.com is missing from status')
      const pets = d.mappings.filter((m) => m.actual?.api === 'pets')
      assert.deepEqual(
        pets.map((m) => [m.basePath, m.state, m.config]),
        [
          ['beta', 'extra', null],
          ['legacy', 'extra', null],
          ['v1', 'extra', null],
        ],
      )
      // And diff against the deployed stage reports every deployed mapping of pets there as removed, at the deployed side
      const diff = await apigw('diff', 'pets', '--base', 'stage:prod', '--json')
      assert.equal(diff.code, 1, diff.stderr)
      const findings = (JSON.parse(diff.stdout) as {result: {findings: Array<Record<string, unknown>>}}).result.findings
      assert.deepEqual(findings.map((f) => [f.id, f.operation, (f.location as {file: string}).file]).sort(), [
        ['domain-mapping-removed', 'api.example.com /beta', 'stage:prod'],
        ['domain-mapping-removed', 'api.example.com /legacy', 'stage:prod'],
        ['domain-mapping-removed', 'api.example.com /v1', 'stage:prod'],
      ])
    } finally {
      writeFileSync(join(dir, 'apigw.yaml'), CONFIG)
    }
  })

  it('reads the WebSocket API mapping back with the AWS CLI', async (ctx) => {
    const reason = awsCliSkipReason()
    if (reason) return ctx.skip(reason)
    const aws = async (...args: string[]) =>
      JSON.parse(
        (
          await execAsync(AWS_CLI, [...args, '--endpoint-url', emulator.url, '--output', 'json', '--no-cli-pager'], {
            env: awsCliEnv(dir),
            timeout: 60_000,
          })
        ).stdout,
      ) as Record<string, unknown>
    const apis = (await aws('apigatewayv2', 'get-apis')) as {Items: Array<{Name: string; ApiId: string; ProtocolType: string}>}
    const chat = apis.Items.find((a) => a.Name === 'chat')!
    assert.equal(chat.ProtocolType, 'WEBSOCKET')
    const mappings = (await aws('apigatewayv2', 'get-api-mappings', '--domain-name', 'ws.example.com')) as {
      Items: Array<{ApiId: string; ApiMappingKey: string; Stage: string}>
    }
    assert.deepEqual(
      mappings.Items.map((m) => [m.ApiId, m.ApiMappingKey, m.Stage]),
      [[chat.ApiId, 'chat', 'prod']],
    )
    const domain = (await aws('apigatewayv2', 'get-domain-name', '--domain-name', 'ws.example.com')) as {
      DomainNameConfigurations: Array<{EndpointType: string; SecurityPolicy: string}>
    }
    assert.equal(domain.DomainNameConfigurations[0]!.EndpointType, 'REGIONAL')
    assert.equal(domain.DomainNameConfigurations[0]!.SecurityPolicy, 'TLS_1_2')
  })

  it('validate refuses what API Gateway does not allow for WebSocket domain names, with file:line and a hint', async () => {
    const cases: Array<[string, RegExp, RegExp]> = [
      [
        CONFIG.replace(
          '      - {api: chat, stage: prod, basePath: chat}',
          '      - {api: chat, stage: prod, basePath: chat}\n      - {api: pets, stage: prod, basePath: rest}',
        ),
        /maps the WebSocket API chat and the REST API pets: API Gateway does not map a domain name of a WebSocket API/,
        /domain name of its own/,
      ],
      [
        CONFIG.replace(
          `  ws.example.com:\n    certificateArn: ${CERT}\n`,
          `  ws.example.com:\n    certificateArn: ${CERT}\n    securityPolicy: TLS_1_0\n`,
        ),
        /ws\.example\.com has securityPolicy TLS_1_0, and chat is a WebSocket API/,
        /Set securityPolicy: TLS_1_2 on ws\.example\.com/,
      ],
      [
        CONFIG.replace('{api: chat, stage: prod, basePath: chat}', '{api: chat, stage: prod, basePath: chat/v2}'),
        /multi-level base paths are for REST APIs only/,
        /one segment/i,
      ],
    ]
    for (const [config, message, hint] of cases) {
      const bad = tempDir('apigw-domains-ws-bad-')
      try {
        writeFileSync(join(bad, 'apigw.yaml'), config)
        writeFileSync(join(bad, 'pets.yaml'), SPEC)
        const r = await runCli(['validate', 'pets', '--json'], {cwd: bad, timeoutMs: 120_000})
        assert.equal(r.code, 3, r.stdout)
        const error = (JSON.parse(r.stdout) as {error: {message: string; hint: string; details: {line: number; key: string}}}).error
        assert.match(error.message, message)
        assert.match(error.message, /apigw\.yaml:\d+:\d+/)
        assert.match(error.hint, hint)
        assert.ok(error.details.line > 1 && error.details.key.startsWith('domains.ws.example.com'), JSON.stringify(error.details))
      } finally {
        rmSync(bad, {recursive: true, force: true})
      }
    }
  })
})
