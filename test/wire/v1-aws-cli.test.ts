/**
 * The AWS CLI v2 (a client nobody here wrote) drives a REST API lifecycle against the emulator: import,
 * deploy, stage patches with `~1` escapes, export to a YAML file, the DeleteDeployment refusal, delete.
 * The binary comes from APIGW_AWS_CLI (default /usr/bin/aws); the test skips visibly only when it is
 * missing and CI is not set.
 */
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
const SPEC = new URL('../fixtures/specs/aws-rest-petstore-simple-swagger2.json', import.meta.url).pathname

describe('v1 REST API lifecycle with the AWS CLI v2', () => {
  let t: TestEmulator
  let dir: string
  before(async () => {
    t = await startTestEmulator()
    dir = tempDir('apigw-cli-')
  })
  after(async () => {
    await t.close()
    rmSync(dir, {recursive: true, force: true})
  })

  const aws = async (...args: string[]): Promise<{code: number; stdout: string; stderr: string}> => {
    const env = awsCliEnv(dir)
    try {
      const out = await run(AWS_CLI, ['apigateway', ...args, '--endpoint-url', t.url, '--no-cli-pager', '--output', 'json'], {env})
      return {code: 0, ...out}
    } catch (error) {
      const e = error as {code?: number; stdout?: string; stderr?: string}
      return {code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? ''}
    }
  }
  const json = async (...args: string[]): Promise<Record<string, unknown>> => {
    const out = await aws(...args)
    assert.equal(out.code, 0, `aws ${args.join(' ')} failed: ${out.stderr}`)
    return out.stdout.trim() ? (JSON.parse(out.stdout) as Record<string, unknown>) : {}
  }

  it('imports, deploys, patches, exports and deletes', async (ctx) => {
    const reason = awsCliSkipReason()
    if (reason) return ctx.skip(reason)
    // Given the AWS petstore example imported with fail-on-warnings
    const api = await json('import-rest-api', '--fail-on-warnings', '--body', `fileb://${SPEC}`)
    const id = api.id as string
    assert.equal(api.name, 'Simple PetStore (OpenAPI)')
    // When it is deployed to a stage and the stage is patched
    const dep = await json('create-deployment', '--rest-api-id', id, '--stage-name', 'dev', '--variables', 'backend=local')
    const stage = await json(
      'update-stage',
      '--rest-api-id',
      id,
      '--stage-name',
      'dev',
      '--patch-operations',
      JSON.stringify([
        {op: 'replace', path: '/~1pets~1{petId}/GET/throttling/burstLimit', value: '7'},
        {op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR'},
      ]),
    )
    // Then the stage shows the settings under AWS's keys
    const settings = stage.methodSettings as Record<string, {throttlingBurstLimit: number; loggingLevel?: string}>
    assert.equal(settings['pets/{petId}/GET']?.throttlingBurstLimit, 7)
    assert.equal(settings['*/*']?.loggingLevel, 'ERROR')
    const stages = await json('get-stages', '--rest-api-id', id, '--deployment-id', dep.id as string)
    assert.deepEqual(
      (stages.item as Array<{stageName: string}>).map((s) => s.stageName),
      ['dev'],
    )
    // And the export is written as YAML
    const file = join(dir, 'export.yaml')
    const exported = await json(
      'get-export',
      '--rest-api-id',
      id,
      '--stage-name',
      'dev',
      '--export-type',
      'oas30',
      '--accepts',
      'application/yaml',
      file,
    )
    // (the spec has no info.version, so AWS names the file after the deployment date)
    assert.match(exported.contentDisposition as string, /filename="oas30_\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.yaml"/)
    const doc = parseYaml(readFileSync(file, 'utf8')) as {paths: Record<string, unknown>}
    assert.deepEqual(Object.keys(doc.paths).sort(), ['/pets', '/pets/{petId}'])
    // And the deployment in use cannot be deleted: AWS's error, exit code 254
    const refused = await aws('delete-deployment', '--rest-api-id', id, '--deployment-id', dep.id as string)
    assert.equal(refused.code, 254)
    assert.match(refused.stderr, /BadRequestException.*Active stages pointing to this deployment must be moved or deleted/)
    // And the API is deleted
    assert.equal((await aws('delete-rest-api', '--rest-api-id', id)).code, 0)
    const gone = await aws('get-rest-api', '--rest-api-id', id)
    assert.match(gone.stderr, /NotFoundException/)
  })
})
