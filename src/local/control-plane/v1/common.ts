/**
 * What every v1 control-plane module shares: the clock in v1's wire form (epoch seconds), AWS's
 * `position`/`limit` pager, the patch-operation reader with AWS's Coral validation, and the small wire helpers
 * (private-member stripping, JSON-pointer segments, string maps). One copy of each, used by every v1 handler.
 */
import {AwsError, badRequest, notFound} from '../../protocol/aws-error.ts'
import type {OperationContext, OperationRequest} from '../../types.ts'

/** Epoch seconds, as v1 sends timestamps (JSON numbers). */
export const epochSeconds = (d: Date): number => Math.floor(d.getTime() / 1000)

/** The operation's clock (injected through the context) in v1's wire form. */
export const nowSeconds = (ctx: Pick<OperationContext, 'now'>): number => epochSeconds(ctx.now())

const DEFAULT_LIMIT = 25
/** https://docs.aws.amazon.com/apigateway/latest/api/API_GetRestApis.html: limit default 25, maximum 500. */
const MAX_LIMIT = 500

/**
 * AWS's `?position=&limit=` paging over an already ordered list. `limit` defaults to 25 and is capped at 500;
 * a zero or negative limit answers an empty page without error, as AWS does (recording 13,
 * `get-api-keys-invalid-limit`). `position` is opaque to clients: the emulator's own token of the next offset.
 */
export function paginate<T>(items: readonly T[], query: Record<string, string>): {items: T[]; position?: string} {
  let limit = DEFAULT_LIMIT
  if (query.limit !== undefined && query.limit !== '') {
    const n = Number(query.limit)
    // What Coral answers for a limit that is not an integer (the SDKs never send one).
    if (!Number.isInteger(n)) throw new AwsError('SerializationException', 'STRING_VALUE can not be converted to an Integer', 400)
    limit = Math.min(n, MAX_LIMIT)
  }
  if (limit <= 0) return {items: []}
  let offset = 0
  if (query.position) {
    const decoded = /^o(\d{1,9})$/.exec(Buffer.from(query.position, 'base64url').toString('utf8'))
    if (!decoded) throw badRequest('Invalid position parameter specified')
    offset = Number(decoded[1])
  }
  const page = items.slice(offset, offset + limit)
  const next = offset + limit
  return next < items.length ? {items: page, position: Buffer.from(`o${next}`).toString('base64url')} : {items: page}
}

/** The v1 list wire body `{item, position?}` of one page. */
export function page<T>(req: OperationRequest, items: readonly T[]): {item: T[]; position?: string} {
  const p = paginate(items, req.query)
  return p.position ? {item: p.items, position: p.position} : {item: p.items}
}

export type PatchOperation = {op: string; path?: string; value?: string; from?: string}

const PATCH_OPS = ['add', 'remove', 'replace', 'move', 'test', 'copy']

/**
 * The `patchOperations` of an Update* body, with AWS's Coral validation error for unknown ops (every bad op
 * reported at once, recording 19): `1 validation error detected: Value 'x' at
 * 'updateApiKeyInput.patchOperations.1.member.op' failed to satisfy constraint: ...`.
 */
export function readPatchOperations(req: OperationRequest, inputName: string, moreErrors: string[] = []): PatchOperation[] {
  const raw = req.json().patchOperations
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw new AwsError('SerializationException', 'Expected a list for patchOperations', 400)
  const ops: PatchOperation[] = []
  const errors: string[] = []
  raw.forEach((item: unknown, i: number) => {
    const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>
    const op = typeof o.op === 'string' ? o.op : String(o.op)
    if (!PATCH_OPS.includes(op)) {
      errors.push(
        `Value '${op}' at '${inputName}.patchOperations.${i + 1}.member.op' failed to satisfy ` +
          `constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]`,
      )
    }
    const p: PatchOperation = {op}
    if (o.path !== undefined && o.path !== null) p.path = String(o.path)
    if (o.value !== undefined && o.value !== null) p.value = String(o.value)
    if (o.from !== undefined && o.from !== null) p.from = String(o.from)
    ops.push(p)
  })
  // Coral reports the other members' constraint failures (a path parameter's pattern) after the ops' (recording 19).
  errors.push(...moreErrors)
  if (errors.length > 0) {
    const head = errors.length === 1 ? '1 validation error detected' : `${errors.length} validation errors detected`
    throw new AwsError('ValidationException', `${head}: ${errors.join('; ')}`, 400)
  }
  return ops
}

/** `Invalid patch path  '/id' specified for op 'replace'. Must be one of: [...]` (two spaces, verbatim, recording 14). */
export function invalidPatchPath(path: string | undefined, op: string, allowed?: readonly string[]): AwsError {
  const tail = allowed && allowed.length > 0 ? `Must be one of: [${allowed.join(', ')}]` : 'Please choose supported operations'
  return badRequest(`Invalid patch path  '${path ?? 'null'}' specified for op '${op}'. ${tail}`)
}

/** A patch op AWS's "Patch Operations" tables list (move and test are taken by no v1 path). */
export type PatchOp = 'add' | 'remove' | 'replace' | 'copy'

/**
 * The patch paths of one Update* operation and the ops each takes, in the order AWS lists them in its messages
 * (https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html). A path ending in `/*` stands for one
 * key below it, JSON-pointer escaped (`/requestModels/application~1json`); `/requestModels` alone or
 * `/requestModels/application/json` match nothing, as on AWS (recording 19).
 */
export type PatchPaths = ReadonlyArray<readonly [path: string, ops: readonly PatchOp[]]>

/** One patch op matched to its table row: `rule` is the row's path, `key` the unescaped key under a `/*` row. */
export type MatchedPatch = PatchOperation & {rule: string; key?: string}

function findPatchRule(paths: PatchPaths, path: string | undefined): {rule: string; ops: readonly PatchOp[]; key?: string} | undefined {
  if (path === undefined) return undefined
  for (const [rule, ops] of paths) {
    if (rule.endsWith('/*')) {
      const prefix = rule.slice(0, -1)
      const rest = path.startsWith(prefix) ? path.slice(prefix.length) : ''
      if (rest !== '' && !rest.includes('/')) return {rule, ops, key: unescapePointer(rest)}
    } else if (rule === path) return {rule, ops}
  }
  return undefined
}

/**
 * Match a patch op in the style of UpdateResource, UpdateModel, UpdateRequestValidator and UpdateApiKey (recording
 * 19): a path the op does not take is `Invalid patch path  '/x' specified for op 'replace'. Must be one of: [...]`
 * listing the paths that take the op, or `... Please choose supported operations` when none does.
 */
export function matchPatch(op: PatchOperation, paths: PatchPaths): MatchedPatch {
  const hit = findPatchRule(paths, op.path)
  if (!hit?.ops.includes(op.op as PatchOp)) {
    throw invalidPatchPath(
      op.path,
      op.op,
      paths.filter(([, ops]) => ops.includes(op.op as PatchOp)).map(([p]) => p),
    )
  }
  return {...op, rule: hit.rule, ...(hit.key !== undefined ? {key: hit.key} : {})}
}

/**
 * Match a patch op in the style of the method family (UpdateMethod, UpdateMethodResponse, UpdateIntegration,
 * UpdateIntegrationResponse, UpdateGatewayResponse; recording 19): an unknown path is `Invalid patch path /x`
 * (`null` without a path); a known path with an op it does not take is `Invalid patch operation specified. Must
 * be one of: [replace]`, or, where AWS answers so (`opAsPath`, UpdateGatewayResponse's `add /statusCode`), the
 * path error again.
 */
export function matchMethodPatch(op: PatchOperation, paths: PatchPaths, opts: {opAsPath?: boolean} = {}): MatchedPatch {
  const hit = findPatchRule(paths, op.path)
  if (!hit || (opts.opAsPath && !hit.ops.includes(op.op as PatchOp))) throw badRequest(`Invalid patch path ${op.path ?? 'null'}`)
  if (!hit.ops.includes(op.op as PatchOp)) throw badRequest(`Invalid patch operation specified. Must be one of: [${hit.ops.join(', ')}]`)
  return {...op, rule: hit.rule, ...(hit.key !== undefined ? {key: hit.key} : {})}
}

/**
 * Apply an add/replace/remove on one key of a map member (`requestParameters`, `responseTemplates`...): `add`
 * sets, `replace` and `remove` need the key to exist (`missing` is the NotFound AWS answers, recording 19).
 * Returns the map, or undefined once it is empty (AWS then leaves the member out).
 */
export function patchMapKey<V>(
  map: Record<string, V> | undefined,
  op: string,
  key: string,
  value: V,
  missing: string,
): Record<string, V> | undefined {
  const out = {...map}
  if ((op === 'replace' || op === 'remove') && !(key in out)) throw notFound(missing)
  if (op === 'remove') delete out[key]
  else out[key] = value
  return Object.keys(out).length > 0 ? out : undefined
}

/** JSON-pointer unescape of one path segment (`~1` → `/`, `~0` → `~`). */
export const unescapePointer = (segment: string): string => segment.replace(/~1/g, '/').replace(/~0/g, '~')

/** A copy without private members (`_…`), ready for the wire. */
export function wire<T extends object>(doc: T): Omit<T, `_${string}`> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_')) out[k] = v
  return out as Omit<T, `_${string}`>
}

/** A string map from a JSON body member (tags), or undefined; anything else is a SerializationException. */
export function readStringMap(value: unknown, member: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new AwsError('SerializationException', `Expected a map of strings for ${member}`, 400)
  }
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new AwsError('SerializationException', `Expected a string value for ${member}.${k}`, 400)
    out[k] = v
  }
  return out
}
