/**
 * Every operation of API Gateway v1 and v2, as the installed SDK packages' models list them, sent through the real
 * SDK clients to the emulator: none may answer 501 NotImplemented (or be unknown to the emulator) unless it is in
 * EXPECTED_501, and every operation in EXPECTED_501 must still answer 501 (remove it from the list when you land it).
 *
 * The operations come from the packages at run time: each `XxxCommand` class the package exports has its model's
 * operation schema exported beside it as `Xxx$` (`[9, namespace, name, {http: [method, uri, code]}, input, output]`);
 * its URI template names the path labels, which get fake values (the SDK refuses a command without them). Nothing else
 * of the input is filled: a 400 or 404 is a fine answer here, only 501 and "no such operation" are not.
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import * as v1Package from '@aws-sdk/client-api-gateway'
import * as v2Package from '@aws-sdk/client-apigatewayv2'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

/**
 * The operations that answer 501 today, by service. The portal families are not emulated, for good (issue 15); the
 * others are being implemented: whoever lands an operation removes it from here (the test fails until they do).
 */
const EXPECTED_501: {v1: readonly string[]; v2: readonly string[]} = {
  v1: [],
  v2: [
    // For good (issue 15 point 1): developer portals, portal products, product pages, product REST endpoint pages.
    'CreatePortal',
    'ListPortals',
    'GetPortal',
    'UpdatePortal',
    'DeletePortal',
    'PreviewPortal',
    'PublishPortal',
    'DisablePortal',
    'CreatePortalProduct',
    'ListPortalProducts',
    'GetPortalProduct',
    'UpdatePortalProduct',
    'DeletePortalProduct',
    'GetPortalProductSharingPolicy',
    'PutPortalProductSharingPolicy',
    'DeletePortalProductSharingPolicy',
    'CreateProductPage',
    'ListProductPages',
    'GetProductPage',
    'UpdateProductPage',
    'DeleteProductPage',
    'CreateProductRestEndpointPage',
    'ListProductRestEndpointPages',
    'GetProductRestEndpointPage',
    'UpdateProductRestEndpointPage',
    'DeleteProductRestEndpointPage',
  ],
}

type Service = 'v1' | 'v2'
type Operation = {service: Service; name: string; method: string; uri: string; command: new (input: object) => object}

/** The operations of one SDK package: every exported `XxxCommand` with its operation schema `Xxx$`. */
function operationsOf(service: Service, pkg: Record<string, unknown>): Operation[] {
  const ops: Operation[] = []
  for (const [key, value] of Object.entries(pkg)) {
    if (!key.endsWith('Command') || typeof value !== 'function') continue
    const name = key.slice(0, -'Command'.length)
    const schema = pkg[`${name}$`]
    if (!Array.isArray(schema) || schema[0] !== 9) continue
    const http = (schema[3] as {http?: [string, string, number]}).http
    assert.ok(http, `${service} ${name}: the operation schema has no http binding`)
    ops.push({service, name, method: http[0], uri: http[1], command: value as Operation['command']})
  }
  return ops.sort((a, b) => a.name.localeCompare(b.name))
}

/** Fake values for the URI's labels (`{restApiId}`, `{ResourceArn+}`): enough for the SDK to serialize the request. */
function labelInput(op: Operation): Record<string, string> {
  const input: Record<string, string> = {}
  for (const [, label] of op.uri.matchAll(/\{([^}+]+)\+?\}/g)) {
    input[label!] = /arn/i.test(label!) ? 'arn:aws:apigateway:us-east-1::/restapis/nosuchapi' : /method/i.test(label!) ? 'GET' : 'nosuchid'
  }
  return input
}

type Answer = {status: number | undefined; code: string; message: string}

async function ask(client: {send(command: object): Promise<unknown>}, op: Operation): Promise<Answer> {
  try {
    const out = (await client.send(new op.command(labelInput(op)))) as {$metadata?: {httpStatusCode?: number}}
    return {status: out.$metadata?.httpStatusCode, code: 'OK', message: ''}
  } catch (error) {
    const e = error as {name?: string; message?: string; $metadata?: {httpStatusCode?: number}}
    return {status: e.$metadata?.httpStatusCode, code: e.name ?? 'Error', message: e.message ?? ''}
  }
}

describe('every operation of API Gateway v1 and v2 answers (no unexpected 501)', () => {
  let t: TestEmulator
  const operations = [
    ...operationsOf('v1', v1Package as unknown as Record<string, unknown>),
    ...operationsOf('v2', v2Package as unknown as Record<string, unknown>),
  ]
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  it('finds the operations of both models in the SDK packages', () => {
    // Given the installed packages, Then both services' operation lists are there (124 and 103 when written)
    const count = (s: Service) => operations.filter((o) => o.service === s).length
    assert.ok(count('v1') >= 120, `v1 operations found: ${count('v1')}`)
    assert.ok(count('v2') >= 100, `v2 operations found: ${count('v2')}`)
    // And every name in EXPECTED_501 is an operation of its model (a typo would pass the reverse check silently)
    for (const s of ['v1', 'v2'] as const) {
      for (const name of EXPECTED_501[s]) {
        assert.ok(
          operations.some((o) => o.service === s && o.name === name),
          `${s} ${name} in EXPECTED_501 is no operation of the model`,
        )
      }
    }
  })

  it('answers every operation, 501 only for those in EXPECTED_501', async () => {
    const unexpected: string[] = []
    const landed: string[] = []
    for (const op of operations) {
      // When each operation is sent with only its path labels filled in
      const answer = await ask(op.service === 'v1' ? t.v1 : t.v2, op)
      const notImplemented = answer.status === 501 || answer.code === 'NotImplementedException'
      // An operation the emulator does not route at all is as bad as a 501
      const unknown = answer.code === 'UnknownOperationException'
      const expected = EXPECTED_501[op.service].includes(op.name)
      const where = `${op.service} ${op.name} (${op.method} ${op.uri})`
      if (expected && !notImplemented && !unknown) {
        landed.push(`${where} answers ${answer.status} ${answer.code}: remove it from EXPECTED_501`)
      } else if (expected && notImplemented && !answer.message.includes(op.name)) {
        unexpected.push(`${where}: the 501 does not name the operation: ${answer.message}`)
      } else if (!expected && (notImplemented || unknown)) {
        unexpected.push(`${where} answers ${answer.status} ${answer.code}: ${answer.message}`)
      }
    }
    // Then nothing unexpected answers 501, and nothing listed as 501 has been implemented meanwhile
    assert.deepEqual(unexpected, [], `operations answering 501 or unknown:\n${unexpected.join('\n')}`)
    assert.deepEqual(landed, [], `implemented operations still in EXPECTED_501:\n${landed.join('\n')}`)
  })
})
