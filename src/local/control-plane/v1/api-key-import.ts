/**
 * ImportApiKeys: API keys from AWS's CSV key file, linked to the usage plans the file names.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-file-format.html
 */
import type {ApiKeyIds} from '@aws-sdk/client-api-gateway'
import {parse as parseCsv} from 'csv-parse/sync'
import {badRequest} from '../../protocol/aws-error.ts'
import type {OperationContext, OperationRequest, OperationResult} from '../../types.ts'
import {KIND} from '../model.ts'
import {bool, checkKeyLimit, findByValue, MAX_NAME, plansOfKey, valueProblem} from './api-keys.ts'
import {nowSeconds} from './common.ts'
import {linkKeyToPlan} from './usage-plans.ts'

type CsvRow = {line: number; fields: Record<string, string>}

/**
 * Parse AWS's API key file: a header row (names case-insensitive, any order, unknown columns ignored) with
 * Name and Key required, plus Description, Enabled, UsagePlanIds (a comma list quoted with double or single
 * quotes). https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-file-format.html
 */
export function parseApiKeyCsv(text: string): CsvRow[] {
  // The format allows single quotes around UsagePlanIds; csv-parse takes one quote character, so a file
  // quoted only with single quotes is read with that one.
  const quote = !text.includes('"') && text.includes("'") ? "'" : '"'
  let records: string[][]
  try {
    records = parseCsv(text, {bom: true, quote, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, trim: true})
  } catch (error) {
    throw badRequest(`Invalid API Key file: ${(error as Error).message}`)
  }
  const [header, ...rows] = records
  if (!header) throw badRequest('Invalid API Key file: the file is empty.')
  const columns = header.map((h) => h.toLowerCase())
  for (const required of ['name', 'key']) {
    if (!columns.includes(required)) throw badRequest(`Invalid API Key file: the ${required === 'key' ? 'Key' : 'Name'} column is missing.`)
  }
  return rows.map((row, i) => {
    const fields: Record<string, string> = {}
    columns.forEach((c, j) => {
      if (!(c in fields)) fields[c] = row[j] ?? ''
    })
    return {line: i + 2, fields}
  })
}

/**
 * ImportApiKeys: `POST /apikeys?mode=import&format=csv[&failonwarnings=true]` with the CSV as the raw body →
 * 201 `{ids, warnings}`. A row whose value matches an existing key overwrites that key. With failonwarnings
 * any warning rejects the whole file and nothing is imported.
 */
export function importApiKeys(req: OperationRequest, ctx: OperationContext): OperationResult {
  if ((req.query.format ?? '').toLowerCase() !== 'csv') {
    throw badRequest(`Invalid format specified: ${req.query.format ?? 'null'}. Valid options are csv`)
  }
  const failOnWarnings = bool(req.query.failonwarnings)
  const rows = parseApiKeyCsv(req.rawBody.toString('utf8'))
  const store = ctx.store
  const ids: string[] = []
  const warnings: string[] = []
  const now = nowSeconds(ctx)
  for (const {line, fields} of rows) {
    const value = fields.key ?? ''
    const name = fields.name ?? ''
    const problem = valueProblem(value) ?? (name.length > MAX_NAME ? 'Invalid API Key name, can be at most 1024 characters.' : undefined)
    if (problem) {
      warnings.push(`Line ${line}: ${problem}`)
      continue
    }
    const planIds = (fields.usageplanids ?? '')
      .replace(/^['"]|['"]$/g, '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    const missingPlan = planIds.find((p) => !store.get(KIND.usagePlan, p))
    if (missingPlan) {
      warnings.push(`Line ${line}: Invalid Usage Plan ID specified: ${missingPlan}`)
      continue
    }
    const enabledText = (fields.enabled ?? '').toLowerCase()
    let doc = findByValue(store, value)
    if (!doc) {
      checkKeyLimit(store)
      doc = {id: ctx.newId(10), value, enabled: true, createdDate: now, lastUpdatedDate: now, stageKeys: []}
    }
    if (name === '') delete doc.name
    else doc.name = name
    const description = fields.description ?? ''
    if (description === '') delete doc.description
    else doc.description = description
    // Missing columns default to an empty string or true (developer guide).
    doc.enabled = enabledText === '' ? true : enabledText === 'true'
    doc.lastUpdatedDate = now
    store.put(KIND.apiKey, doc.id, doc)
    // Re-importing a key overwrites it: plans it is already in are kept as they are.
    const linked = plansOfKey(store, doc.id)
    for (const planId of planIds) if (!linked.includes(planId)) linkKeyToPlan(ctx, planId, doc.id)
    ids.push(doc.id)
  }
  if (failOnWarnings && warnings.length > 0) {
    // Thrown inside the operation's transaction, so every row written above is rolled back.
    throw badRequest(`Warnings found during import:\n${warnings.join('\n')}`)
  }
  const body: ApiKeyIds = {ids, warnings}
  return {status: 201, body}
}
