/**
 * Documentation parts and versions of a REST API through the AWS SDK and the AWS CLI v2: AWS's location rules per
 * type, the filters and paging of GetDocumentationParts, the patch, ImportDocumentationParts (merge, overwrite,
 * failOnWarnings), versions published to a stage, the parts an OpenAPI import carries, and GetExport with
 * `extensions=documentation`. Messages: recorded ones from corpus/aws-ground-truth/19 and the developer guide's 409.
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {rmSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'
import {
  CreateDeploymentCommand,
  CreateDocumentationPartCommand,
  CreateDocumentationVersionCommand,
  CreateStageCommand,
  DeleteDocumentationPartCommand,
  DeleteDocumentationVersionCommand,
  GetDocumentationPartCommand,
  GetDocumentationPartsCommand,
  GetDocumentationVersionCommand,
  GetDocumentationVersionsCommand,
  GetExportCommand,
  GetStageCommand,
  ImportDocumentationPartsCommand,
  ImportRestApiCommand,
  PutRestApiCommand,
  UpdateDocumentationPartCommand,
  UpdateDocumentationVersionCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {rejectsWith} from '../helpers/rejects.ts'
import {tempDir} from '../helpers/temp.ts'

const run = promisify(execFile)

/** A small OAS 3.0 API with two MOCK methods, a query parameter and, optionally, documentation parts. */
function spec(documentation?: unknown[]): string {
  const mock = {type: 'mock', requestTemplates: {'application/json': '{"statusCode": 200}'}, responses: {default: {statusCode: '200'}}}
  return JSON.stringify({
    openapi: '3.0.1',
    info: {title: 'documented', version: '1.0.0'},
    paths: {
      '/pets': {
        get: {
          parameters: [{name: 'limit', in: 'query', schema: {type: 'string'}}],
          responses: {'200': {description: 'ok'}},
          'x-amazon-apigateway-integration': mock,
        },
        post: {responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': mock},
      },
    },
    ...(documentation ? {'x-amazon-apigateway-documentation': {version: '1', documentationParts: documentation}} : {}),
  })
}

const PARTS = [
  {location: {type: 'API'}, properties: {info: {description: 'Pets for everyone.'}}},
  {location: {type: 'METHOD', path: '/pets', method: 'GET'}, properties: {summary: 'List pets', tags: ['pets']}},
  {location: {type: 'QUERY_PARAMETER', path: '/pets', method: 'GET', name: 'limit'}, properties: {description: 'At most this many.'}},
  {location: {type: 'RESPONSE', path: '/pets', method: 'GET', statusCode: '200'}, properties: {description: 'The pets.'}},
]

describe('v1 documentation parts and versions', () => {
  let t: TestEmulator
  let home: string
  before(async () => {
    t = await startTestEmulator()
    home = tempDir('apigw-awscli-docs-')
  })
  after(async () => {
    await t.close()
    rmSync(home, {recursive: true, force: true})
  })

  const importApi = async (documentation?: unknown[]): Promise<string> =>
    (await t.v1.send(new ImportRestApiCommand({body: Buffer.from(spec(documentation))}))).id!

  it('creates parts with AWS defaults and refuses fields a type does not take, a missing name and a taken location', async () => {
    const restApiId = await importApi()
    // Given parts for the API, a resource and a method without method
    const api = await t.v1.send(new CreateDocumentationPartCommand({restApiId, location: {type: 'API'}, properties: '{"info":{}}'}))
    const resource = await t.v1.send(new CreateDocumentationPartCommand({restApiId, location: {type: 'RESOURCE'}, properties: '{}'}))
    const method = await t.v1.send(
      new CreateDocumentationPartCommand({restApiId, location: {type: 'METHOD', path: '/pets'}, properties: '{"summary":"x"}'}),
    )
    // Then the defaults are filled as AWS's examples show them: path '/', method '*'
    assert.deepEqual(api.location, {type: 'API'})
    assert.deepEqual(resource.location, {type: 'RESOURCE', path: '/'})
    assert.deepEqual(method.location, {type: 'METHOD', path: '/pets', method: '*'})
    assert.match(api.id!, /^[a-z0-9]{6}$/)
    // And a second part at the same location is AWS's 409 (developer guide wording)
    await rejectsWith(t.v1.send(new CreateDocumentationPartCommand({restApiId, location: {type: 'API'}, properties: '{}'})), {
      name: 'ConflictException',
      status: 409,
      message: "Documentation part already exists for the specified location: type 'API'.",
    })
    await rejectsWith(
      t.v1.send(new CreateDocumentationPartCommand({restApiId, location: {type: 'METHOD', path: '/pets', method: '*'}, properties: '{}'})),
      {
        name: 'ConflictException',
        message: "Documentation part already exists for the specified location: type 'METHOD', path '/pets', method '*'.",
      },
    )
    // And the location rules per type hold
    await rejectsWith(
      t.v1.send(new CreateDocumentationPartCommand({restApiId, location: {type: 'API', method: 'GET'}, properties: '{}'})),
      {name: 'BadRequestException', message: "Invalid location attribute 'method' specified for type API."},
    )
    await rejectsWith(
      t.v1.send(new CreateDocumentationPartCommand({restApiId, location: {type: 'RESOURCE', statusCode: '200'}, properties: '{}'})),
      {name: 'BadRequestException', message: "Invalid location attribute 'statusCode' specified for type RESOURCE."},
    )
    await rejectsWith(t.v1.send(new CreateDocumentationPartCommand({restApiId, location: {type: 'MODEL'}, properties: '{}'})), {
      name: 'BadRequestException',
      message: "Location attribute 'name' is required for type MODEL.",
    })
    // And an unknown type is Coral's enum message, recorded (19, create_documentation_part_invalid_location_type)
    await rejectsWith(t.v1.send(new CreateDocumentationPartCommand({restApiId, location: {type: 'INVALID' as 'API'}, properties: '{}'})), {
      name: 'ValidationException',
      message:
        "1 validation error detected: Value 'INVALID' at 'createDocumentationPartInput.location.type' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [RESPONSE_BODY, RESPONSE, METHOD, MODEL, AUTHORIZER, RESPONSE_HEADER, RESOURCE, ' +
        'PATH_PARAMETER, REQUEST_BODY, QUERY_PARAMETER, API, REQUEST_HEADER]',
    })
    // And unknown ids and APIs answer the recorded messages
    await rejectsWith(t.v1.send(new GetDocumentationPartCommand({restApiId, documentationPartId: 'nope00'})), {
      name: 'NotFoundException',
      message: 'Invalid Documentation part identifier specified',
    })
    await rejectsWith(t.v1.send(new GetDocumentationPartsCommand({restApiId: 'noapi00000'})), {
      name: 'NotFoundException',
      message: 'Invalid API identifier specified 000000000000:noapi00000',
    })
  })

  it('filters by type, path, name and location status, pages, patches /properties only and deletes', async () => {
    const restApiId = await importApi(PARTS)
    await t.v1.send(new CreateDocumentationPartCommand({restApiId, location: {type: 'RESOURCE', path: '/pets'}, properties: '{}'}))
    const all = await t.v1.send(new GetDocumentationPartsCommand({restApiId}))
    assert.equal(all.items?.length, 5)
    const byType = await t.v1.send(new GetDocumentationPartsCommand({restApiId, type: 'QUERY_PARAMETER'}))
    assert.deepEqual(
      byType.items?.map((p) => p.location),
      [{type: 'QUERY_PARAMETER', path: '/pets', method: 'GET', name: 'limit'}],
    )
    const byName = await t.v1.send(new GetDocumentationPartsCommand({restApiId, nameQuery: 'lim'}))
    assert.equal(byName.items?.length, 1)
    const byPath = await t.v1.send(new GetDocumentationPartsCommand({restApiId, path: '/pets'}))
    assert.equal(byPath.items?.length, 4)
    const undocumented = await t.v1.send(new GetDocumentationPartsCommand({restApiId, locationStatus: 'UNDOCUMENTED'}))
    assert.deepEqual(
      undocumented.items?.map((p) => p.location?.type),
      ['RESOURCE'],
    )
    // Paging: two pages of 3 and 2
    const first = await t.v1.send(new GetDocumentationPartsCommand({restApiId, limit: 3}))
    const second = await t.v1.send(new GetDocumentationPartsCommand({restApiId, limit: 3, position: first.position}))
    assert.deepEqual([first.items?.length, second.items?.length, second.position], [3, 2, undefined])
    // Update: /properties replace only (recorded messages, 19)
    const part = all.items![0]!
    const updated = await t.v1.send(
      new UpdateDocumentationPartCommand({
        restApiId,
        documentationPartId: part.id!,
        patchOperations: [{op: 'replace', path: '/properties', value: '{"info":{"description":"new"}}'}],
      }),
    )
    assert.equal(updated.properties, '{"info":{"description":"new"}}')
    await rejectsWith(
      t.v1.send(
        new UpdateDocumentationPartCommand({
          restApiId,
          documentationPartId: part.id!,
          patchOperations: [{op: 'replace', path: '/invalidPath', value: '{}'}],
        }),
      ),
      {
        name: 'BadRequestException',
        message: "Invalid patch path  '/invalidPath' specified for op 'replace'. Must be one of: [/properties]",
      },
    )
    await rejectsWith(
      t.v1.send(
        new UpdateDocumentationPartCommand({
          restApiId,
          documentationPartId: part.id!,
          patchOperations: [{op: 'add', path: '/properties', value: '{}'}],
        }),
      ),
      {
        name: 'BadRequestException',
        message: "Invalid patch path  '/properties' specified for op 'add'. Please choose supported operations",
      },
    )
    await t.v1.send(new DeleteDocumentationPartCommand({restApiId, documentationPartId: part.id!}))
    await rejectsWith(t.v1.send(new GetDocumentationPartCommand({restApiId, documentationPartId: part.id!})), {name: 'NotFoundException'})
  })

  it('imports parts with merge and overwrite, warns on a bad part and fails on it with failOnWarnings', async () => {
    const restApiId = await importApi([PARTS[0]])
    const [apiPart] = (await t.v1.send(new GetDocumentationPartsCommand({restApiId}))).items!
    // Merge: the API part keeps its id with new properties, the method part is added
    const merged = await t.v1.send(
      new ImportDocumentationPartsCommand({
        restApiId,
        body: Buffer.from(spec([{location: {type: 'API'}, properties: {info: {description: 'v2'}}}, PARTS[1]])),
      }),
    )
    assert.equal(merged.ids?.length, 2)
    assert.equal(merged.ids?.[0], apiPart!.id)
    const afterMerge = await t.v1.send(new GetDocumentationPartsCommand({restApiId}))
    assert.equal(afterMerge.items?.length, 2)
    assert.deepEqual(JSON.parse(afterMerge.items![0]!.properties!), {info: {description: 'v2'}})
    // Overwrite: only the imported parts remain
    const overwritten = await t.v1.send(
      new ImportDocumentationPartsCommand({restApiId, mode: 'overwrite', body: Buffer.from(spec([PARTS[2]]))}),
    )
    const afterOverwrite = await t.v1.send(new GetDocumentationPartsCommand({restApiId}))
    assert.deepEqual(
      afterOverwrite.items?.map((p) => p.id),
      overwritten.ids,
    )
    assert.equal(afterOverwrite.items?.[0]?.location?.type, 'QUERY_PARAMETER')
    // A part AWS refuses is a warning, and with failOnWarnings nothing is imported
    const bad = spec([{location: {type: 'MODEL'}, properties: {}}, PARTS[0]])
    const warned = await t.v1.send(new ImportDocumentationPartsCommand({restApiId, body: Buffer.from(bad)}))
    assert.equal(warned.ids?.length, 1)
    assert.match(warned.warnings?.[0] ?? '', /Documentation part 1 was not imported: Location attribute 'name' is required for type MODEL/)
    await rejectsWith(
      t.v1.send(new ImportDocumentationPartsCommand({restApiId, mode: 'overwrite', failOnWarnings: true, body: Buffer.from(bad)})),
      {
        name: 'BadRequestException',
        message: /^Warnings found during import:/,
      },
    )
    assert.equal((await t.v1.send(new GetDocumentationPartsCommand({restApiId}))).items?.length, 2)
    // A body that is no OpenAPI document is AWS's recorded message (19, import-documentation-parts-bad-json-file)
    await rejectsWith(t.v1.send(new ImportDocumentationPartsCommand({restApiId, body: Buffer.from('{"not": "openapi"')})), {
      name: 'BadRequestException',
      message: 'Unable to build importer with provided input.',
    })
  })

  it('PutRestApi overwrite replaces the parts, merge keeps them, ignore=documentation and a body without them skip them', async () => {
    const restApiId = await importApi(PARTS)
    assert.equal((await t.v1.send(new GetDocumentationPartsCommand({restApiId}))).items?.length, 4)
    await t.v1.send(new PutRestApiCommand({restApiId, mode: 'merge', body: Buffer.from(spec([PARTS[0]]))}))
    assert.equal((await t.v1.send(new GetDocumentationPartsCommand({restApiId}))).items?.length, 4)
    await t.v1.send(new PutRestApiCommand({restApiId, mode: 'overwrite', body: Buffer.from(spec([PARTS[0]]))}))
    assert.equal((await t.v1.send(new GetDocumentationPartsCommand({restApiId}))).items?.length, 1)
    await t.v1.send(
      new PutRestApiCommand({restApiId, mode: 'overwrite', parameters: {ignore: 'documentation'}, body: Buffer.from(spec(PARTS))}),
    )
    assert.equal((await t.v1.send(new GetDocumentationPartsCommand({restApiId}))).items?.length, 1)
    // And a body without the extension leaves the parts as they are
    await t.v1.send(new PutRestApiCommand({restApiId, mode: 'overwrite', body: Buffer.from(spec())}))
    assert.equal((await t.v1.send(new GetDocumentationPartsCommand({restApiId}))).items?.length, 1)
  })

  it('publishes a version to a stage, exports it with extensions=documentation, and keeps the version frozen', async () => {
    const restApiId = await importApi(PARTS)
    const deployment = await t.v1.send(new CreateDeploymentCommand({restApiId}))
    await t.v1.send(new CreateStageCommand({restApiId, stageName: 'prod', deploymentId: deployment.id!}))
    // When version 1.0.0 is published to prod
    const v = await t.v1.send(
      new CreateDocumentationVersionCommand({restApiId, documentationVersion: '1.0.0', stageName: 'prod', description: 'first'}),
    )
    assert.equal(v.version, '1.0.0')
    assert.ok(v.createdDate instanceof Date)
    assert.equal((await t.v1.send(new GetStageCommand({restApiId, stageName: 'prod'}))).documentationVersion, '1.0.0')
    await rejectsWith(t.v1.send(new CreateDocumentationVersionCommand({restApiId, documentationVersion: '1.0.0'})), {
      name: 'ConflictException',
    })
    // And a part changes afterwards
    const parts = (await t.v1.send(new GetDocumentationPartsCommand({restApiId, type: 'METHOD'}))).items!
    await t.v1.send(
      new UpdateDocumentationPartCommand({
        restApiId,
        documentationPartId: parts[0]!.id!,
        patchOperations: [{op: 'replace', path: '/properties', value: '{"summary":"changed later"}'}],
      }),
    )
    // Then the export carries the version's parts: merged into the entities, and as the extension
    const exported = await t.v1.send(
      new GetExportCommand({restApiId, stageName: 'prod', exportType: 'oas30', parameters: {extensions: 'documentation'}}),
    )
    const doc = JSON.parse(Buffer.from(exported.body!).toString('utf8'))
    assert.equal(doc.info.description, 'Pets for everyone.')
    assert.equal(doc.paths['/pets'].get.summary, 'List pets')
    assert.deepEqual(doc.paths['/pets'].get.tags, ['pets'])
    assert.equal(doc.paths['/pets'].get.parameters[0].description, 'At most this many.')
    assert.equal(doc.paths['/pets'].get.responses['200'].description, 'The pets.')
    assert.equal(doc.paths['/pets'].post.summary, undefined)
    assert.equal(doc['x-amazon-apigateway-documentation'].version, '1.0.0')
    assert.equal(doc['x-amazon-apigateway-documentation'].documentationParts.length, 4)
    // Without the extension the entities still carry the published text, the parts do not
    const plain = JSON.parse(
      Buffer.from((await t.v1.send(new GetExportCommand({restApiId, stageName: 'prod', exportType: 'swagger'}))).body!).toString('utf8'),
    )
    assert.equal(plain.paths['/pets'].get.summary, 'List pets')
    assert.equal(plain['x-amazon-apigateway-documentation'], undefined)
    // Versions: list, get, update the description, point the stage elsewhere, delete
    await t.v1.send(new CreateDocumentationVersionCommand({restApiId, documentationVersion: '1.1.0'}))
    const versions = await t.v1.send(new GetDocumentationVersionsCommand({restApiId}))
    assert.deepEqual(
      versions.items?.map((x) => x.version),
      ['1.0.0', '1.1.0'],
    )
    const renamed = await t.v1.send(
      new UpdateDocumentationVersionCommand({
        restApiId,
        documentationVersion: '1.1.0',
        patchOperations: [{op: 'replace', path: '/description', value: 'second'}],
      }),
    )
    assert.equal(renamed.description, 'second')
    await t.v1.send(
      new UpdateStageCommand({
        restApiId,
        stageName: 'prod',
        patchOperations: [{op: 'replace', path: '/documentationVersion', value: '1.1.0'}],
      }),
    )
    const second = JSON.parse(
      Buffer.from((await t.v1.send(new GetExportCommand({restApiId, stageName: 'prod', exportType: 'oas30'}))).body!).toString('utf8'),
    )
    assert.equal(second.paths['/pets'].get.summary, 'changed later')
    await t.v1.send(new DeleteDocumentationVersionCommand({restApiId, documentationVersion: '1.0.0'}))
    await rejectsWith(t.v1.send(new GetDocumentationVersionCommand({restApiId, documentationVersion: '1.0.0'})), {
      name: 'NotFoundException',
      message: 'Invalid Documentation version identifier specified',
    })
  })

  it('answers the AWS CLI v2: create-documentation-part, get-documentation-parts, create-documentation-version', async (ctx) => {
    const reason = awsCliSkipReason()
    if (reason) return ctx.skip(reason)
    const restApiId = await importApi()
    const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
      const {stdout} = await run(AWS_CLI, ['apigateway', ...args, '--endpoint-url', t.url, '--output', 'json', '--no-cli-pager'], {
        env: awsCliEnv(home),
        timeout: 60_000,
      })
      return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>)
    }
    const part = await aws(
      'create-documentation-part',
      '--rest-api-id',
      restApiId,
      '--location',
      'type=METHOD,path=/pets,method=GET',
      '--properties',
      '{"summary":"List pets"}',
    )
    assert.deepEqual(part.location, {type: 'METHOD', path: '/pets', method: 'GET'})
    const listed = await aws('get-documentation-parts', '--rest-api-id', restApiId, '--type', 'METHOD')
    assert.deepEqual(
      (listed.items as Array<{id: string}>).map((p) => p.id),
      [part.id],
    )
    const version = await aws('create-documentation-version', '--rest-api-id', restApiId, '--documentation-version', 'v1')
    assert.equal(version.version, 'v1')
    const versions = await aws('get-documentation-versions', '--rest-api-id', restApiId)
    assert.deepEqual(
      (versions.items as Array<{version: string}>).map((v) => v.version),
      ['v1'],
    )
  })
})
