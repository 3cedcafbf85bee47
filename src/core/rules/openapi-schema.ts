import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {ajvFor} from '../ajv.ts'
import {DIALECTS, type OasVersion, referencedSchemas, schemaFor} from './oas-schemas.ts'
import type {Rule, RuleFinding} from './types.ts'

type AjvError = {instancePath: string; keyword: string; message?: string; params: Record<string, unknown>}
type Validator = ((doc: unknown) => boolean) & {errors?: AjvError[] | null}

const compiled = new Map<OasVersion, Validator>()

/** The precompiled validator from the build (scripts/build-validators.js), else one compiled now. */
async function validatorFor(version: OasVersion): Promise<Validator> {
  const cached = compiled.get(version)
  if (cached) return cached
  let validate: Validator
  try {
    const mod = (await import(new URL(`./oas-validators/oas-${version.replace('.', '')}.js`, import.meta.url).href)) as {default: Validator}
    validate = mod.default
  } catch {
    const require = createRequire(import.meta.url)
    const load = (p: string) => JSON.parse(readFileSync(require.resolve(p), 'utf8')) as Record<string, unknown>
    // A fresh instance (options given): the referenced schemas are added to it once.
    const ajv = await ajvFor(DIALECTS[version], {allErrors: true})
    for (const extra of referencedSchemas(version, load)) ajv.addSchema(extra)
    validate = ajv.compile(schemaFor(version, load)) as unknown as Validator
  }
  compiled.set(version, validate)
  return validate
}

/** The document against the official OpenAPI schema of its version. */
export const openapiSchema: Rule = async ({spec}) => {
  const validate = await validatorFor(spec.version)
  if (validate(spec.doc)) return []
  return summarise(validate.errors ?? []).map((e) => ({
    message: `${e.instancePath === '' ? 'The document' : `#${e.instancePath}`} ${describe(e)} (OpenAPI ${spec.version} schema).`,
    hint: 'Fix the field as the OpenAPI specification defines it.',
    location: {
      file: spec.file,
      pointer: `#${e.instancePath}${extraField(e) !== undefined ? `/${escapePointer(String(extraField(e)))}` : ''}`,
    },
  })) satisfies RuleFinding[]
}

/** The field that is not allowed, for additionalProperties (draft 4) and unevaluatedProperties (2020-12, OpenAPI 3.1). */
function extraField(e: AjvError): unknown {
  return e.keyword === 'additionalProperties'
    ? e.params.additionalProperty
    : e.keyword === 'unevaluatedProperties'
      ? e.params.unevaluatedProperty
      : undefined
}

function describe(e: AjvError): string {
  if (extraField(e) !== undefined) return `has a field "${String(extraField(e))}" that is not allowed there`
  if (e.keyword === 'required') return `is missing the required field "${String(e.params.missingProperty)}"`
  if (e.keyword === 'enum') return `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
  return e.message ?? 'is invalid'
}

/**
 * Ajv reports every failed branch of every oneOf; keep the leaf-most error per place, preferring the
 * plainest keywords, so a user sees what to fix rather than the schema's internals.
 */
function summarise(errors: AjvError[]): AjvError[] {
  const useful = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'not', '$ref'].includes(e.keyword))
  const pool = useful.length > 0 ? useful : errors
  // A JSON Schema `type` that is neither a known name nor a list fails an anyOf of [enum, array]: the enum says it best.
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath))
  const rank = (e: AjvError) =>
    e.keyword === 'enum' && anyOfAt.has(e.instancePath)
      ? 0
      : ['required', 'additionalProperties', 'unevaluatedProperties', 'type', 'enum'].indexOf(e.keyword) + 1 || 9
  const byPath = new Map<string, AjvError>()
  for (const e of pool) {
    const key = `${e.instancePath}|${String(extraField(e) ?? '')}|${e.keyword === 'required' ? String(e.params.missingProperty) : ''}`
    const prev = byPath.get(key)
    if (!prev || rank(e) < rank(prev)) byPath.set(key, e)
  }
  const list = [...byPath.values()]
  // A "required" on a node whose child has a concrete error is usually the other oneOf branch: drop it.
  const leaf = list.filter((e) => e.keyword !== 'required' || !list.some((o) => o !== e && o.instancePath.startsWith(`${e.instancePath}/`)))
  return leaf.slice(0, 25)
}

function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1')
}
