/** Shared by the lifecycle wire tests: a temp project (apigw.yaml + specs) and deps aimed at a test emulator. */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {createAwsClients} from '../../src/aws/clients.ts'
import {createApiGatewayPort} from '../../src/aws/api-gateway.ts'
import {createApiGatewayV2Port} from '../../src/aws/api-gateway-v2.ts'
import {createExportPort} from '../../src/aws/export.ts'
import {createLogsPort} from '../../src/aws/logs.ts'
import {createScheduler} from '../../src/aws/scheduler.ts'
import type {Progress} from '../../src/deps.ts'
import type {LifecycleDeps} from '../../src/services/lifecycle/find-api.ts'
import {TEST_CREDENTIALS, type TestEmulator} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

export const mockIntegration = (body: string) => ({
  type: 'mock',
  passthroughBehavior: 'when_no_templates',
  requestTemplates: {'application/json': '{"statusCode": 200}'},
  responses: {default: {statusCode: '200', responseTemplates: {'application/json': body}}},
})

/** A small REST spec with MOCK integrations; `extra` adds paths. */
export function restSpec(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const op = (id: string, body: string) => ({
    operationId: id,
    responses: {'200': {description: 'ok', content: {'application/json': {schema: {type: 'object'}}}}},
    'x-amazon-apigateway-integration': mockIntegration(body),
  })
  return {
    openapi: '3.0.1',
    info: {title, version: '1.0.0'},
    paths: {'/health': {get: op('getHealth', '{"status":"ok"}')}, '/items': {get: op('listItems', '[]')}, ...extra},
  }
}

/** A small HTTP API spec with HTTP_PROXY integrations. */
export function httpSpec(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const op = (id: string, path: string) => ({
    operationId: id,
    responses: {'200': {description: 'ok'}},
    'x-amazon-apigateway-integration': {
      type: 'HTTP_PROXY',
      httpMethod: 'GET',
      uri: `https://example.com${path}`,
      payloadFormatVersion: '1.0',
    },
  })
  return {openapi: '3.0.1', info: {title, version: '1.0.0'}, paths: {'/pets': {get: op('listPets', '/pets')}, ...extra}}
}

export type ProjectFiles = {config: Record<string, unknown>; specs: Record<string, unknown>}

/** Write apigw.yaml and the specs (JSON) into a fresh temp dir; returns the dir. */
export function writeProject(files: ProjectFiles, dir = tempDir('apigw-life-')): string {
  writeFileSync(join(dir, 'apigw.yaml'), JSON.stringify(files.config, null, 2))
  for (const [name, spec] of Object.entries(files.specs))
    writeFileSync(join(dir, name), typeof spec === 'string' ? spec : JSON.stringify(spec, null, 2))
  return dir
}

export type Recorded = {steps: string[]; infos: string[]; warnings: string[]}

export function recordingProgress(): Progress & {log: Recorded} {
  const log: Recorded = {steps: [], infos: [], warnings: []}
  return {
    log,
    step: (title, fn) => {
      log.steps.push(title)
      return fn()
    },
    info: (m) => log.infos.push(m),
    warn: (m) => log.warnings.push(m),
  }
}

/** Deps with real SDK clients aimed at the emulator (rates off, as for --local). */
export function emulatorDeps(emu: TestEmulator, cwd: string): LifecycleDeps & {progress: ReturnType<typeof recordingProgress>} {
  const aws = createAwsClients({endpoint: emu.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1}, true)
  const scheduler = createScheduler({rates: false})
  return {
    aws,
    clock: () => new Date(),
    progress: recordingProgress(),
    interactive: false,
    cwd,
    ports: {
      v1: createApiGatewayPort(aws, scheduler),
      v2: createApiGatewayV2Port(aws, scheduler),
      logs: createLogsPort(aws, scheduler),
      exports: createExportPort(aws, scheduler),
      region: 'us-east-1',
      scheduler,
    },
  }
}
