/** The structural description of what changed between two OpenAPI documents. Produced by diffSpecs, judged by checks/. */

export type Json = null | boolean | number | string | Json[] | {[key: string]: Json}
export type JsonObject = {[key: string]: unknown}

export type ValueChange<T> = {from: T; to: T}

/** A node of one document with the pointer it was read from (after following $refs). */
export type Located<T = JsonObject> = {node: T; pointer: string}

export type SetChange<T = string> = {added: T[]; removed: T[]}

export type SubschemaChange = {
  added: Array<Located & {index: number}>
  removed: Array<Located & {index: number}>
  modified: Array<{baseIndex: number; revisionIndex: number; diff: SchemaDiff}>
}

export const NUMERIC_CONSTRAINTS = [
  'maxLength',
  'minLength',
  'maximum',
  'minimum',
  'maxItems',
  'minItems',
  'maxProperties',
  'minProperties',
  'multipleOf',
] as const
export type NumericConstraint = (typeof NUMERIC_CONSTRAINTS)[number]

/** What changed in one schema (both sides already resolved). Absent members did not change. */
export type SchemaDiff = {
  base: JsonObject
  revision: JsonObject
  basePointer: string
  revisionPointer: string
  /** Types without 'null' (OpenAPI 3.1 lists), sorted. [] means "any". */
  type?: ValueChange<string[]>
  format?: ValueChange<string | undefined>
  nullable?: ValueChange<boolean>
  /** from/to undefined when the schema had no enum on that side. */
  enum?: {from: unknown[] | undefined; to: unknown[] | undefined; added: unknown[]; removed: unknown[]}
  extensibleEnum?: SetChange<unknown>
  pattern?: ValueChange<string | undefined>
  default?: ValueChange<unknown>
  const?: ValueChange<unknown>
  readOnly?: ValueChange<boolean>
  writeOnly?: ValueChange<boolean>
  deprecated?: ValueChange<boolean>
  constraints?: Array<{name: NumericConstraint | 'exclusiveMinimum' | 'exclusiveMaximum'; from: unknown; to: unknown}>
  required?: SetChange
  properties?: {added: string[]; removed: string[]; modified: Record<string, SchemaDiff>}
  items?: SchemaDiff
  itemsAdded?: boolean
  itemsRemoved?: boolean
  additionalProperties?: {from: unknown; to: unknown; diff?: SchemaDiff}
  allOf?: SubschemaChange
  anyOf?: SubschemaChange
  oneOf?: SubschemaChange
  not?: SchemaDiff
  discriminator?: {
    added?: boolean
    removed?: boolean
    propertyName?: ValueChange<string | undefined>
    mapping?: SetChange
  }
  /** The revision wraps the base schema in oneOf/anyOf: other changes of this node are not listed. */
  wrappedIn?: 'oneOf' | 'anyOf'
  /** x-stability-level and other x- members of this schema. */
  extensions?: Record<string, ValueChange<unknown>>
}

export type ParameterView = {
  name: string
  in: string
  required: boolean
  deprecated: boolean
  /** The schema as written (may be a $ref), or undefined (content-based parameter). */
  schema: unknown
  schemaPointer: string
  pointer: string
  /** Declared at path-item level (shared by the operations of the path). */
  fromPathItem: boolean
  node: JsonObject
}

export type ParameterDiff = {
  name: string
  in: string
  base: ParameterView
  revision: ParameterView
  required?: ValueChange<boolean>
  deprecated?: ValueChange<boolean>
  schema?: SchemaDiff
  schemaAdded?: boolean
  schemaRemoved?: boolean
  extensions?: Record<string, ValueChange<unknown>>
  style?: ValueChange<unknown>
  explode?: ValueChange<unknown>
}

export type MediaTypeView = {mediaType: string; schema: unknown; schemaPointer: string; pointer: string}
export type MediaTypeDiff = {
  mediaType: string
  base: MediaTypeView
  revision: MediaTypeView
  schema?: SchemaDiff
  schemaAdded?: boolean
  schemaRemoved?: boolean
}
export type ContentDiff = {added: MediaTypeView[]; removed: MediaTypeView[]; modified: MediaTypeDiff[]}

export type RequestBodyView = {required: boolean; pointer: string; content: MediaTypeView[]}
export type RequestBodyDiff = {
  added?: RequestBodyView
  removed?: RequestBodyView
  base?: RequestBodyView
  revision?: RequestBodyView
  required?: ValueChange<boolean>
  content?: ContentDiff
}

export type HeaderView = {name: string; required: boolean; schema: unknown; schemaPointer: string; pointer: string}
export type HeaderDiff = {
  name: string
  base: HeaderView
  revision: HeaderView
  required?: ValueChange<boolean>
  schema?: SchemaDiff
}
export type ResponseView = {status: string; pointer: string; headers: HeaderView[]; content: MediaTypeView[]}
export type ResponseDiff = {
  status: string
  base: ResponseView
  revision: ResponseView
  headers: {added: HeaderView[]; removed: HeaderView[]; modified: HeaderDiff[]}
  content: ContentDiff
}

/** One security requirement: scheme name → scopes. */
export type SecurityRequirement = Record<string, string[]>
export type SecurityDiff = {
  added: SecurityRequirement[]
  removed: SecurityRequirement[]
  modified: Array<{schemes: string[]; scopesAdded: Record<string, string[]>; scopesRemoved: Record<string, string[]>}>
}

export type OperationView = {
  method: string
  /** '/pets/{id}'; 'webhook:NAME' for a webhook's operation; 'callback:NAME of POST /pets' for a callback's. */
  path: string
  /** Operations of webhooks and callbacks are compared like those of paths (as oasdiff does for webhooks). */
  kind?: 'webhook' | 'callback'
  /** 'GET /pets' */
  operation: string
  pointer: string
  pathPointer: string
  node: JsonObject
  deprecated: boolean
  sunset: string | undefined
  stability: string | undefined
  operationId: string | undefined
  tags: string[]
  parameters: ParameterView[]
  requestBody: RequestBodyView | undefined
  responses: ResponseView[]
  /** Effective security: the operation's own, or the document's. undefined = none declared anywhere. */
  security: SecurityRequirement[] | undefined
  securityPointer: string
  ownSecurity: boolean
  /** x-amazon-apigateway-* members of the operation. */
  apiGateway: Record<string, unknown>
}

export type OperationDiff = {
  method: string
  path: string
  basePath: string
  operation: string
  base: OperationView
  revision: OperationView
  deprecated?: ValueChange<boolean>
  sunset?: ValueChange<string | undefined>
  stability?: ValueChange<string | undefined>
  operationId?: ValueChange<string | undefined>
  tags?: SetChange
  parameters: {added: ParameterView[]; removed: ParameterView[]; modified: ParameterDiff[]}
  requestBody?: RequestBodyDiff
  responses: {added: ResponseView[]; removed: ResponseView[]; modified: ResponseDiff[]}
  security?: SecurityDiff & {from: SecurityRequirement[] | undefined; to: SecurityRequirement[] | undefined}
  /** x-amazon-apigateway-* members that changed (deep compare). */
  apiGateway: Record<string, ValueChange<unknown>>
}

export type SecuritySchemeView = {name: string; pointer: string; node: JsonObject}
export type SecuritySchemeDiff = {
  name: string
  base: SecuritySchemeView
  revision: SecuritySchemeView
  type?: ValueChange<unknown>
  /** flows.<flow>.tokenUrl / authorizationUrl changes, and scopes. */
  tokenUrl?: ValueChange<unknown>
  authorizationUrl?: ValueChange<unknown>
  scopes?: SetChange
  /** The x-amazon-apigateway-authorizer object changed. */
  authorizer?: ValueChange<unknown>
  authType?: ValueChange<unknown>
}

export type DocumentInfo = {file: string; version: '2.0' | '3.0' | '3.1'; apiGateway: boolean}

export type SpecDiff = {
  base: DocumentInfo
  revision: DocumentInfo
  operations: {
    /** pathRemoved: the whole path is gone from the revision. */
    added: Array<OperationView & {pathAdded: boolean}>
    removed: Array<OperationView & {pathRemoved: boolean}>
    modified: OperationDiff[]
  }
  security?: SecurityDiff & {pointer: string}
  securitySchemes: {added: SecuritySchemeView[]; removed: SecuritySchemeView[]; modified: SecuritySchemeDiff[]}
  /** Names of the security schemes that are API Gateway authorizers (x-amazon-apigateway-authorizer), per side. */
  authorizers: {base: string[]; revision: string[]}
  servers: SetChange & {pointer: string}
  webhooks: {added: Located<unknown>[]; removed: Located<unknown>[]; names: {added: string[]; removed: string[]}}
  /**
   * Operations of callbacks that changed, kept apart from `operations`: oasdiff judges no callback, so their
   * changes are reported under one id of their own (callback-changed) rather than as the operation's.
   */
  callbacks: OperationDiff[]
  info: {version?: ValueChange<unknown>; title?: ValueChange<unknown>}
  /** Document-level x-amazon-apigateway-* members that changed (deep compare), e.g. binary media types. */
  apiGateway: Record<string, ValueChange<unknown> & {basePointer: string; revisionPointer: string}>
}

export type DiffOptions = {
  /** File names the findings will point at. */
  baseFile?: string
  revisionFile?: string
}
