/**
 * Shared by the export-* and logs-cli-* wire tests: a stage deployed through the SDK directly (so these
 * tests do not depend on the deploy command), a project directory naming it, and the apigw commands run
 * from src/ in a child process aimed at the emulator with --endpoint-url.
 */
import {spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {CreateDeploymentCommand, ImportRestApiCommand, UpdateStageCommand} from '@aws-sdk/client-api-gateway'
import {CreateDeploymentCommand as CreateDeploymentV2Command, CreateStageCommand, ImportApiCommand} from '@aws-sdk/client-apigatewayv2'
import type {TestEmulator} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

export const repoRoot = new URL('../../', import.meta.url).pathname

/** A REST spec with MOCK integrations, typed shapes and parameters. */
export function petsRestSpec(title = 'pets'): Record<string, unknown> {
  const mock = {type: 'mock', requestTemplates: {'application/json': '{"statusCode": 200}'}, responses: {default: {statusCode: '200'}}}
  return {
    openapi: '3.0.1',
    info: {title, version: '1.0.0'},
    paths: {
      '/pets': {
        get: {
          operationId: 'listPets',
          parameters: [{name: 'limit', in: 'query', required: false, schema: {type: 'string'}}],
          responses: {'200': {description: '200 response', content: {'application/json': {schema: {$ref: '#/components/schemas/Pets'}}}}},
          'x-amazon-apigateway-integration': mock,
        },
        post: {
          operationId: 'createPet',
          requestBody: {required: true, content: {'application/json': {schema: {$ref: '#/components/schemas/NewPet'}}}},
          responses: {'200': {description: '200 response', content: {'application/json': {schema: {$ref: '#/components/schemas/Pet'}}}}},
          'x-amazon-apigateway-integration': mock,
        },
      },
      '/pets/{petId}': {
        get: {
          operationId: 'getPet',
          parameters: [{name: 'petId', in: 'path', required: true, schema: {type: 'string'}}],
          responses: {'200': {description: '200 response', content: {'application/json': {schema: {$ref: '#/components/schemas/Pet'}}}}},
          'x-amazon-apigateway-integration': mock,
        },
      },
    },
    components: {
      schemas: {
        NewPet: {type: 'object', required: ['name'], properties: {name: {type: 'string'}, tag: {type: 'string'}}},
        Pet: {type: 'object', required: ['id', 'name'], properties: {id: {type: 'integer'}, name: {type: 'string'}, tag: {type: 'string'}}},
        Pets: {type: 'array', items: {$ref: '#/components/schemas/Pet'}},
      },
    },
  }
}

/** A small HTTP API spec. */
export function petsHttpSpec(title = 'pets-http'): Record<string, unknown> {
  const proxy = (path: string) => ({type: 'HTTP_PROXY', httpMethod: 'GET', uri: `https://example.com${path}`, payloadFormatVersion: '1.0'})
  return {
    openapi: '3.0.1',
    info: {title, version: '1.0.0'},
    paths: {
      '/pets': {get: {operationId: 'listPets', responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': proxy('/pets')}},
      '/pets/{petId}': {
        get: {
          operationId: 'getPet',
          parameters: [{name: 'petId', in: 'path', required: true, schema: {type: 'string'}}],
          responses: {'200': {description: 'ok'}},
          'x-amazon-apigateway-integration': proxy('/pets/{petId}'),
        },
      },
    },
  }
}

/** ImportRestApi + CreateDeployment with a stage name; returns the REST API id. */
export async function deployRest(emu: TestEmulator, spec: Record<string, unknown>, stageName: string): Promise<string> {
  const api = await emu.v1.send(new ImportRestApiCommand({body: new TextEncoder().encode(JSON.stringify(spec))}))
  await emu.v1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName}))
  return api.id!
}

/** v2 ImportApi + CreateStage + CreateDeployment; returns the API id. */
export async function deployHttp(emu: TestEmulator, spec: Record<string, unknown>, stageName: string): Promise<string> {
  const api = await emu.v2.send(new ImportApiCommand({Body: JSON.stringify(spec)}))
  await emu.v2.send(new CreateStageCommand({ApiId: api.ApiId!, StageName: stageName}))
  await emu.v2.send(new CreateDeploymentV2Command({ApiId: api.ApiId!, StageName: stageName}))
  return api.ApiId!
}

/** Point a REST stage's access logs at a log group (UpdateStage), as deploy does. */
export async function setAccessLogs(emu: TestEmulator, restApiId: string, stageName: string, logGroup: string): Promise<void> {
  await emu.v1.send(
    new UpdateStageCommand({
      restApiId,
      stageName,
      patchOperations: [
        {op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:us-east-1:000000000000:log-group:${logGroup}`},
        {op: 'replace', path: '/accessLogSettings/format', value: '{"requestId":"$context.requestId","status":"$context.status"}'},
      ],
    }),
  )
}

/** A project directory whose apigw.yaml names the APIs. */
export function writeProject(apis: Record<string, {type: 'rest' | 'http'; stages: string[]}>): string {
  const dir = tempDir('apigw-x7-')
  const lines = ['apis:']
  for (const [name, a] of Object.entries(apis)) {
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(a.type === 'rest' ? petsRestSpec(name) : petsHttpSpec(name)))
    lines.push(`  ${name}:`, `    type: ${a.type}`, `    spec: ${name}.json`, '    stages:', ...a.stages.map((s) => `      ${s}: {}`))
  }
  writeFileSync(join(dir, 'apigw.yaml'), `${lines.join('\n')}\n`)
  return dir
}

export type Run = {code: number | null; stdout: string; stderr: string}

const RUNNER = `
const [root, file, ...argv] = process.argv.slice(1)
const {default: Command} = await import(file)
await Command.run(argv, root)
`

const COMMAND_FILES: Record<string, string> = {
  logs: 'src/commands/logs.ts',
  'export spec': 'src/commands/export/spec.ts',
  'export sdk': 'src/commands/export/sdk.ts',
}

export type Started = {child: ReturnType<typeof spawn>; done: Promise<Run>; stdout(): string; stderr(): string}

/** Start `apigw <command> ...args` from src/ against the emulator; stdout is a pipe (never a TTY). */
export function startApigw(
  command: keyof typeof COMMAND_FILES | string,
  args: string[],
  options: {cwd: string; endpoint: string; env?: Record<string, string>},
): Started {
  const file = join(repoRoot, COMMAND_FILES[command]!)
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TMPDIR: process.env.TMPDIR ?? '',
    NO_COLOR: '1',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    APIGW_CONTROL_PLANE_RATES: 'off',
    ...options.env,
  }
  // An empty endpoint leaves the target to the flags (e.g. --local).
  const target = options.endpoint ? ['--endpoint-url', options.endpoint] : []
  const child = spawn(process.execPath, ['--input-type=module', '-e', RUNNER, repoRoot, file, ...args, ...target], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
  })
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
  })
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({code, stdout, stderr})))
  return {child, done, stdout: () => stdout, stderr: () => stderr}
}

export async function runApigw(
  command: string,
  args: string[],
  options: {cwd: string; endpoint: string; env?: Record<string, string>; timeoutMs?: number},
): Promise<Run> {
  const started = startApigw(command, args, options)
  const timer = setTimeout(() => started.child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
  const run = await started.done
  clearTimeout(timer)
  return run
}
