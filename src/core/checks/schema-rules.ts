import type {SchemaDiff} from '../diff/types.ts'
import {draft, isJsonMediaType, join, show, walkSchema} from './helpers.ts'
import type {Draft} from './types.ts'

/** Where a schema sits: decides the id prefixes and which direction makes a change breaking. */
export type SchemaScope = {
  direction: 'request' | 'response'
  /** Prefix for changes at the root: 'request-body', 'request-parameter', 'response-body'. */
  rootPrefix: string
  /** Prefix for nested properties: 'request-property', 'request-parameter-property', 'response-property'. */
  propertyPrefix: string
  operation: string
  mediaType: string
  /** Human name of the root: "request body", "query parameter 'id'", "response 200". */
  where: string
  baseFile: string
  revisionFile: string
  /** A parameter or header: the items of an array are judged as the value itself. */
  parameter?: boolean
  /**
   * Ids of nested-property changes are the request body's and response body's; a scope that names them otherwise
   * (parameters, headers) maps each here, or drops it with undefined.
   */
  renameId?: (id: string) => string | undefined
}

const CONSTRAINT_IDS: Record<string, {token: string; kind: 'max' | 'min'}> = {
  maxLength: {token: 'max-length', kind: 'max'},
  minLength: {token: 'min-length', kind: 'min'},
  maximum: {token: 'max', kind: 'max'},
  minimum: {token: 'min', kind: 'min'},
  maxItems: {token: 'max-items', kind: 'max'},
  minItems: {token: 'min-items', kind: 'min'},
  exclusiveMaximum: {token: 'exclusive-max', kind: 'max'},
  exclusiveMinimum: {token: 'exclusive-min', kind: 'min'},
}

// oasdiff calls a changed pattern general only when it became '.*'; any other change may reject a value (a warning).
const GENERAL_PATTERN = '.*'

const FORMAT_WIDENINGS = new Set(['int32>int64', 'float>double', 'int32>bigint', 'int64>bigint', 'float>number'])

/** Judge every change in a schema diff, as seen by a client sending (request) or receiving (response) it. */
export function schemaFindings(root: SchemaDiff, scope: SchemaScope): Draft[] {
  const out: Draft[] = []
  const req = scope.direction === 'request'
  const idFor = scope.renameId ?? ((id: string) => id)
  const rev = (id: string, message: string, pointer: string) => {
    const to = idFor(id)
    if (to !== undefined) out.push(draft(to, scope.operation, message, scope.revisionFile, pointer))
  }
  const baseAt = (id: string, message: string, pointer: string) => {
    const to = idFor(id)
    if (to !== undefined) out.push(draft(to, scope.operation, message, scope.baseFile, pointer))
  }

  walkSchema(root, ({diff: d, path, name, parent}) => {
    // The items of an array parameter are judged as the parameter itself (oasdiff does the same).
    const nested = path !== '' && !(scope.parameter && /^(items\/)*items$/.test(path))
    if (!hasLocalChange(d)) return
    const P = nested ? scope.propertyPrefix : scope.rootPrefix
    const what = nested ? `property '${path}' of the ${scope.where}` : `the ${scope.where}`
    const at = d.revisionPointer

    if (d.wrappedIn) {
      const token = d.wrappedIn === 'oneOf' ? 'one-of' : 'any-of'
      rev(`${P}-wrapped-in-${token}`, `${cap(what)} was wrapped in ${d.wrappedIn}.`, at)
      return
    }

    // Types and formats
    if (d.type) {
      const from = d.type.from
      const to = d.type.to
      if (from.length > 1 || to.length > 1) {
        const added = to.filter((t) => !from.includes(t))
        const removed = from.filter((t) => !to.includes(t))
        const list = `types [${from.join(', ')}] → [${to.join(', ')}]`
        if (req) {
          if (removed.length) rev(`${P}-list-of-types-narrowed`, `The list of types of ${what} was narrowed: ${list}.`, at)
          else if (added.length) rev(`${P}-list-of-types-widened`, `The list of types of ${what} was widened: ${list}.`, at)
        } else if (added.length) rev(`${P}-list-of-types-widened`, `The list of types of ${what} was widened: ${list}.`, at)
        else if (removed.length) rev(`${P}-list-of-types-narrowed`, `The list of types of ${what} was narrowed: ${list}.`, at)
      } else {
        const f = from[0]
        const t = to[0]
        const msg =
          `The type of ${what} changed from ${show(typeText(f, d.format?.from ?? str(d.base['format'])))} ` +
          `to ${show(typeText(t, d.format?.to ?? str(d.revision['format'])))}.`
        if (req) {
          const widened = t === undefined || (f === 'integer' && t === 'number')
          rev(widened ? `${P}-type-generalized` : `${P}-type-changed`, msg, at)
        } else {
          const ok =
            (f === 'number' && t === 'integer') ||
            (f === 'string' && !isJsonMediaType(scope.mediaType)) ||
            (t === undefined && hasComposition(d.revision)) ||
            f === undefined
          if (!ok) rev(`${P}-type-changed`, msg, at)
        }
      }
    } else if (d.format) {
      const f = d.format.from
      const t = d.format.to
      const msg = `The format of ${what} changed from ${show(f)} to ${show(t)}.`
      if (req) {
        const breaking = t !== undefined && !(f !== undefined && FORMAT_WIDENINGS.has(`${f}>${t}`))
        if (breaking) rev(`${P}-type-changed`, msg, at)
      } else {
        const breaking = f !== undefined && !(t !== undefined && FORMAT_WIDENINGS.has(`${t}>${f}`))
        if (breaking) rev(`${P}-type-changed`, msg, at)
      }
    }

    if (d.nullable) {
      const id = d.nullable.to ? `${P}-became-nullable` : `${P}-became-not-nullable`
      rev(id, `${cap(what)} became ${d.nullable.to ? 'nullable' : 'not nullable'}.`, at)
    }

    if (d.enum) {
      const e = d.enum
      if (e.from === undefined && e.to !== undefined) {
        if (req) rev(`${P}-became-enum`, `${cap(what)} became an enum of ${e.to.map((v) => show(v)).join(', ')}.`, at)
      } else if (e.from !== undefined && e.to === undefined) {
        rev(`${P}-became-not-enum`, `${cap(what)} is no longer an enum.`, at)
      } else {
        // oasdiff names a value removed from a response media type's own enum after the media type.
        const removedId =
          req && nested && d.revision['readOnly'] === true
            ? 'request-read-only-property-enum-value-removed'
            : !nested && P === 'response-body'
              ? 'response-mediatype-enum-value-removed'
              : `${P}-enum-value-removed`
        for (const v of e.removed) rev(removedId, `The enum value ${show(v)} was removed from ${what}.`, at)
        for (const v of e.added) rev(`${P}-enum-value-added`, `The enum value ${show(v)} was added to ${what}.`, at)
      }
    }
    if (d.extensibleEnum && req)
      for (const v of d.extensibleEnum.removed)
        rev(`${P}-x-extensible-enum-value-removed`, `The x-extensible-enum value ${show(v)} was removed from ${what}.`, at)

    if (d.pattern) {
      const {from, to} = d.pattern
      if (from === undefined) rev(`${P}-pattern-added`, `${cap(what)} gained the pattern ${show(to)}.`, at)
      else if (to === undefined) rev(`${P}-pattern-removed`, `The pattern ${show(from)} of ${what} was removed.`, at)
      else if (req && to === GENERAL_PATTERN)
        rev(`${P}-pattern-generalized`, `The pattern of ${what} was generalized from ${show(from)} to ${show(to)}.`, at)
      else rev(`${P}-pattern-changed`, `The pattern of ${what} changed from ${show(from)} to ${show(to)}.`, at)
    }

    if (d.const) {
      const {from, to} = d.const
      const verb = from === undefined ? 'added' : to === undefined ? 'removed' : 'changed'
      rev(
        `${P}-const-${verb}`,
        `The const value of ${what} ${verb === 'changed' ? `changed from ${show(from)} to ${show(to)}` : `was ${verb}`}.`,
        at,
      )
    }

    if (d.default && req) {
      const {from, to} = d.default
      const verb = from === undefined ? 'added' : to === undefined ? 'removed' : 'changed'
      rev(
        `${P}-default-value-${verb}`,
        `The default value of ${what} ${verb === 'changed' ? `changed from ${show(from)} to ${show(to)}` : `was ${verb}`}.`,
        at,
      )
    }

    for (const c of d.constraints ?? []) {
      const meta = CONSTRAINT_IDS[c.name]
      if (!meta) continue
      const from = typeof c.from === 'number' ? c.from : undefined
      const to = typeof c.to === 'number' ? c.to : undefined
      const text = `${c.name} of ${what} changed from ${show(from)} to ${show(to)}.`
      const id = `${P}-${meta.token}`
      if (to === undefined) {
        if (!req && from !== undefined && (c.name === 'maxLength' || c.name === 'minItems')) rev(`${id}-unset`, cap(text), at)
        continue
      }
      if (from === undefined) {
        if (req) rev(`${id}-set`, cap(text), at)
        continue
      }
      if (to === from) continue
      const tighter = meta.kind === 'max' ? to < from : to > from
      let ruleId = tighter
        ? meta.kind === 'max'
          ? `${id}-decreased`
          : `${id}-increased`
        : meta.kind === 'max'
          ? `${id}-increased`
          : `${id}-decreased`
      if (req && tighter && nested && d.revision['readOnly'] === true)
        ruleId = ruleId.replace('request-property-', 'request-read-only-property-')
      if (req) rev(ruleId, cap(text), at)
      else if (!tighter) rev(ruleId, cap(text), at)
    }

    const revProps = (d.revision['properties'] ?? {}) as Record<string, Record<string, unknown> | undefined>
    const baseProps = (d.base['properties'] ?? {}) as Record<string, Record<string, unknown> | undefined>
    const revRequired = new Set(Array.isArray(d.revision['required']) ? d.revision['required'].map(String) : [])
    const baseRequired = new Set(Array.isArray(d.base['required']) ? d.base['required'].map(String) : [])
    const propPointer = (pointer: string, name: string) => `${pointer}/properties/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`
    const flag = (schema: Record<string, unknown> | undefined, key: string) => !!schema && schema[key] === true

    // Properties of a parameter or header name it: bodies are named by the operation already.
    const of = scope.parameter ? ` of the ${scope.where}` : ''
    if (d.required) {
      for (const name of d.required.added) {
        if (!(name in revProps) || d.properties?.added.includes(name)) continue
        const full = join(path, name)
        if (req) {
          if (flag(revProps[name], 'readOnly')) continue
          const withDefault = revProps[name]?.['default'] !== undefined
          rev(
            withDefault ? 'request-property-became-required-with-default' : 'request-property-became-required',
            `The request property '${full}'${of} became required${withDefault ? ' (it has a default)' : ''}.`,
            propPointer(d.revisionPointer, name),
          )
        } else if (!flag(revProps[name], 'writeOnly'))
          rev(
            'response-property-became-required',
            `The response property '${full}'${of} became required.`,
            propPointer(d.revisionPointer, name),
          )
      }
      for (const name of d.required.removed) {
        if (!(name in revProps) || d.properties?.removed.includes(name)) continue
        const full = join(path, name)
        if (req)
          rev(
            'request-property-became-optional',
            `The request property '${full}'${of} became optional.`,
            propPointer(d.revisionPointer, name),
          )
        else if (!flag(revProps[name], 'writeOnly'))
          rev(
            'response-property-became-optional',
            `The response property '${full}'${of} became optional.`,
            propPointer(d.revisionPointer, name),
          )
      }
    }

    if (d.properties) {
      for (const name of d.properties.added) {
        const full = join(path, name)
        const schema = revProps[name]
        const pointer = propPointer(d.revisionPointer, name)
        if (req) {
          if (revRequired.has(name) && !flag(schema, 'readOnly')) {
            const withDefault = schema?.['default'] !== undefined
            rev(
              withDefault ? 'new-required-request-property-with-default' : 'new-required-request-property',
              `A new required request property '${full}'${of} was added${withDefault ? ' (with a default)' : ''}.`,
              pointer,
            )
          } else if (!flag(schema, 'readOnly'))
            rev('new-optional-request-property', `A new optional request property '${full}'${of} was added.`, pointer)
        } else if (!flag(schema, 'writeOnly')) {
          if (revRequired.has(name))
            rev('response-required-property-added', `A new required response property '${full}'${of} was added.`, pointer)
          else rev('response-optional-property-added', `A new optional response property '${full}'${of} was added.`, pointer)
        }
      }
      for (const name of d.properties.removed) {
        const full = join(path, name)
        const schema = baseProps[name]
        const pointer = propPointer(d.basePointer, name)
        if (req) {
          if (!flag(schema, 'readOnly')) baseAt('request-property-removed', `The request property '${full}'${of} was removed.`, pointer)
        } else if (!flag(schema, 'writeOnly')) {
          if (baseRequired.has(name))
            baseAt('response-required-property-removed', `The required response property '${full}'${of} was removed.`, pointer)
          else baseAt('response-optional-property-removed', `The optional response property '${full}'${of} was removed.`, pointer)
        }
      }
    }

    for (const k of ['oneOf', 'anyOf', 'allOf'] as const) {
      const list = d[k]
      if (!list) continue
      const token = k === 'oneOf' ? 'one-of' : k === 'anyOf' ? 'any-of' : 'all-of'
      if (list.removed.length)
        baseAt(`${P}-${token}-removed`, `${list.removed.length} ${k} subschema(s) were removed from ${what}.`, list.removed[0]!.pointer)
      if (list.added.length)
        rev(`${P}-${token}-added`, `${list.added.length} ${k} subschema(s) were added to ${what}.`, list.added[0]!.pointer)
    }

    if (d.discriminator) {
      const disc = d.discriminator
      if (disc.added) rev(`${P}-discriminator-added`, `A discriminator was added to ${what}.`, at)
      else if (disc.removed) rev(`${P}-discriminator-removed`, `The discriminator of ${what} was removed.`, at)
      else {
        if (disc.propertyName)
          rev(
            `${P}-discriminator-property-name-changed`,
            `The discriminator property of ${what} changed from ${show(disc.propertyName.from)} to ${show(disc.propertyName.to)}.`,
            at,
          )
        if (disc.mapping) rev(`${P}-discriminator-mapping-changed`, `The discriminator mapping of ${what} changed.`, at)
      }
    }

    if (nested && (d.readOnly || d.writeOnly)) {
      const parentRequired = (parent?.revision['required'] ?? []) as unknown[]
      const kind = name !== undefined && parentRequired.includes(name) ? 'required' : 'optional'
      const side = req ? 'request' : 'response'
      if (d.readOnly)
        rev(
          `${side}-${kind}-property-became-${d.readOnly.to ? '' : 'non-'}read-only`,
          `${cap(what)} ${d.readOnly.to ? 'became' : 'is no longer'} read-only.`,
          at,
        )
      if (d.writeOnly)
        rev(
          `${side}-${kind}-property-became-${d.writeOnly.to ? '' : 'non-'}write-only`,
          `${cap(what)} ${d.writeOnly.to ? 'became' : 'is no longer'} write-only.`,
          at,
        )
    }

    if (d.additionalProperties) {
      const {from, to} = d.additionalProperties
      if (req && to === false && from !== false)
        rev(`${P}-additional-properties-disallowed`, `${cap(what)} no longer accepts additional properties.`, at)
      if (!req && from === false && to !== false)
        rev(`${P}-additional-properties-allowed`, `${cap(what)} may now contain additional properties.`, at)
    }

    if (d.deprecated && nested) {
      if (d.deprecated.to) rev(`${P}-deprecated`, `${cap(what)} was deprecated.`, at)
      else rev(`${P}-reactivated`, `${cap(what)} is no longer deprecated.`, at)
    }
  })
  return out
}

/** True when the node itself changed, not only sub-schemas below it (most nodes on a walk). */
function hasLocalChange(d: SchemaDiff): boolean {
  for (const k in d) {
    if (k === 'base' || k === 'revision' || k === 'basePointer' || k === 'revisionPointer' || k === 'items') continue
    if (k === 'properties') {
      const p = d.properties!
      if (p.added.length || p.removed.length) return true
      continue
    }
    if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      const l = d[k]!
      if (l.added.length || l.removed.length) return true
      continue
    }
    if (k === 'additionalProperties' && d.additionalProperties?.diff) continue
    return true
  }
  return false
}

function str(v: unknown): string | undefined {
  return v === undefined ? undefined : String(v)
}

function typeText(type: string | undefined, format: string | undefined): string | undefined {
  if (type === undefined) return format
  return format ? `${type}/${format}` : type
}

function hasComposition(schema: Record<string, unknown>): boolean {
  return Array.isArray(schema['allOf']) || Array.isArray(schema['oneOf']) || Array.isArray(schema['anyOf'])
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
