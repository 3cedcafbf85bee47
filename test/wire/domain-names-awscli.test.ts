/**
 * Custom domain names through the AWS CLI v2 (an independent client): v1 create-domain-name, base path mappings
 * with `(none)` and a conflict, and the v2 view of the same mappings (get-api-mappings).
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {rmSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'
import {CreateDeploymentCommand, ImportRestApiCommand} from '@aws-sdk/client-api-gateway'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

const run = promisify(execFile)
const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555'

describe('custom domain names through the AWS CLI v2', () => {
  let t: TestEmulator
  let home: string
  before(async () => {
    t = await startTestEmulator()
    home = tempDir('apigw-awscli-')
  })
  after(async () => {
    await t.close()
    rmSync(home, {recursive: true, force: true})
  })

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const {stdout} = await run(AWS_CLI, ['--endpoint-url', t.url, '--region', 'us-east-1', '--no-cli-pager', '--output', 'json', ...args], {
      env: awsCliEnv(home),
      timeout: 60_000,
    })
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>)
  }

  async function awsFails(...args: string[]): Promise<string> {
    try {
      await aws(...args)
    } catch (error) {
      return String((error as {stderr?: string}).stderr)
    }
    throw new Error(`aws ${args.join(' ')} succeeded`)
  }

  it('creates a domain name and its base path mappings, read back through apigateway and apigatewayv2', async (ctx) => {
    const reason = awsCliSkipReason()
    if (reason) return ctx.skip(reason)
    // Given a deployed REST API
    const mock = {'x-amazon-apigateway-integration': {type: 'mock', requestTemplates: {'application/json': '{"statusCode": 200}'}}}
    const spec = {
      openapi: '3.0.1',
      info: {title: 'cli', version: '1'},
      paths: {'/': {get: {responses: {'200': {description: 'ok'}}, ...mock}}},
    }
    const api = await t.v1.send(new ImportRestApiCommand({body: Buffer.from(JSON.stringify(spec))}))
    await t.v1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'prod'}))
    // When the CLI creates a regional domain name
    const d = await aws(
      'apigateway',
      'create-domain-name',
      '--domain-name',
      'cli.example.com',
      '--regional-certificate-arn',
      CERT,
      '--endpoint-configuration',
      'types=REGIONAL',
    )
    // Then it carries the regional target and is AVAILABLE
    assert.equal(d.domainNameStatus, 'AVAILABLE')
    assert.match(String(d.regionalDomainName), /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/)
    // And the empty base path is `(none)`; a second mapping next to it is AWS's 409
    const m = await aws(
      'apigateway',
      'create-base-path-mapping',
      '--domain-name',
      'cli.example.com',
      '--rest-api-id',
      api.id!,
      '--stage',
      'prod',
    )
    assert.equal(m.basePath, '(none)')
    const conflict = await awsFails(
      'apigateway',
      'create-base-path-mapping',
      '--domain-name',
      'cli.example.com',
      '--rest-api-id',
      api.id!,
      '--stage',
      'prod',
      '--base-path',
      'v1',
    )
    assert.match(conflict, /ConflictException.*Only one base path mapping is allowed if the base path is empty\./)
    const got = await aws('apigateway', 'get-base-path-mapping', '--domain-name', 'cli.example.com', '--base-path', '(none)')
    assert.equal(got.restApiId, api.id)
    // And v2 lists the same mapping with an empty ApiMappingKey
    const v2 = (await aws('apigatewayv2', 'get-api-mappings', '--domain-name', 'cli.example.com')) as {Items: Array<Record<string, string>>}
    assert.equal(v2.Items.length, 1)
    assert.equal(v2.Items[0]!.ApiId, api.id)
    assert.equal(v2.Items[0]!.ApiMappingKey, '')
    // And delete-base-path-mapping then get answers NotFound
    await aws('apigateway', 'delete-base-path-mapping', '--domain-name', 'cli.example.com', '--base-path', '(none)')
    const gone = await awsFails('apigateway', 'get-base-path-mapping', '--domain-name', 'cli.example.com', '--base-path', '(none)')
    assert.match(gone, /NotFoundException/)
  })
})
