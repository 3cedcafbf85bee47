/**
 * Ajv instances by JSON Schema dialect, loaded lazily (Ajv is heavy; commands that never validate never load it).
 * Ajv's packages are CommonJS with a `default` re-export; this unwraps it once.
 */
import type {AnySchema, ValidateFunction} from 'ajv'

export type Dialect = 'draft-04' | 'draft-07' | '2020-12'

type AjvLike = {compile(schema: AnySchema): ValidateFunction; addSchema(schema: AnySchema): unknown; addFormat?: unknown}
type AjvCtor = new (options: Record<string, unknown>) => AjvLike

function unwrap(mod: unknown): AjvCtor {
  const m = mod as {default?: unknown}
  const d = m.default as {default?: unknown} | undefined
  return ((d && typeof d === 'object' && 'default' in d ? d.default : d) ?? m) as AjvCtor
}

const cache = new Map<Dialect, AjvLike>()

export async function ajvFor(dialect: Dialect, options: Record<string, unknown> = {}): Promise<AjvLike> {
  const cached = cache.get(dialect)
  if (cached && Object.keys(options).length === 0) return cached
  const Ctor =
    dialect === 'draft-04'
      ? unwrap(await import('ajv-draft-04'))
      : dialect === '2020-12'
        ? unwrap(await import('ajv/dist/2020.js'))
        : unwrap(await import('ajv'))
  const ajv = new Ctor({allErrors: true, verbose: true, strict: false, validateFormats: false, ...options})
  if (Object.keys(options).length === 0) cache.set(dialect, ajv)
  return ajv
}
