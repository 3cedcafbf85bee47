/** A finding of `validate` (a rule) or `diff` (a check). Sorted and rendered by output/. */
export type Level = 'error' | 'warning' | 'info'

export type FindingLocation = {
  file: string
  /** JSON pointer into the document, e.g. '#/paths/~1pets/get'. */
  pointer: string
  line?: number
  column?: number
}

export type Finding = {
  id: string
  level: Level
  message: string
  hint?: string
  docsUrl?: string
  location: FindingLocation
  /** For diff findings: the operation the change belongs to, e.g. 'GET /pets'. */
  operation?: string
}

export const LEVEL_RANK: Record<Level, number> = {info: 0, warning: 1, error: 2}

/** True when `level` is at or above `threshold`. */
export function atOrAbove(level: Level, threshold: Level): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[threshold]
}

/** Deterministic order: file, line, pointer, id. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      a.location.pointer.localeCompare(b.location.pointer) ||
      a.id.localeCompare(b.id) ||
      a.message.localeCompare(b.message),
  )
}

export function countByLevel(findings: readonly Finding[]): Record<Level, number> {
  const counts: Record<Level, number> = {error: 0, warning: 0, info: 0}
  for (const f of findings) counts[f.level]++
  return counts
}

/** Encode one JSON-pointer token (RFC 6901). */
export function escapePointerToken(token: string | number): string {
  return String(token).replaceAll('~', '~0').replaceAll('/', '~1')
}

/** Build '#/a/b~1c' from tokens. */
export function pointerOf(tokens: ReadonlyArray<string | number>): string {
  return `#${tokens.map((t) => `/${escapePointerToken(t)}`).join('')}`
}

/** Split '#/a/b~1c' into tokens. */
export function parsePointer(pointer: string): string[] {
  const body = pointer.startsWith('#') ? pointer.slice(1) : pointer
  if (body === '' || body === '/') return body === '/' ? [''] : []
  return body
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}
