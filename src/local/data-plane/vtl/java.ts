/**
 * The Java side of AWS's mapping templates. API Gateway runs Apache Velocity on the JVM, so values inside a template
 * behave like Java objects: JSON objects are maps that print as `{a=1, b=x}`, JSON arrays print as JSON
 * (`["a","b"]`, json-smart's JSONArray), and strings answer Java's String methods (`replaceAll` takes a regex,
 * `replace` replaces every occurrence, `length()` is a method). velocityjs evaluates templates over plain JavaScript
 * values, so this module gives those values their Java faces: how they print and which methods they answer.
 *
 * Regexes given to `replaceAll`, `replaceFirst`, `matches` and `split` run on re2js (linear time), so a template
 * cannot stall the emulator with a catastrophic pattern.
 */
import {RE2JS} from 're2js'

/** Raised for a Java exception a template would hit on AWS (bad index, bad regex); the chain answers 500. */
export class JavaCallError extends Error {}

/** Header maps look names up case-insensitively (`$input.params().header.get('content-type')`), as on AWS. */
const caseInsensitiveMaps = new WeakSet<object>()

export function markCaseInsensitive<T extends object>(map: T): T {
  caseInsensitiveMaps.add(map)
  return map
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)

/** Own-property read of a map, case-insensitive for header maps; never reaches the prototype chain. */
export function mapGet(map: Record<string, unknown>, key: unknown): unknown {
  const k = String(key)
  if (Object.hasOwn(map, k)) return map[k]
  if (caseInsensitiveMaps.has(map)) {
    const lower = k.toLowerCase()
    for (const name of Object.keys(map)) if (name.toLowerCase() === lower) return map[name]
  }
  return undefined
}

/** Java's `toString()` of a value as Velocity prints it: maps `{k=v}`, lists as JSON, null as `null`. */
export function javaToString(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return v
  if (typeof v === 'number') return javaNumber(v)
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (Array.isArray(v)) return toJsonText(v)
  if (typeof v === 'object') {
    const entries = Object.keys(v as object).map((k) => `${k}=${javaToString((v as Record<string, unknown>)[k])}`)
    return `{${entries.join(', ')}}`
  }
  return ''
}

/** What `$ref` renders: null and undefined render nothing (AWS renders missing references as empty text). */
export function renderValue(v: unknown): string {
  if (v === null || v === undefined) return ''
  return javaToString(v)
}

function javaNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity'
  return String(n)
}

/** Compact JSON as json-smart writes it (what `$input.json` returns and how a JSON array prints). */
export function toJsonText(v: unknown): string {
  const text = JSON.stringify(v, (_k, val) => (typeof val === 'bigint' ? Number(val) : val))
  return text === undefined ? 'null' : text
}

/** Velocity's `==`: nulls equal each other and the empty string (AWS: a missing path `== ""`), else by toString. */
export function velocityEquals(a: unknown, b: unknown): boolean {
  const an = a === null || a === undefined
  const bn = b === null || b === undefined
  if (an || bn) return (an && bn) || (an ? b === '' : a === '')
  if (typeof a === typeof b && typeof a !== 'object') return a === b
  if (typeof a === 'number' && typeof b === 'number') return a === b
  return javaToString(a) === javaToString(b)
}

function compileRegex(pattern: unknown): RE2JS {
  try {
    return RE2JS.compile(String(pattern))
  } catch (e) {
    throw new JavaCallError(`java.util.regex.PatternSyntaxException: ${(e as Error).message}`)
  }
}

/** `replaceAll`/`replaceFirst` with Java's replacement syntax (`$1`, `\$`), re2js's Java mode. */
function javaReplaceAll(s: string, pattern: unknown, replacement: unknown, firstOnly: boolean): string {
  const m = compileRegex(pattern).matcher(s)
  const repl = javaToString(replacement)
  try {
    return firstOnly ? m.replaceFirst(repl, true) : m.replaceAll(repl, true)
  } catch (e) {
    throw new JavaCallError(`java.lang.IllegalArgumentException: ${(e as Error).message}`)
  }
}

/** Java's `String.split(regex)`: trailing empty strings are dropped. */
function javaSplit(s: string, pattern: unknown): string[] {
  return compileRegex(pattern).split(s, 0)
}

function index(n: unknown, max: number, what: string): number {
  const i = Number(n)
  if (!Number.isInteger(i) || i < 0 || i > max) throw new JavaCallError(`java.lang.IndexOutOfBoundsException: ${what} ${String(n)}`)
  return i
}

/** Java's `String.trim()`: strips every character up to U+0020 at both ends. */
function javaTrim(s: string): string {
  let a = 0
  let b = s.length
  while (a < b && s.charCodeAt(a) <= 0x20) a++
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--
  return s.slice(a, b)
}

type Method = (self: never, args: unknown[]) => unknown

const stringMethods: Record<string, (s: string, a: unknown[]) => unknown> = {
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  equals: (s, [o]) => typeof o === 'string' && o === s,
  equalsIgnoreCase: (s, [o]) => typeof o === 'string' && o.toLowerCase() === s.toLowerCase(),
  contains: (s, [o]) => s.includes(javaToString(o)),
  startsWith: (s, [o]) => s.startsWith(javaToString(o)),
  endsWith: (s, [o]) => s.endsWith(javaToString(o)),
  indexOf: (s, [o, from]) => s.indexOf(javaToString(o), from === undefined ? 0 : Number(from)),
  lastIndexOf: (s, [o]) => s.lastIndexOf(javaToString(o)),
  charAt: (s, [i]) => s.charAt(index(i, s.length - 1, 'String index out of range:')),
  substring: (s, [a, b]) => {
    const start = index(a, s.length, 'begin')
    const end = b === undefined ? s.length : index(b, s.length, 'end')
    if (end < start) throw new JavaCallError(`java.lang.StringIndexOutOfBoundsException: begin ${start}, end ${end}`)
    return s.substring(start, end)
  },
  toLowerCase: (s) => s.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  trim: (s) => javaTrim(s),
  strip: (s) => s.trim(),
  concat: (s, [o]) => s + javaToString(o),
  replace: (s, [a, b]) => s.split(javaToString(a)).join(javaToString(b)),
  replaceAll: (s, [p, r]) => javaReplaceAll(s, p, r, false),
  replaceFirst: (s, [p, r]) => javaReplaceAll(s, p, r, true),
  matches: (s, [p]) => compileRegex(p).matches(s),
  split: (s, [p]) => javaSplit(s, p),
  toString: (s: string) => s,
  hashCode: (s) => {
    let h = 0
    for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0
    return h
  },
}

const numberMethods: Record<string, (n: number, a: unknown[]) => unknown> = {
  intValue: (n) => Math.trunc(n) | 0,
  longValue: (n) => Math.trunc(n),
  doubleValue: (n) => n,
  floatValue: (n) => n,
  toString: (n: number) => javaNumber(n),
  equals: (n, [o]) => typeof o === 'number' && o === n,
}

const booleanMethods: Record<string, (b: boolean, a: unknown[]) => unknown> = {
  booleanValue: (b) => b,
  toString: (b: boolean) => String(b),
  equals: (b, [o]) => o === b,
}

const listMethods: Record<string, (l: unknown[], a: unknown[]) => unknown> = {
  size: (l) => l.length,
  isEmpty: (l) => l.length === 0,
  get: (l, [i]) => l[index(i, l.length - 1, 'Index')],
  contains: (l, [o]) => l.some((x) => velocityEquals(x, o)),
  indexOf: (l, [o]) => l.findIndex((x) => velocityEquals(x, o)),
  add: (l, [o, p]) => {
    if (p === undefined) l.push(o)
    else l.splice(index(o, l.length, 'Index'), 0, p)
    return true
  },
  addAll: (l, [o]) => {
    if (Array.isArray(o)) l.push(...o)
    return true
  },
  set: (l, [i, o]) => {
    const k = index(i, l.length - 1, 'Index')
    const old = l[k]
    l[k] = o
    return old
  },
  remove: (l, [o]) => {
    if (typeof o === 'number') return l.splice(index(o, l.length - 1, 'Index'), 1)[0]
    const k = l.findIndex((x) => velocityEquals(x, o))
    if (k >= 0) l.splice(k, 1)
    return k >= 0
  },
  subList: (l, [a, b]) => l.slice(index(a, l.length, 'fromIndex'), index(b, l.length, 'toIndex')),
  toString: (l: unknown[]) => javaToString(l),
  clear: (l) => {
    l.length = 0
  },
}

const mapMethods: Record<string, (m: Record<string, unknown>, a: unknown[]) => unknown> = {
  size: (m) => Object.keys(m).length,
  isEmpty: (m) => Object.keys(m).length === 0,
  get: (m, [k]) => mapGet(m, k),
  getOrDefault: (m, [k, d]) => {
    const v = mapGet(m, k)
    return v === undefined ? d : v
  },
  containsKey: (m, [k]) => mapGet(m, k) !== undefined,
  containsValue: (m, [v]) => Object.values(m).some((x) => velocityEquals(x, v)),
  keySet: (m) => Object.keys(m),
  values: (m) => Object.values(m),
  entrySet: (m) => Object.keys(m).map((key) => ({key, value: m[key]})),
  put: (m, [k, v]) => {
    const key = String(k)
    if (key === '__proto__') return undefined
    const old = m[key]
    m[key] = v
    return old
  },
  putAll: (m, [o]) => {
    if (isPlainObject(o)) for (const [k, v] of Object.entries(o)) if (k !== '__proto__') m[k] = v
  },
  remove: (m, [k]) => {
    const key = String(k)
    const old = Object.hasOwn(m, key) ? m[key] : undefined
    delete m[key]
    return old
  },
  toString: (m: Record<string, unknown>) => javaToString(m),
  clear: (m) => {
    for (const k of Object.keys(m)) delete m[k]
  },
}

/** The Java method table for a data value, or undefined when the value is not template data (a host object). */
function methodsFor(v: unknown): Record<string, Method> | undefined {
  if (typeof v === 'string') return stringMethods as Record<string, Method>
  if (typeof v === 'number') return numberMethods as Record<string, Method>
  if (typeof v === 'boolean') return booleanMethods as Record<string, Method>
  if (Array.isArray(v)) return listMethods as Record<string, Method>
  if (isPlainObject(v)) return mapMethods as Record<string, Method>
  return undefined
}

/**
 * Call `name(args)` on a data value as Java would. Returns `{handled: false}` for host objects (`$input`, `$util`),
 * whose own methods the engine calls; an unknown method on data answers undefined (Velocity renders nothing).
 */
export function callJavaMethod(self: unknown, name: string, args: unknown[]): {handled: boolean; value?: unknown} {
  const table = methodsFor(self)
  if (!table) return {handled: false}
  const fn = Object.hasOwn(table, name) ? table[name] : undefined
  if (!fn) {
    // Java bean getters on maps: `$map.getFoo()` reads `foo`.
    if (isPlainObject(self) && /^get[A-Z]/.test(name) && args.length === 0) {
      const prop = name.slice(3)
      return {handled: true, value: mapGet(self, prop[0]!.toLowerCase() + prop.slice(1)) ?? mapGet(self, prop)}
    }
    return {handled: true, value: undefined}
  }
  return {handled: true, value: fn(self as never, args)}
}
