/**
 * A local `$ref` to nothing in an imported document: a parse warning in the words of API Gateway's importer; with
 * failOnWarnings the import is refused and nothing changes (ImportApi, ReimportApi, ImportRestApi, PutRestApi).
 * The message is the one moto's test_reimport_api_failonwarnings pins for ReimportApi (AWS's own recording is not
 * in corpus/aws-ground-truth, which has no v2 recordings).
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {GetRestApiCommand, ImportRestApiCommand, PutRestApiCommand} from '@aws-sdk/client-api-gateway'
import {CreateApiCommand, GetApiCommand, GetApisCommand, ImportApiCommand, ReimportApiCommand} from '@aws-sdk/client-apigatewayv2'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

const MISSING =
  "Parse issue: attribute paths.'/update'(get).responses.200.content.schema.#/components/schemas/ModelThatDoesNotExist is missing"

const spec = (title: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      openapi: '3.0.1',
      info: {title, version: '2.0'},
      paths: {
        '/update': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'HTTP_PROXY',
              httpMethod: 'GET',
              payloadFormatVersion: '1.0',
              uri: 'https://example.com',
            },
            responses: {
              '200': {
                description: 'ok',
                content: {'application/json': {schema: {$ref: '#/components/schemas/ModelThatDoesNotExist'}}},
              },
            },
          },
        },
      },
      ...extra,
    },
    null,
    2,
  )

async function refused(call: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(call, (e: Error & {$metadata: {httpStatusCode?: number}}) => {
    assert.equal(e.name, 'BadRequestException')
    assert.equal(e.$metadata.httpStatusCode, 400)
    assert.equal(e.message, message)
    return true
  })
}

describe('imports with a dangling $ref: a warning, refused with failOnWarnings', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator({region: 'eu-west-1'})
  })
  after(async () => {
    await t.close()
  })

  it('ReimportApi with FailOnWarnings is refused and leaves the API as it was; without, it imports and warns', async () => {
    const {ApiId} = await t.v2.send(new CreateApiCommand({Name: 'test-import-api', ProtocolType: 'HTTP'}))
    // When reimported with FailOnWarnings, Then AWS's parse warning refuses it
    await refused(
      t.v2.send(new ReimportApiCommand({ApiId, Body: spec('Title test'), FailOnWarnings: true})),
      `Warnings found during import:\n\t${MISSING}`,
    )
    assert.equal((await t.v2.send(new GetApiCommand({ApiId}))).Name, 'test-import-api')
    // When reimported without it, Then the document is imported and the warning returned
    const out = await t.v2.send(new ReimportApiCommand({ApiId, Body: spec('Title test'), FailOnWarnings: false}))
    assert.deepEqual(out.Warnings, [MISSING])
    assert.equal((await t.v2.send(new GetApiCommand({ApiId}))).Name, 'Title test')
  })

  it('ImportApi with FailOnWarnings creates nothing; every dangling reference is listed, others are not', async () => {
    const body = spec('Dangling', {
      components: {
        schemas: {Pet: {type: 'object', properties: {owner: {$ref: '#/components/schemas/Owner'}, ok: {$ref: '#/components/schemas/Pet'}}}},
      },
    })
    const before = (await t.v2.send(new GetApisCommand({}))).Items!.length
    await refused(
      t.v2.send(new ImportApiCommand({Body: body, FailOnWarnings: true})),
      `Warnings found during import:\n\t${MISSING}\n\tParse issue: attribute components.schemas.Pet.properties.owner.#/components/schemas/Owner is missing`,
    )
    assert.equal((await t.v2.send(new GetApisCommand({}))).Items!.length, before)
  })

  it('ImportRestApi and PutRestApi (v1) with failonwarnings refuse it too; without, they import with the warning', async () => {
    await refused(
      t.v1.send(new ImportRestApiCommand({body: Buffer.from(spec('rest')), failOnWarnings: true})),
      `Warnings found during import:\n\t${MISSING}`,
    )
    const api = await t.v1.send(new ImportRestApiCommand({body: Buffer.from(spec('rest'))}))
    assert.deepEqual(api.warnings, [MISSING])
    await refused(
      t.v1.send(new PutRestApiCommand({restApiId: api.id!, mode: 'overwrite', body: Buffer.from(spec('renamed')), failOnWarnings: true})),
      `Warnings found during import:\n\t${MISSING}`,
    )
    assert.equal((await t.v1.send(new GetRestApiCommand({restApiId: api.id!}))).name, 'rest')
  })
})
