import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'
import {parse as parseYaml} from 'yaml'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {tempDir} from '../helpers/temp.ts'

const run = promisify(execFile)
const PETSTORE = new URL('../fixtures/specs/aws-httpapi-petstore-oas30.json', import.meta.url).pathname

describe('API Gateway v2 through the AWS CLI v2', () => {
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

  /** Run `aws apigatewayv2 …` against the emulator with dummy credentials and no user configuration. */
  async function aws(...args: string[]): Promise<string> {
    const {stdout} = await run(
      AWS_CLI,
      ['--endpoint-url', t.url, '--region', 'us-east-1', '--no-cli-pager', '--output', 'json', 'apigatewayv2', ...args],
      {
        env: awsCliEnv(home),
        timeout: 60_000,
      },
    )
    return stdout
  }

  it('imports, lists routes, creates a stage and a deployment, and exports to a file', async (ctx) => {
    const reason = awsCliSkipReason()
    if (reason) return ctx.skip(reason)
    // Given the AWS petstore, When the CLI imports it
    const api = JSON.parse(await aws('import-api', '--body', `file://${PETSTORE}`)) as {ApiId: string; Name: string}
    assert.equal(api.Name, 'Example Pet Store')
    // Then get-routes lists its three routes
    const routes = JSON.parse(await aws('get-routes', '--api-id', api.ApiId)) as {Items: Array<{RouteKey: string}>}
    assert.deepEqual(routes.Items.map((r) => r.RouteKey).sort(), ['GET /pets', 'GET /pets/{petId}', 'POST /pets'])
    // And a stage and a deployment point at each other
    const stage = JSON.parse(
      await aws('create-stage', '--api-id', api.ApiId, '--stage-name', 'dev', '--stage-variables', 'backend=local'),
    ) as {StageName: string}
    assert.equal(stage.StageName, 'dev')
    const deployment = JSON.parse(await aws('create-deployment', '--api-id', api.ApiId, '--stage-name', 'dev')) as {
      DeploymentId: string
      DeploymentStatus: string
    }
    assert.equal(deployment.DeploymentStatus, 'DEPLOYED')
    const got = JSON.parse(await aws('get-stage', '--api-id', api.ApiId, '--stage-name', 'dev')) as {
      DeploymentId: string
      StageVariables: Record<string, string>
    }
    assert.equal(got.DeploymentId, deployment.DeploymentId)
    assert.deepEqual(got.StageVariables, {backend: 'local'})
    // And export-api writes the stage's OpenAPI document to a file
    const out = join(home, 'export.yaml')
    await aws('export-api', '--api-id', api.ApiId, '--specification', 'OAS30', '--output-type', 'YAML', '--stage-name', 'dev', out)
    const exported = parseYaml(readFileSync(out, 'utf8')) as {openapi: string; info: {title: string}; paths: Record<string, unknown>}
    assert.equal(exported.openapi, '3.0.1')
    assert.equal(exported.info.title, 'Example Pet Store')
    assert.deepEqual(Object.keys(exported.paths).sort(), ['/pets', '/pets/{petId}'])
    // And an error comes back typed, as from AWS
    await assert.rejects(aws('get-api', '--api-id', 'nope000000'), (e: Error & {stderr?: string}) => {
      assert.match(String(e.stderr), /NotFoundException/)
      assert.match(String(e.stderr), /Invalid API identifier specified 000000000000:nope000000/)
      return true
    })
  })
})
