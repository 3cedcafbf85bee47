/** How AWS's execution log prints values. */

/** `{a=1, b=2}`: how AWS's execution log prints maps. */
export function javaMap(map: Record<string, string>): string {
  return `{${Object.entries(map)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`
}

/** Execution log events are cut near 1024 bytes, as AWS's are. */
export function truncate(text: string): string {
  return text.length > 1000 ? `${text.slice(0, 1000)} [TRUNCATED]` : text
}
