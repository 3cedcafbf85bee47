/**
 * The message-source tests (test/unit/local/v1-messages.test.ts, v2-messages.test.ts): the error messages a control
 * plane module can produce, read from its source text.
 */

/**
 * The message arguments of calls to `callees` (`badRequest(…)`, `notFound(…)`, …) and of `new AwsError(code, …)` in a
 * source: string literals joined by `+`, each `${…}` of a template as `{}`.
 */
export function messagesIn(source: string, callees: readonly string[]): string[] {
  const out: string[] = []
  const call = new RegExp(`\\b(${[...callees, 'new AwsError'].join('|')})\\(`, 'g')
  for (let m = call.exec(source); m; m = call.exec(source)) {
    let i = m.index + m[0].length
    // For AwsError skip the code argument.
    if (m[1] === 'new AwsError') {
      const comma = source.indexOf(',', i)
      i = comma + 1
    }
    const parts: string[] = []
    for (;;) {
      while (/\s/.test(source[i]!)) i++
      const q = source[i]
      if (q !== "'" && q !== '"' && q !== '`') break
      let j = i + 1
      let text = ''
      while (source[j] !== q) {
        if (source[j] === '\\') {
          const e = source[j + 1]!
          text += e === 'n' ? '\n' : e === 't' ? '\t' : e
          j += 2
        } else if (q === '`' && source[j] === '$' && source[j + 1] === '{') {
          let depth = 1
          j += 2
          while (depth > 0) {
            if (source[j] === '{') depth++
            if (source[j] === '}') depth--
            j++
          }
          text += '{}'
        } else text += source[j++]
      }
      parts.push(text)
      i = j + 1
      while (/\s/.test(source[i]!)) i++
      if (source[i] !== '+') break
      i++
    }
    if (parts.length > 0) out.push(parts.join(''))
  }
  return out
}
