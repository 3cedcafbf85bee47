/**
 * Text that came from AWS or the emulator (names, descriptions, tags, log messages, error messages) is
 * untrusted: a usage plan named `\e]0;pwned\a` would retitle the terminal, `\r\n` would fake a table row,
 * and bidi overrides reorder what the eye reads. Human renderers pass such text through `terminalSafe`
 * before colouring it, so control characters print as visible escapes (`\e`, `\r`, `\x07`, `\u202e`).
 * JSON output never goes through here: JSON.stringify escapes C0 controls itself.
 */

// Control characters (C0 with tab and newline, DEL, C1) and the Unicode bidi controls.
const UNSAFE = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u
const UNSAFE_ALL = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu

const NAMED: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\u001b': '\\e', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\u0000': '\\0'}

function escapeOne(ch: string): string {
  const named = NAMED[ch]
  if (named) return named
  const code = ch.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

export type TerminalSafeOptions = {
  /** Keep line breaks (multi-line messages we wrote around untrusted parts); default false: `\n` shows as `\n`. */
  newlines?: boolean
}

/** `s` with every control character shown as a visible escape; tabs are kept. Fast when there is nothing to escape. */
export function terminalSafe(s: string, options: TerminalSafeOptions = {}): string {
  if (!UNSAFE.test(s)) return s
  return s.replace(UNSAFE_ALL, (ch) => (ch === '\t' || (ch === '\n' && options.newlines) ? ch : escapeOne(ch)))
}

/**
 * A copy of a result with every string in it made terminal-safe (plain objects and arrays are walked;
 * other values are kept). Renderers call it on their input, then add colour, so colour codes survive.
 */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T
  if (Array.isArray(value)) return value.map((v) => terminalSafeDeep(v)) as T
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) return value
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = terminalSafeDeep(v)
    return out as T
  }
  return value
}
