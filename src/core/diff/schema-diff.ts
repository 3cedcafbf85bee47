import {escapePointerToken} from '../findings.ts'
import {isObject, type SpecDocument} from './document.ts'
import {canonicalValue as canonical, normaliseSchema, SchemaKeys, simpleTypeList, typesOfSchema as typesOf} from './schema-keys.ts'
import {NUMERIC_CONSTRAINTS, type JsonObject, type SchemaDiff, type SubschemaChange} from './types.ts'

/** Deep equality of JSON values, key order ignored. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ao = a as JsonObject
  const bo = b as JsonObject
  const ak = Object.keys(ao)
  if (ak.length !== Object.keys(bo).length) return false
  for (const k of ak) if (!(k in bo) || !deepEqual(ao[k], bo[k])) return false
  return true
}

export {canonical}

function setDiff(from: unknown[], to: unknown[]): {added: unknown[]; removed: unknown[]} {
  const fromKeys = new Set(from.map(canonical))
  const toKeys = new Set(to.map(canonical))
  return {added: to.filter((v) => !fromKeys.has(canonical(v))), removed: from.filter((v) => !toKeys.has(canonical(v)))}
}

type Bounds = {minimum?: unknown; maximum?: unknown; exclusiveMinimum?: unknown; exclusiveMaximum?: unknown}

/**
 * Numeric bounds in the 3.1 form: 3.0's `{minimum: 5, exclusiveMinimum: true}` is `{exclusiveMinimum: 5}`, and
 * `exclusiveMinimum: false` says nothing, so a 3.0 → 3.1 conversion changes no bound.
 */
function bounds(schema: JsonObject): Bounds {
  const out: Bounds = {minimum: schema['minimum'], maximum: schema['maximum']}
  for (const [ex, plain] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    const v = schema[ex]
    if (v === true) {
      out[ex] = schema[plain]
      out[plain] = undefined
    } else if (v === false) out[ex] = undefined
    else out[ex] = v
  }
  return out
}

const SCALAR_CHANGES = ['format', 'pattern', 'readOnly', 'writeOnly', 'deprecated'] as const

/**
 * Compares schemas of two documents. $refs are followed lazily; a pair of $refs is compared once (memoised)
 * and a pair already being compared (a cycle) counts as equal. An inline schema and a $ref to an equal schema
 * are equal.
 */
export class SchemaComparer {
  private readonly memo = new Map<string, SchemaDiff | undefined>()
  private readonly keys = new SchemaKeys()
  private readonly inProgress = new Set<string>()
  readonly base: SpecDocument
  readonly revision: SpecDocument

  constructor(base: SpecDocument, revision: SpecDocument) {
    this.base = base
    this.revision = revision
  }

  compare(baseRaw: unknown, revisionRaw: unknown, basePointer: string, revisionPointer: string): SchemaDiff | undefined {
    const b = this.base.resolve<unknown>(baseRaw, basePointer)
    const r = this.revision.resolve<unknown>(revisionRaw, revisionPointer)
    const key = b.ref !== undefined && r.ref !== undefined ? `${b.ref}\u0000${r.ref}` : undefined
    if (key !== undefined) {
      if (this.memo.has(key)) return this.memo.get(key)
      if (this.inProgress.has(key)) return undefined
      this.inProgress.add(key)
    }
    const bf = normaliseSchema(this.base, isObject(b.node) ? b.node : {}, b.pointer)
    const rf = normaliseSchema(this.revision, isObject(r.node) ? r.node : {}, r.pointer)
    const result = this.compareResolved(bf.node, rf.node, bf.pointer, rf.pointer)
    if (key !== undefined) {
      this.inProgress.delete(key)
      this.memo.set(key, result)
    }
    return result
  }

  private compareResolved(base: JsonObject, revision: JsonObject, bp: string, rp: string): SchemaDiff | undefined {
    if (base === revision) return undefined
    const d: SchemaDiff = {base, revision, basePointer: bp, revisionPointer: rp}
    let changed = false
    const mark = () => {
      changed = true
    }

    const wrapper = (['oneOf', 'anyOf'] as const).find(
      (k) =>
        Array.isArray(revision[k]) &&
        simpleTypeList(revision) === undefined &&
        !Array.isArray(base[k]) &&
        revision['type'] === undefined &&
        revision['properties'] === undefined &&
        (base['type'] !== undefined || base['properties'] !== undefined),
    )
    if (wrapper) {
      d.wrappedIn = wrapper
      return d
    }

    const bt = typesOf(base)
    const rt = typesOf(revision)
    if (bt.types.join() !== rt.types.join()) {
      d.type = {from: bt.types, to: rt.types}
      mark()
    }
    if (bt.nullable !== rt.nullable) {
      d.nullable = {from: bt.nullable, to: rt.nullable}
      mark()
    }
    for (const k of SCALAR_CHANGES) {
      if (base[k] !== revision[k]) {
        const from = base[k]
        const to = revision[k]
        if (k === 'readOnly' || k === 'writeOnly' || k === 'deprecated') {
          if ((from === true) !== (to === true)) {
            d[k] = {from: from === true, to: to === true}
            mark()
          }
        } else {
          d[k] = {from: from === undefined ? undefined : String(from), to: to === undefined ? undefined : String(to)}
          mark()
        }
      }
    }
    if (!deepEqual(base['default'], revision['default'])) {
      d.default = {from: base['default'], to: revision['default']}
      mark()
    }
    if (!deepEqual(base['const'], revision['const'])) {
      d.const = {from: base['const'], to: revision['const']}
      mark()
    }
    // A null in the enum of a nullable schema only repeats `nullable` (3.0 needs it, 3.1 lists it): not a value.
    const enumOf = (s: JsonObject, nullable: boolean) =>
      Array.isArray(s['enum']) ? (nullable ? s['enum'].filter((v) => v !== null) : s['enum']) : undefined
    const be = enumOf(base, bt.nullable)
    const re = enumOf(revision, rt.nullable)
    if (be || re) {
      const {added, removed} = setDiff(be ?? [], re ?? [])
      if (added.length || removed.length || !be !== !re) {
        d.enum = {from: be, to: re, added, removed}
        mark()
      }
    }
    const bx = base['x-extensible-enum']
    const rx = revision['x-extensible-enum']
    if (Array.isArray(bx) || Array.isArray(rx)) {
      const s = setDiff(Array.isArray(bx) ? bx : [], Array.isArray(rx) ? rx : [])
      if (s.added.length || s.removed.length) {
        d.extensibleEnum = s
        mark()
      }
    }
    const bb = bounds(base)
    const rb = bounds(revision)
    for (const name of [...NUMERIC_CONSTRAINTS, 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
      const from = name in bb ? bb[name as keyof Bounds] : base[name]
      const to = name in rb ? rb[name as keyof Bounds] : revision[name]
      if (from === to) continue
      if (!deepEqual(from, to)) {
        d.constraints ??= []
        d.constraints.push({name, from, to})
        mark()
      }
    }
    const breq = Array.isArray(base['required']) ? base['required'].map(String) : []
    const rreq = Array.isArray(revision['required']) ? revision['required'].map(String) : []
    const reqDiff = setDiff(breq, rreq) as {added: string[]; removed: string[]}
    if (reqDiff.added.length || reqDiff.removed.length) {
      d.required = reqDiff
      mark()
    }

    const bprops = isObject(base['properties']) ? base['properties'] : undefined
    const rprops = isObject(revision['properties']) ? revision['properties'] : undefined
    if (bprops || rprops) {
      const added: string[] = []
      const removed: string[] = []
      const modified: Record<string, SchemaDiff> = {}
      let any = false
      for (const name of Object.keys(bprops ?? {})) {
        if (!rprops || !(name in rprops)) {
          removed.push(name)
          any = true
        } else {
          const sub = this.compare(
            bprops![name],
            rprops[name],
            `${bp}/properties/${escapePointerToken(name)}`,
            `${rp}/properties/${escapePointerToken(name)}`,
          )
          if (sub) {
            modified[name] = sub
            any = true
          }
        }
      }
      for (const name of Object.keys(rprops ?? {}))
        if (!bprops || !(name in bprops)) {
          added.push(name)
          any = true
        }
      if (any) {
        d.properties = {added, removed, modified}
        mark()
      }
    }

    if (base['items'] !== undefined || revision['items'] !== undefined) {
      if (base['items'] === undefined) {
        d.itemsAdded = true
        mark()
      } else if (revision['items'] === undefined) {
        d.itemsRemoved = true
        mark()
      } else {
        const sub = this.compare(base['items'], revision['items'], `${bp}/items`, `${rp}/items`)
        if (sub) {
          d.items = sub
          mark()
        }
      }
    }

    const bap = base['additionalProperties']
    const rap = revision['additionalProperties']
    if (bap !== undefined || rap !== undefined) {
      if (isObject(bap) && isObject(rap)) {
        const sub = this.compare(bap, rap, `${bp}/additionalProperties`, `${rp}/additionalProperties`)
        if (sub) {
          d.additionalProperties = {from: bap, to: rap, diff: sub}
          mark()
        }
      } else if (!deepEqual(bap, rap)) {
        d.additionalProperties = {from: bap, to: rap}
        mark()
      }
    }

    const typeLists = simpleTypeList(base) !== undefined || simpleTypeList(revision) !== undefined
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
      // A 3.0-style list of types (oneOf: [{type: string}, {type: integer}]) is judged as types, not subschemas.
      const plain = (x: JsonObject) => simpleTypeList(x) !== undefined || !Array.isArray(x[k])
      if (k !== 'allOf' && typeLists && plain(base) && plain(revision)) continue
      const sub = this.compareList(base[k], revision[k], `${bp}/${k}`, `${rp}/${k}`)
      if (sub) {
        d[k] = sub
        mark()
      }
    }
    if (base['not'] !== undefined || revision['not'] !== undefined) {
      const sub = this.compare(base['not'] ?? {}, revision['not'] ?? {}, `${bp}/not`, `${rp}/not`)
      if (sub || (base['not'] === undefined) !== (revision['not'] === undefined)) {
        d.not = sub ?? {base: {}, revision: {}, basePointer: `${bp}/not`, revisionPointer: `${rp}/not`}
        mark()
      }
    }

    const bd = isObject(base['discriminator']) ? base['discriminator'] : undefined
    const rd = isObject(revision['discriminator']) ? revision['discriminator'] : undefined
    if (bd || rd) {
      if (!bd) {
        d.discriminator = {added: true}
        mark()
      } else if (!rd) {
        d.discriminator = {removed: true}
        mark()
      } else if (!deepEqual(bd, rd)) {
        const disc: NonNullable<SchemaDiff['discriminator']> = {}
        if (bd['propertyName'] !== rd['propertyName'])
          disc.propertyName = {from: bd['propertyName'] as string | undefined, to: rd['propertyName'] as string | undefined}
        const bm = isObject(bd['mapping']) ? Object.keys(bd['mapping']) : []
        const rm = isObject(rd['mapping']) ? Object.keys(rd['mapping']) : []
        const m = setDiff(bm, rm) as {added: string[]; removed: string[]}
        if (m.added.length || m.removed.length) disc.mapping = m
        d.discriminator = disc
        mark()
      }
    }

    for (const k of ['x-stability-level', 'x-sunset']) {
      if (base[k] !== revision[k]) {
        d.extensions ??= {}
        d.extensions[k] = {from: base[k], to: revision[k]}
        mark()
      }
    }
    return changed ? d : undefined
  }

  private compareList(baseRaw: unknown, revisionRaw: unknown, bp: string, rp: string): SubschemaChange | undefined {
    const bl = Array.isArray(baseRaw) ? baseRaw : []
    const rl = Array.isArray(revisionRaw) ? revisionRaw : []
    if (bl.length === 0 && rl.length === 0) return undefined
    const out: SubschemaChange = {added: [], removed: [], modified: []}
    const unmatchedRevision = new Set(rl.keys())
    const refOf = (v: unknown) => (isObject(v) && typeof v['$ref'] === 'string' ? v['$ref'] : undefined)
    const pair = (i: number, j: number) => {
      unmatchedRevision.delete(j)
      const sub = this.compare(bl[i], rl[j], `${bp}/${i}`, `${rp}/${j}`)
      if (sub) out.modified.push({baseIndex: i, revisionIndex: j, diff: sub})
    }
    // First pass: the same $ref on both sides is the same branch, changed or not.
    let left: number[] = []
    bl.forEach((b, i) => {
      const bref = refOf(b)
      const j = bref === undefined ? undefined : [...unmatchedRevision].find((x) => refOf(rl[x]) === bref)
      if (j === undefined) left.push(i)
      else pair(i, j)
    })
    // Second pass, before any branch counts as added or removed: branches equal by structure (a $ref and the
    // same schema inline, another order, 3.0 and 3.1 spellings of null) are the same branch.
    if (left.length && unmatchedRevision.size) {
      const byKey = new Map<number, number[]>()
      for (const j of unmatchedRevision) {
        const key = this.keys.of(this.revision, rl[j])
        byKey.set(key, [...(byKey.get(key) ?? []), j])
      }
      left = left.filter((i) => {
        const j = byKey.get(this.keys.of(this.base, bl[i]))?.shift()
        if (j === undefined) return true
        pair(i, j)
        return false
      })
    }
    // Third pass: branches that compare equal, $ref or inline (keys differ where a cycle was met from another
    // schema first, or for keywords the keys keep but no check reads).
    for (const i of [...left]) {
      const j = [...unmatchedRevision].find((x) => this.compare(bl[i], rl[x], `${bp}/${i}`, `${rp}/${x}`) === undefined)
      if (j === undefined) continue
      unmatchedRevision.delete(j)
      left.splice(left.indexOf(i), 1)
    }
    // Fourth pass: a branch left alone on each side with the same type (a branch changed, and perhaps moved
    // between $ref and inline) is that branch modified.
    if (left.length && unmatchedRevision.size) {
      const typeOf = (doc: SpecDocument, raw: unknown) => {
        const node = doc.resolve<unknown>(raw, '').node
        return isObject(node) ? typesOf(normaliseSchema(doc, node, '').node).types.join() : ''
      }
      const count = (list: string[], t: string) => list.filter((x) => x === t).length
      const bt = left.map((i) => typeOf(this.base, bl[i]))
      const rj = [...unmatchedRevision]
      const rt = rj.map((j) => typeOf(this.revision, rl[j]))
      left = left.filter((i, n) => {
        const t = bt[n]!
        if (t === '' || count(bt, t) !== 1 || count(rt, t) !== 1) return true
        pair(i, rj[rt.indexOf(t)]!)
        return false
      })
    }
    const unmatchedBase = left
    // Second pass: inline schemas left over are paired in order.
    const leftRevision = [...unmatchedRevision].filter((j) => refOf(rl[j]) === undefined)
    for (const i of unmatchedBase) {
      if (refOf(bl[i]) === undefined && leftRevision.length) {
        const j = leftRevision.shift()!
        unmatchedRevision.delete(j)
        const sub = this.compare(bl[i], rl[j], `${bp}/${i}`, `${rp}/${j}`)
        if (sub) out.modified.push({baseIndex: i, revisionIndex: j, diff: sub})
      } else {
        const at = this.base.resolve<unknown>(bl[i], `${bp}/${i}`)
        out.removed.push({node: isObject(at.node) ? at.node : {}, pointer: at.pointer, index: i})
      }
    }
    for (const j of unmatchedRevision) {
      const at = this.revision.resolve<unknown>(rl[j], `${rp}/${j}`)
      out.added.push({node: isObject(at.node) ? at.node : {}, pointer: at.pointer, index: j})
    }
    return out.added.length || out.removed.length || out.modified.length ? out : undefined
  }
}
