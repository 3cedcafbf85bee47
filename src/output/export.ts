/** Human output of `export spec` and `export sdk`: the document itself, or what was written where. */
import type {ExportSdkResult} from '../services/export/sdk.ts'
import type {ExportSpecResult} from '../services/export/spec.ts'

/** stdout of `export spec`: the document, or the path it was written to. */
export function renderExportSpec(r: ExportSpecResult): string {
  if (r.content !== undefined) return r.content
  return `Wrote ${r.path} (${r.type === 'rest' ? r.format : 'oas30'}, ${r.outputType}, ${r.bytes} bytes) from stage ${r.stage} of ${r.api}`
}

export function renderExportSdk(r: ExportSdkResult): string {
  const what = r.language === 'typescript' ? 'TypeScript client (openapi-typescript types + fetch client)' : `${r.language} SDK (GetSdk)`
  if (r.zip) return `Wrote ${r.zip}: ${what} of stage ${r.stage} of ${r.api}`
  const lines = [`Wrote ${r.files.length} file${r.files.length === 1 ? '' : 's'} to ${r.output}: ${what} of stage ${r.stage} of ${r.api}`]
  for (const f of r.files) lines.push(`  ${f}`)
  for (const f of r.kept) lines.push(`  ${f} (kept: exists; --force replaces it)`)
  return lines.join('\n')
}
