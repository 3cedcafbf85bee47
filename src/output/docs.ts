/** Human output of `apigw docs`: what was written where, and the page to open. */
import type {DocsResult} from '../services/docs/docs.ts'
import {terminalSafeDeep} from './terminal-text.ts'

export function renderDocs(raw: DocsResult): string {
  const r = terminalSafeDeep(raw)
  const keys = r.apiKeyRequired.length ? `; ${r.apiKeyRequired.length} need an API key (x-api-key)` : ''
  const docs =
    r.type === 'http'
      ? 'HTTP API: no documentation parts'
      : r.documentationVersion
        ? `documentation version ${r.documentationVersion}`
        : 'no documentation version'
  return [
    `Wrote ${r.files.length} files to ${r.output}: stage ${r.stage} of ${r.api} (${docs}), rendered by Swagger UI ${r.renderer.version}`,
    `  ${r.operations.length} operation${r.operations.length === 1 ? '' : 's'}${keys}; server ${r.invokeUrl}`,
    `Open ${r.index} in a browser (it works offline, from a file URL).`,
  ].join('\n')
}
