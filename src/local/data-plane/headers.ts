/**
 * Headers as an ordered list of (name, value) pairs in the client's casing, so multi-value headers and
 * casing survive end to end (the Lambda proxy event shows both). Lookups are case-insensitive.
 */
export type HeaderList = Array<[string, string]>

/** The pairs of a node request (`rawHeaders` is a flat [name, value, ...] list in arrival order). */
export function fromRawHeaders(raw: string[]): HeaderList {
  const out: HeaderList = []
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!])
  return out
}

/** Every value of a header, in order. */
export function getAll(headers: HeaderList, name: string): string[] {
  const lower = name.toLowerCase()
  const out: string[] = []
  for (const [k, v] of headers) if (k.length === lower.length && k.toLowerCase() === lower) out.push(v)
  return out
}

/** The first value of a header, or undefined. */
export function getFirst(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase()
  // Names of another length cannot match: most are skipped without lowercasing them.
  for (const [k, v] of headers) if (k.length === lower.length && k.toLowerCase() === lower) return v
  return undefined
}

/** Remove every value of a header (case-insensitive); returns the list for chaining. */
export function removeHeader(headers: HeaderList, name: string): HeaderList {
  const lower = name.toLowerCase()
  for (let i = headers.length - 1; i >= 0; i--) {
    const k = headers[i]![0]
    if (k.length === lower.length && k.toLowerCase() === lower) headers.splice(i, 1)
  }
  return headers
}

/** Replace every value of a header with one value. */
export function setHeader(headers: HeaderList, name: string, value: string): HeaderList {
  removeHeader(headers, name)
  headers.push([name, value])
  return headers
}

/**
 * `{name: last value}` and `{name: [values]}` keyed by the casing first seen, as the Lambda proxy event's
 * `headers` / `multiValueHeaders` are; null when there are none.
 */
export function toMaps(pairs: HeaderList): {single: Record<string, string> | null; multi: Record<string, string[]> | null} {
  if (pairs.length === 0) return {single: null, multi: null}
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  const casing = new Map<string, string>()
  for (const [k, v] of pairs) {
    const lower = k.toLowerCase()
    let key = casing.get(lower)
    if (key === undefined) {
      key = k
      casing.set(lower, k)
    }
    single[key] = v
    const list = multi[key] ?? []
    list.push(v)
    multi[key] = list
  }
  return {single, multi}
}
