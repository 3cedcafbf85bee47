/** `apigw invoke`'s human output: the status line, the headers, a blank line, the body (like `curl -i`). */
import type {InvokeResult} from '../services/invoke/invoke.ts'

export function renderInvoke(result: InvokeResult): string {
  const lines = [`HTTP ${result.status}`]
  for (const [name, values] of Object.entries(result.headers)) for (const v of values) lines.push(`${name}: ${v}`)
  lines.push('')
  const body =
    result.bodyEncoding === 'base64'
      ? `(binary body, ${Buffer.from(result.body, 'base64').length} bytes, base64)\n${result.body}`
      : result.body
  return `${lines.join('\n')}\n${body}${body.endsWith('\n') || body === '' ? '' : '\n'}`
}
