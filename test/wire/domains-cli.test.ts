/**
 * Issue 16's "how it will be checked", for domains and private APIs: a repository whose apigw.yaml maps two REST
 * APIs under two base paths of one custom domain name and declares a PRIVATE API with a VPC-endpoint policy; deployed
 * with the built CLI to a running emulator (`apigw local start`'s server, attached by --local), called through the
 * domain name and with and without the endpoint header (`apigw invoke --domain`, `--vpce`), read back with the AWS CLI.
 * Config errors (an unknown stage, a base path twice, an EDGE certificate outside us-east-1, a private API without a
 * policy) are refused before any call.
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'
import {type Emulator, startEmulator} from '../../src/local/server.ts'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {rawRequest} from '../helpers/raw-http.ts'
import {tempDir} from '../helpers/temp.ts'

const execAsync = promisify(execFile)
const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555'

const spec = (title: string) => `openapi: 3.0.1
info: {title: ${title}, version: '1'}
paths:
  /pets:
    get:
      responses: {'200': {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default:
            statusCode: '200'
            responseTemplates: {application/json: '{"api":"${title}","domain":"$context.domainName","path":"$context.path"}'}
`

const CONFIG = `apis:
  pets:
    spec: pets.yaml
    stages: {prod: {}}
  orders:
    spec: orders.yaml
    stages: {prod: {}}
  internal:
    spec: internal.yaml
    endpointType: PRIVATE
    vpcEndpointIds: [vpce-0a1b2c3d]
    policy: policy.json
    stages: {prod: {}}
domains:
  api.example.com:
    certificateArn: ${CERT}
    endpointType: REGIONAL
    mappings:
      - {api: pets, stage: prod, basePath: v1}
      - {api: orders, stage: prod, basePath: shop/orders}
`

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*'},
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
      Condition: {StringNotEquals: {'aws:SourceVpce': 'vpce-0a1b2c3d'}},
    },
  ],
})

function skipReason(): string | false {
  if (!cliBuilt()) return 'the CLI is not built (run `npm run build`)'
  return false
}

describe('domains and private APIs from apigw.yaml, deployed with the built CLI', {skip: skipReason()}, () => {
  let dir: string
  let emulator: Emulator
  before(async () => {
    dir = tempDir('apigw-domains-cli-')
    writeFileSync(join(dir, 'apigw.yaml'), CONFIG)
    for (const name of ['pets', 'orders', 'internal']) writeFileSync(join(dir, `${name}.yaml`), spec(name))
    writeFileSync(join(dir, 'policy.json'), POLICY)
    mkdirSync(join(dir, '.apigw'), {recursive: true})
    emulator = await startEmulator({port: 0, dataDir: join(dir, '.apigw', 'local'), advertise: true})
  })
  after(async () => {
    await emulator?.close()
    rmSync(dir, {recursive: true, force: true})
  })

  const apigw = (...args: string[]) => runCli([...args, '--local'], {cwd: dir, timeoutMs: 120_000})

  it('deploys the two mapped APIs: the domain name, its base path mappings and the DNS target', async () => {
    // Given nothing deployed, When plan runs for pets
    const planned = await apigw('plan', 'pets', '--stage', 'prod')
    assert.equal(planned.code, 0, planned.stderr)
    assert.match(planned.stdout, /Domain api\.example\.com \(REGIONAL\): will be created\./)
    assert.match(planned.stdout, /\/v1 → pets prod: will be mapped/)
    // When pets and orders deploy
    const pets = await apigw('deploy', 'pets', '--stage', 'prod')
    assert.equal(pets.code, 0, pets.stderr)
    // Then the domain name is created and the DNS target printed
    assert.match(pets.stdout, /Domain api\.example\.com \(REGIONAL\): created\./)
    assert.match(pets.stdout, /DNS: point api\.example\.com at d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com .*Z1UJRXOUMOOFQ8/)
    const orders = await apigw('deploy', 'orders', '--stage', 'prod', '--json')
    assert.equal(orders.code, 0, orders.stderr)
    const result = JSON.parse(orders.stdout) as {
      result: {domains: Array<{action: string; mappings: Array<{basePath: string; action: string}>}>}
    }
    assert.equal(result.result.domains[0]!.action, 'keep')
    assert.deepEqual(
      result.result.domains[0]!.mappings.map((m) => `${m.basePath}:${m.action}`),
      ['shop/orders:create', 'v1:other'],
    )
    // And a second deploy changes no mapping
    const again = await apigw('deploy', 'pets', '--stage', 'prod', '--force')
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stdout, /\/v1 → pets prod: mapped/)
  })

  it('calls both APIs through the domain name (apigw invoke --domain and a Host header)', async () => {
    const v1 = await apigw('invoke', '--domain', 'api.example.com', 'GET', '/v1/pets', '--json')
    assert.equal(v1.code, 0, v1.stderr)
    const body = JSON.parse((JSON.parse(v1.stdout) as {result: {body: string}}).result.body) as Record<string, string>
    assert.deepEqual(body, {api: 'pets', domain: 'api.example.com', path: '/v1/pets'})
    const shop = await apigw('invoke', '--domain', 'api.example.com', 'GET', '/shop/orders/pets', '--json')
    assert.equal((JSON.parse((JSON.parse(shop.stdout) as {result: {body: string}}).result.body) as {api: string}).api, 'orders')
    // And curl-style, by Host
    const port = new URL(emulator.url).port
    const res = await rawRequest(`${emulator.url}/v1/pets`, {headers: [['host', `api.example.com:${port}`]]})
    assert.equal(res.status, 200, res.body)
  })

  it('deploys the private API with its policy; calls without the endpoint are refused, with --vpce they pass', async () => {
    const d = await apigw('deploy', 'internal', '--stage', 'prod')
    assert.equal(d.code, 0, d.stderr)
    const denied = await apigw('invoke', 'internal', '--stage', 'prod', 'GET', '/pets', '--json')
    assert.equal(d.code, 0)
    assert.equal((JSON.parse(denied.stdout) as {result: {status: number}}).result.status, 403)
    const allowed = await apigw('invoke', 'internal', '--stage', 'prod', 'GET', '/pets', '--vpce', 'vpce-0a1b2c3d', '--json')
    assert.equal((JSON.parse(allowed.stdout) as {result: {status: number}}).result.status, 200, allowed.stdout)
    const other = await apigw('invoke', 'internal', '--stage', 'prod', 'GET', '/pets', '--vpce', 'vpce-0fff', '--json')
    assert.equal((JSON.parse(other.stdout) as {result: {status: number}}).result.status, 403)
  })

  it('reads the deployment back with the AWS CLI', async (ctx) => {
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
    const domain = await aws('apigateway', 'get-domain-name', '--domain-name', 'api.example.com')
    assert.equal(domain.domainNameStatus, 'AVAILABLE')
    assert.equal(domain.regionalCertificateArn, CERT)
    const mappings = (await aws('apigateway', 'get-base-path-mappings', '--domain-name', 'api.example.com')) as {
      items: Array<{basePath: string}>
    }
    assert.deepEqual(mappings.items.map((m) => m.basePath).sort(), ['shop/orders', 'v1'])
    const apis = (await aws('apigateway', 'get-rest-apis')) as {
      items: Array<{name: string; policy?: string; endpointConfiguration: {types: string[]; vpcEndpointIds?: string[]}}>
    }
    const internal = apis.items.find((a) => a.name === 'internal')!
    assert.deepEqual(internal.endpointConfiguration.types, ['PRIVATE'])
    assert.deepEqual(internal.endpointConfiguration.vpcEndpointIds, ['vpce-0a1b2c3d'])
    assert.match(String(internal.policy), /SourceVpce/)
  })

  it('refuses config errors before any call: unknown stage, a base path twice, EDGE cert region, a private API without policy', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        CONFIG.replace('{api: orders, stage: prod, basePath: shop/orders}', '{api: orders, stage: prd, basePath: x}'),
        /stage "prd".*did you mean "prod"/,
      ],
      [CONFIG.replace('basePath: shop/orders', 'basePath: v1'), /uses the base path "v1" of mappings\[0\]/],
      [
        CONFIG.replace('endpointType: REGIONAL', 'endpointType: EDGE').replace(CERT, CERT.replace('us-east-1', 'eu-west-1')),
        /needs a certificate in us-east-1/,
      ],
      [CONFIG.replace('    policy: policy.json\n', ''), /PRIVATE API without a resource policy/],
    ]
    for (const [config, message] of cases) {
      const bad = tempDir('apigw-domains-bad-')
      try {
        writeFileSync(join(bad, 'apigw.yaml'), config)
        for (const name of ['pets', 'orders', 'internal']) writeFileSync(join(bad, `${name}.yaml`), spec(name))
        writeFileSync(join(bad, 'policy.json'), POLICY)
        const r = await runCli(['validate', 'pets', '--local'], {cwd: bad, timeoutMs: 120_000})
        assert.equal(r.code, 3, r.stderr)
        assert.match(r.stderr, message)
        assert.match(r.stderr, /apigw\.yaml:\d+:\d+/)
      } finally {
        rmSync(bad, {recursive: true, force: true})
      }
    }
  })
})
