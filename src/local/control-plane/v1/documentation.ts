/**
 * Documentation parts and versions of a REST API: Create/Get/Update/DeleteDocumentationPart(s),
 * ImportDocumentationParts, Create/Get/Update/DeleteDocumentationVersion(s), and the parts an OpenAPI import
 * carries in `x-amazon-apigateway-documentation`.
 * AWS docs: https://docs.aws.amazon.com/apigateway/latest/api/API_DocumentationPartLocation.html (which location
 * fields each type takes, their defaults), developer guide "Document an API using the API Gateway REST API"
 * (the 409 message), recordings in corpus/aws-ground-truth/19 (the not-found and patch messages).
 */
import {OpenApiInputError, parseOpenApiDocument} from '../../openapi/import.ts'
import {AwsError, badRequest, conflict, notFound} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {Handler, OperationContext, OperationRequest} from '../../types.ts'
import {childId, KIND, requireRestApi} from '../model.ts'
import {invalidPatchPath, nowSeconds, page, readPatchOperations} from './common.ts'
import {requireStage, type StageDoc} from './lookup.ts'

/** DocumentationPartType, in the order AWS's enum message lists it (recording 19). */
export const PART_TYPES = [
  'RESPONSE_BODY',
  'RESPONSE',
  'METHOD',
  'MODEL',
  'AUTHORIZER',
  'RESPONSE_HEADER',
  'RESOURCE',
  'PATH_PARAMETER',
  'REQUEST_BODY',
  'QUERY_PARAMETER',
  'API',
  'REQUEST_HEADER',
] as const
export type PartType = (typeof PART_TYPES)[number]

export type PartLocation = {type: PartType; path?: string; method?: string; statusCode?: string; name?: string}
export type DocumentationPartDoc = {id: string; location: PartLocation; properties: string}
export type DocumentationVersionDoc = {
  version: string
  createdDate: number
  description?: string
  /** The parts as they were when the version was created: what GetExport of a stage on this version carries. */
  _parts: DocumentationPartDoc[]
}

type Field = 'path' | 'method' | 'statusCode' | 'name'
const PARAMETER_TYPES: Field[] = ['path', 'method', 'name']
/**
 * Which location fields each type takes (API_DocumentationPartLocation): `path` defaults to `/`, `method` and
 * `statusCode` to `*`; `name` is required where it is valid, except for REQUEST_BODY where it is optional (AWS's own
 * examples document a request body without a name).
 */
const FIELDS: Record<PartType, Field[]> = {
  API: [],
  AUTHORIZER: ['name'],
  MODEL: ['name'],
  RESOURCE: ['path'],
  METHOD: ['path', 'method'],
  PATH_PARAMETER: PARAMETER_TYPES,
  QUERY_PARAMETER: PARAMETER_TYPES,
  REQUEST_HEADER: PARAMETER_TYPES,
  REQUEST_BODY: ['path', 'method', 'name'],
  RESPONSE: ['path', 'method', 'statusCode'],
  RESPONSE_HEADER: ['path', 'method', 'statusCode', 'name'],
  RESPONSE_BODY: ['path', 'method', 'statusCode'],
}
const DEFAULTS: Partial<Record<Field, string>> = {path: '/', method: '*', statusCode: '*'}

const enumMessage = (value: string, member: string): string =>
  `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ` +
  `Member must satisfy enum value set: [${PART_TYPES.join(', ')}]`

/**
 * Check a location against its type and fill AWS's defaults (path `/`, method and statusCode `*`), so two
 * locations that name the same entity compare equal. Throws what CreateDocumentationPart answers.
 */
export function normaliseLocation(raw: unknown, inputName: string): PartLocation {
  const loc = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
  if (loc.type === undefined || loc.type === null) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value null at '${inputName}.location.type' failed to satisfy constraint: Member must not be null`,
      400,
    )
  }
  const type = String(loc.type)
  if (!(PART_TYPES as readonly string[]).includes(type))
    throw new AwsError('ValidationException', enumMessage(type, `${inputName}.location.type`), 400)
  const fields = FIELDS[type as PartType]
  const out: PartLocation = {type: type as PartType}
  for (const field of ['path', 'method', 'statusCode', 'name'] as const) {
    const value = loc[field]
    const given = value !== undefined && value !== null && value !== ''
    if (given && !fields.includes(field)) throw badRequest(`Invalid location attribute '${field}' specified for type ${type}.`)
    if (given) out[field] = String(value)
    else if (fields.includes(field) && DEFAULTS[field]) out[field] = DEFAULTS[field]
  }
  if (fields.includes('name') && out.name === undefined && type !== 'REQUEST_BODY') {
    throw badRequest(`Location attribute 'name' is required for type ${type}.`)
  }
  if (out.path !== undefined && !out.path.startsWith('/')) throw badRequest(`Invalid path specified: ${out.path}`)
  if (out.method !== undefined && out.method !== '*') out.method = out.method.toUpperCase()
  if (out.statusCode !== undefined && !/^([1-5]\d\d|\*)$/.test(out.statusCode)) {
    throw badRequest(`Invalid status code specified: ${out.statusCode}`)
  }
  return out
}

/** `type 'METHOD', path '/pets', method 'GET'`: how AWS's 409 names a location. */
const describe = (loc: PartLocation): string =>
  [
    `type '${loc.type}'`,
    ...(['path', 'method', 'statusCode', 'name'] as const).filter((f) => loc[f] !== undefined).map((f) => `${f} '${loc[f]}'`),
  ].join(', ')

const sameLocation = (a: PartLocation, b: PartLocation): boolean =>
  a.type === b.type && a.path === b.path && a.method === b.method && a.statusCode === b.statusCode && a.name === b.name

function readProperties(value: unknown, member: string): string {
  if (value === undefined || value === null) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
      400,
    )
  }
  const text = String(value)
  try {
    JSON.parse(text)
  } catch {
    throw badRequest('Invalid documentation properties specified: the value must be a JSON object.')
  }
  return text
}

const partsOf = (store: Store, restApiId: string): DocumentationPartDoc[] =>
  store.list<DocumentationPartDoc>(KIND.documentationPart, restApiId)

function requirePart(store: Store, restApiId: string, partId: string): DocumentationPartDoc {
  // Recorded (19, get-documentation-part-invalid-api-id): an unknown API answers the part's message too.
  const part = store.get<DocumentationPartDoc>(KIND.documentationPart, childId(restApiId, partId))
  if (!part) throw notFound('Invalid Documentation part identifier specified')
  return part
}

function putPart(store: Store, restApiId: string, part: DocumentationPartDoc): void {
  store.put(KIND.documentationPart, childId(restApiId, part.id), part, restApiId)
}

export const createDocumentationPart: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const body = req.json()
  const location = normaliseLocation(body.location, 'createDocumentationPartInput')
  const properties = readProperties(body.properties, 'createDocumentationPartInput.properties')
  requireRestApi(ctx.store, restApiId)
  if (partsOf(ctx.store, restApiId).some((p) => sameLocation(p.location, location))) {
    throw conflict(`Documentation part already exists for the specified location: ${describe(location)}.`)
  }
  const part: DocumentationPartDoc = {id: ctx.newId(6), location, properties}
  putPart(ctx.store, restApiId, part)
  return {status: 201, body: part}
}

export const getDocumentationPart: Handler = (req, ctx) => ({
  status: 200,
  body: requirePart(ctx.store, req.params.restapi_id!, req.params.part_id!),
})

/** `true` when a part has content: `{}` (and `null`) is what AWS calls UNDOCUMENTED. */
function documented(properties: string): boolean {
  try {
    const value = JSON.parse(properties) as unknown
    if (value === null) return false
    return typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > 0
  } catch {
    return true
  }
}

export const getDocumentationParts: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const {type, name, path, locationStatus} = req.query
  if (type && !(PART_TYPES as readonly string[]).includes(type)) throw new AwsError('ValidationException', enumMessage(type, 'type'), 400)
  if (locationStatus && locationStatus !== 'DOCUMENTED' && locationStatus !== 'UNDOCUMENTED') {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${locationStatus}' at 'locationStatus' failed to satisfy constraint: ` +
        'Member must satisfy enum value set: [DOCUMENTED, UNDOCUMENTED]',
      400,
    )
  }
  requireRestApi(ctx.store, restApiId)
  const parts = partsOf(ctx.store, restApiId).filter(
    (p) =>
      (!type || p.location.type === type) &&
      (!path || p.location.path === path) &&
      (!name || (p.location.name ?? '').toLowerCase().includes(name.toLowerCase())) &&
      (!locationStatus || documented(p.properties) === (locationStatus === 'DOCUMENTED')),
  )
  return {status: 200, body: page(req, parts)}
}

export const updateDocumentationPart: Handler = (req, ctx) => {
  const ops = readPatchOperations(req, 'updateDocumentationPartInput')
  const part = structuredClone(requirePart(ctx.store, req.params.restapi_id!, req.params.part_id!))
  for (const {op, path, value} of ops) {
    // Recorded (19, update-documentation-part-invalid-path / -invalid-add-operation).
    if (path !== '/properties') throw invalidPatchPath(path, op, ['/properties'])
    if (op !== 'replace') throw invalidPatchPath(path, op)
    part.properties = readProperties(value, 'updateDocumentationPartInput.properties')
  }
  putPart(ctx.store, req.params.restapi_id!, part)
  return {status: 200, body: part}
}

export const deleteDocumentationPart: Handler = (req, ctx) => {
  const part = requirePart(ctx.store, req.params.restapi_id!, req.params.part_id!)
  ctx.store.delete(KIND.documentationPart, childId(req.params.restapi_id!, part.id))
  return {status: 202}
}

type SpecPart = {location: PartLocation; properties: string}

/**
 * The parts of an OpenAPI document's `x-amazon-apigateway-documentation` (properties are objects there, strings
 * on the wire). A part AWS would refuse becomes a warning naming it.
 */
export function readSpecDocumentation(doc: Record<string, unknown>): {parts: SpecPart[]; warnings: string[]} {
  const ext = doc['x-amazon-apigateway-documentation'] as {documentationParts?: unknown} | undefined
  const raw = ext && Array.isArray(ext.documentationParts) ? ext.documentationParts : []
  const parts: SpecPart[] = []
  const warnings: string[] = []
  raw.forEach((item: unknown, i: number) => {
    const p = (typeof item === 'object' && item !== null ? item : {}) as {location?: unknown; properties?: unknown}
    try {
      const location = normaliseLocation(p.location, 'documentationParts')
      const properties = typeof p.properties === 'string' ? p.properties : JSON.stringify(p.properties ?? {})
      const existing = parts.findIndex((q) => sameLocation(q.location, location))
      if (existing >= 0) parts[existing] = {location, properties}
      else parts.push({location, properties})
    } catch (error) {
      if (!(error instanceof AwsError)) throw error
      warnings.push(`Documentation part ${i + 1} was not imported: ${error.message}`)
    }
  })
  return {parts, warnings}
}

/** Write imported parts: overwrite removes every part first; merge replaces the properties of a part at the same location. */
function applyParts(
  store: Store,
  restApiId: string,
  parts: SpecPart[],
  mode: 'merge' | 'overwrite',
  newId: OperationContext['newId'],
): string[] {
  if (mode === 'overwrite') store.deleteChildren(KIND.documentationPart, restApiId)
  const existing = mode === 'overwrite' ? [] : partsOf(store, restApiId)
  return parts.map((p) => {
    const same = existing.find((e) => sameLocation(e.location, p.location))
    const part: DocumentationPartDoc = {id: same?.id ?? newId(6), location: p.location, properties: p.properties}
    putPart(store, restApiId, part)
    return part.id
  })
}

/**
 * ImportRestApi and PutRestApi: the parts of the body's `x-amazon-apigateway-documentation`, unless the import
 * says `ignore=documentation`. An overwrite import with the extension replaces the API's parts; a merge adds and
 * updates them. Returns the warnings to add to the import's.
 */
export function importSpecDocumentation(
  req: OperationRequest,
  ctx: OperationContext,
  restApiId: string,
  mode: 'merge' | 'overwrite',
): string[] {
  if (req.queryAll.getAll('ignore').some((v) => v.split(',').includes('documentation'))) return []
  const text = req.rawBody.toString('utf8')
  // A body without the extension leaves the parts as they are (made by CreateDocumentationPart, say).
  if (!text.includes('x-amazon-apigateway-documentation')) return []
  const {parts, warnings} = readSpecDocumentation(parseOpenApiDocument(text))
  applyParts(ctx.store, restApiId, parts, mode, ctx.newId)
  return warnings
}

export const importDocumentationParts: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const mode = (req.query.mode ?? 'merge').toLowerCase()
  if (mode !== 'merge' && mode !== 'overwrite') {
    throw badRequest(`Invalid mode specified: ${req.query.mode}. Valid values are: merge, overwrite`)
  }
  const failOnWarnings = (req.query.failonwarnings ?? 'false').toLowerCase() === 'true'
  requireRestApi(ctx.store, restApiId)
  let doc: Record<string, unknown>
  try {
    doc = parseOpenApiDocument(req.rawBody.toString('utf8'))
  } catch (error) {
    // Recorded (19, import-documentation-parts-bad-yaml-file / -bad-json-file).
    if (error instanceof OpenApiInputError) throw badRequest('Unable to build importer with provided input.')
    throw error
  }
  const {parts, warnings} = readSpecDocumentation(doc)
  if (failOnWarnings && warnings.length) throw badRequest(`Warnings found during import:\n\t${warnings.join('\n\t')}`)
  const ids = applyParts(ctx.store, restApiId, parts, mode, ctx.newId)
  return {status: 200, body: warnings.length ? {ids, warnings} : {ids}}
}

// Documentation versions.

const versionOut = (v: DocumentationVersionDoc): Omit<DocumentationVersionDoc, '_parts'> => {
  const {_parts, ...out} = v
  return out
}

/** The version document, or AWS's NotFoundException (message written in AWS's style, not recorded). */
export function requireVersion(store: Store, restApiId: string, version: string): DocumentationVersionDoc {
  requireRestApi(store, restApiId)
  const doc = store.get<DocumentationVersionDoc>(KIND.documentationVersion, childId(restApiId, version))
  if (!doc) throw notFound('Invalid Documentation version identifier specified')
  return doc
}

/** The parts a stage publishes: those of its documentation version, if it has one that still exists. */
export function stageDocumentation(store: Store, restApiId: string, stage: StageDoc): DocumentationVersionDoc | undefined {
  if (!stage.documentationVersion) return undefined
  return store.get<DocumentationVersionDoc>(KIND.documentationVersion, childId(restApiId, stage.documentationVersion))
}

export const createDocumentationVersion: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const body = req.json()
  const version = body.documentationVersion
  if (typeof version !== 'string' || version === '') {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'createDocumentationVersionInput.documentationVersion' " +
        'failed to satisfy constraint: Member must not be null',
      400,
    )
  }
  requireRestApi(ctx.store, restApiId)
  const stage = typeof body.stageName === 'string' && body.stageName !== '' ? requireStage(ctx.store, restApiId, body.stageName) : undefined
  if (ctx.store.get(KIND.documentationVersion, childId(restApiId, version))) {
    throw conflict(`Documentation version already exists: ${version}`)
  }
  const doc: DocumentationVersionDoc = {version, createdDate: nowSeconds(ctx), _parts: partsOf(ctx.store, restApiId)}
  if (typeof body.description === 'string' && body.description !== '') doc.description = body.description
  ctx.store.put(KIND.documentationVersion, childId(restApiId, version), doc, restApiId)
  if (stage) {
    stage.documentationVersion = version
    stage.lastUpdatedDate = nowSeconds(ctx)
    ctx.store.put(KIND.stage, childId(restApiId, stage.stageName), stage, restApiId)
  }
  return {status: 201, body: versionOut(doc)}
}

export const getDocumentationVersion: Handler = (req, ctx) => ({
  status: 200,
  body: versionOut(requireVersion(ctx.store, req.params.restapi_id!, req.params.doc_version!)),
})

export const getDocumentationVersions: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  requireRestApi(ctx.store, restApiId)
  const versions = ctx.store.list<DocumentationVersionDoc>(KIND.documentationVersion, restApiId).map(versionOut)
  return {status: 200, body: page(req, versions)}
}

export const updateDocumentationVersion: Handler = (req, ctx) => {
  const ops = readPatchOperations(req, 'updateDocumentationVersionInput')
  const restApiId = req.params.restapi_id!
  const doc = structuredClone(requireVersion(ctx.store, restApiId, req.params.doc_version!))
  for (const {op, path, value} of ops) {
    if (path !== '/description') throw invalidPatchPath(path, op, ['/description'])
    if (op !== 'replace') throw invalidPatchPath(path, op)
    if (value) doc.description = value
    else delete doc.description
  }
  ctx.store.put(KIND.documentationVersion, childId(restApiId, doc.version), doc, restApiId)
  return {status: 200, body: versionOut(doc)}
}

export const deleteDocumentationVersion: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const doc = requireVersion(ctx.store, restApiId, req.params.doc_version!)
  ctx.store.delete(KIND.documentationVersion, childId(restApiId, doc.version))
  return {status: 202}
}
