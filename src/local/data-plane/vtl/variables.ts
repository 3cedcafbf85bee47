/**
 * AWS's `$input` and `$util` for mapping templates
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html).
 * JSONPath is jsonpath-plus in its safe evaluator (filters such as `[?(@.price < 10)]` work, no JavaScript runs).
 */
import {JSONPath} from 'jsonpath-plus'
import {JavaCallError, javaToString, mapGet, markCaseInsensitive, toJsonText} from './java.ts'

/** The request (or integration response) a template reads: raw body text and the method request parameters. */
export type TemplateParams = {path: Record<string, string>; querystring: Record<string, string>; header: Record<string, string>}

/** The payload is not JSON while the template asked for `$input.json`/`$input.path` (AWS: 400 on the request side). */
export class BodyNotJsonError extends Error {}

// A JSONPath is indefinite (answers a list, as Jayway JsonPath does) when it has a wildcard, deep scan, filter,
// union or slice.
const INDEFINITE = /\.\.|\*|\?\(|\[[^\]'"]*[,:][^\]'"]*\]/

function normalisePath(path: unknown): string {
  const p = path === null || path === undefined ? '$' : javaToString(path).trim()
  if (p === '' || p === '$') return '$'
  if (p.startsWith('$')) return p
  return p.startsWith('[') ? `$${p}` : `$.${p}`
}

/** `$input`: methods are looked up on the prototype, so a template can call them but never list or replace them. */
export class InputVariable {
  readonly body: string
  readonly #raw: string
  readonly #params: TemplateParams
  #parsed: {value: unknown} | undefined

  constructor(body: string, params: TemplateParams) {
    this.#raw = body
    // AWS: an empty payload reads as `{}` in both `$input.body` and `$input.json('$')`.
    this.body = body.trim() === '' ? '{}' : body
    this.#params = params
  }

  #document(): unknown {
    if (!this.#parsed) {
      if (this.#raw.trim() === '') this.#parsed = {value: {}}
      else {
        try {
          this.#parsed = {value: JSON.parse(this.#raw)}
        } catch (e) {
          throw new BodyNotJsonError((e as Error).message)
        }
      }
    }
    return this.#parsed.value
  }

  #select(path: unknown): unknown {
    const p = normalisePath(path)
    const doc = this.#document()
    if (p === '$') return doc
    let results: unknown[]
    try {
      results = JSONPath({path: p, json: doc as object, wrap: true, eval: 'safe'}) as unknown[]
    } catch (e) {
      throw new JavaCallError(`Invalid JSONPath ${p}: ${(e as Error).message}`)
    }
    if (INDEFINITE.test(p)) return results
    return results.length === 0 ? null : results[0]
  }

  /** The value at a JSONPath as a template object (maps print `{a=1}`); a missing path is null. */
  path(path: unknown): unknown {
    const v = this.#select(path)
    return v === null || v === undefined ? null : structuredClone(v)
  }

  /** The value at a JSONPath as JSON text; a missing path is null (renders as nothing). */
  json(path: unknown): string | null {
    const v = this.#select(path)
    return v === null || v === undefined ? null : toJsonText(v)
  }

  /** No argument: `{path, querystring, header}`; a name: its value from path, then query string, then header. */
  params(name?: unknown): unknown {
    if (name === undefined) {
      return {
        path: {...this.#params.path},
        querystring: {...this.#params.querystring},
        header: markCaseInsensitive({...this.#params.header}),
      }
    }
    const key = javaToString(name)
    for (const where of [this.#params.path, this.#params.querystring, markCaseInsensitive({...this.#params.header})]) {
      const v = mapGet(where, key)
      if (v !== undefined) return v
    }
    return ''
  }
}

// java.net.URLEncoder keeps these bytes as they are; everything else is %XX of its UTF-8 bytes, space is `+`.
const URL_SAFE = /[A-Za-z0-9.\-*_]/

/** Apache Commons `escapeJavaScript`: quotes, backslash, slash, control and non-ASCII characters escaped. */
function escapeJavaScript(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const ch = s[i]!
    if (c > 0x7f) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`
    else if (c < 0x20) {
      const named: Record<number, string> = {8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r'}
      out += named[c] ?? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`
    } else if (ch === "'" || ch === '"' || ch === '\\' || ch === '/') out += `\\${ch}`
    else out += ch
  }
  return out
}

/** `$util` (methods on the prototype, as for `$input`). */
export class UtilVariable {
  escapeJavaScript(v: unknown): string | null {
    return v === null || v === undefined ? null : escapeJavaScript(javaToString(v))
  }

  parseJson(v: unknown): unknown {
    if (v === null || v === undefined) return null
    try {
      return JSON.parse(javaToString(v))
    } catch (e) {
      throw new JavaCallError(`$util.parseJson: ${(e as Error).message}`)
    }
  }

  urlEncode(v: unknown): string | null {
    if (v === null || v === undefined) return null
    let out = ''
    for (const byte of Buffer.from(javaToString(v), 'utf8')) {
      const ch = String.fromCharCode(byte)
      if (byte === 0x20) out += '+'
      else if (byte < 0x80 && URL_SAFE.test(ch)) out += ch
      else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
    }
    return out
  }

  urlDecode(v: unknown): string | null {
    if (v === null || v === undefined) return null
    try {
      return decodeURIComponent(javaToString(v).replace(/\+/g, ' '))
    } catch {
      throw new JavaCallError(`java.lang.IllegalArgumentException: URLDecoder: Illegal hex characters in escape (%) pattern`)
    }
  }

  base64Encode(v: unknown): string | null {
    return v === null || v === undefined ? null : Buffer.from(javaToString(v), 'utf8').toString('base64')
  }

  base64Decode(v: unknown): string | null {
    return v === null || v === undefined ? null : Buffer.from(javaToString(v), 'base64').toString('utf8')
  }
}
