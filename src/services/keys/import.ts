/**
 * `apigw keys import FILE`: API keys from AWS's CSV key file (Name, Key, Description, Enabled, UsagePlanIds;
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-file-format.html) brought under apigw:
 * imported with ImportApiKeys (failOnWarnings, so a bad file imports nothing), then named `NAME/g<N>` and
 * tagged like keys apigw created. UsagePlanIds may also hold plan names from apigw.yaml. Importing the same
 * file again changes nothing: a key whose value exists already keeps its id, name and generation.
 * Values are read from the file and sent to AWS, never printed.
 */
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {parse as parseCsv} from 'csv-parse/sync'
import {CliError} from '../../errors.ts'
import {
  checkKeyName,
  checkKeyQuota,
  type KeysDeps,
  type KeysOptions,
  keyNameOf,
  keysContext,
  keysPortFor,
  planNames,
  readKeysState,
  resolvePlan,
  TAG_GENERATION,
  TAG_KEY,
} from './common.ts'

export type ImportOptions = KeysOptions & {file: string}

export type ImportedKey = {
  name: string
  keyName: string
  id: string
  generation: number
  enabled: boolean
  plans: string[]
  created: boolean
}
export type ImportResult = {file: string; imported: ImportedKey[]; warnings: string[]}

type Row = {
  line: number
  name: string
  generation: number | undefined
  value: string
  description: string
  enabled: boolean
  planRefs: string[]
}

/** Parse the key file; problems name the line and the column, never the value. */
export function parseKeyFile(text: string, file: string): Row[] {
  const quote = !text.includes('"') && text.includes("'") ? "'" : '"'
  let records: string[][]
  try {
    records = parseCsv(text, {bom: true, quote, relax_column_count: true, skip_empty_lines: true, trim: true})
  } catch (error) {
    const line = (error as {lines?: number}).lines
    throw new CliError(
      'KEYS_FILE_INVALID',
      `${file}${line ? `:${line}` : ''}: not a valid CSV file (${(error as {code?: string}).code ?? 'parse error'}).`,
      {hint: "The format is AWS's API key file: a header row Name,Key,Description,Enabled,UsagePlanIds, then one key per line."},
    )
  }
  const [header, ...rows] = records
  const columns = (header ?? []).map((h) => h.toLowerCase())
  for (const required of ['name', 'key']) {
    if (!columns.includes(required)) {
      throw new CliError('KEYS_FILE_INVALID', `${file}:1: the ${required === 'key' ? 'Key' : 'Name'} column is missing.`, {
        hint: 'The first line must name the columns: Name,Key,Description,Enabled,UsagePlanIds (Name and Key are required).',
      })
    }
  }
  const at = (row: string[], column: string) => {
    const i = columns.indexOf(column)
    return i < 0 ? '' : (row[i] ?? '')
  }
  return rows.map((row, i) => {
    const line = i + 2
    const rawName = at(row, 'name')
    const m = /^(.*)\/g(\d+)$/.exec(rawName)
    const name = m ? m[1]! : rawName
    const value = at(row, 'key')
    if (value.length < 20 || value.length > 128) {
      throw new CliError(
        'KEYS_FILE_INVALID',
        `${file}:${line}: the Key of ${rawName || 'this row'} is ${value.length} characters long; API Gateway takes 20 to 128.`,
        {hint: 'Fix the value in the file (it is not shown here), then import again.'},
      )
    }
    try {
      checkKeyName(name)
    } catch (error) {
      throw new CliError('KEYS_FILE_INVALID', `${file}:${line}: ${(error as Error).message}`, {hint: (error as CliError).hint})
    }
    const enabled = at(row, 'enabled').toLowerCase()
    return {
      line,
      name,
      generation: m ? Number(m[2]) : undefined,
      value,
      description: at(row, 'description'),
      enabled: enabled === '' || enabled === 'true',
      planRefs: at(row, 'usageplanids')
        .replace(/^['"]|['"]$/g, '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    }
  })
}

export async function importKeys(options: ImportOptions, deps: KeysDeps): Promise<ImportResult> {
  const path = resolve(options.cwd, options.file)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new CliError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `Cannot read ${path} (${code ?? 'error'}).`, {
      hint: 'Pass the path of a CSV key file: `apigw keys import keys.csv`.',
      cause: error,
    })
  }
  const rows = parseKeyFile(text, options.file)
  if (rows.length === 0)
    throw new CliError('KEYS_FILE_INVALID', `${options.file} has no keys, only a header.`, {hint: 'Add one line per key under the header.'})
  const ctx = await keysContext(options, {api: false})
  const port = keysPortFor(deps)
  const state = await deps.progress.step('Read API keys and usage plans', () => readKeysState(port, ctx))
  const byValue = new Map((await port.listApiKeys({includeValues: true})).map((k) => [k.value ?? '', k.id ?? '']))
  const nextGen = new Map<string, number>()
  for (const k of state.keys) nextGen.set(k.name, Math.max(nextGen.get(k.name) ?? 1, k.generation + 1))
  const planned = rows.map((row) => {
    const planIds = row.planRefs.map((ref) => resolvePlan(ref, state, ctx).id)
    const existingId = byValue.get(row.value)
    const existing = existingId ? state.keys.find((k) => k.id === existingId) : undefined
    let generation: number
    if (existing && existing.name === row.name) generation = existing.generation
    else {
      generation = row.generation ?? nextGen.get(row.name) ?? 1
      nextGen.set(row.name, Math.max(nextGen.get(row.name) ?? 1, generation + 1))
    }
    return {row, planIds, generation, created: existingId === undefined}
  })
  checkKeyQuota(state, planned.filter((p) => p.created).length)
  const csv = [
    'Name,Key,Description,Enabled,UsagePlanIds',
    ...planned.map((p) =>
      [keyNameOf(p.row.name, p.generation), p.row.value, p.row.description, p.row.enabled ? 'TRUE' : 'FALSE', p.planIds.join(',')]
        .map(csvField)
        .join(','),
    ),
  ].join('\n')
  const out = await deps.progress.step(`Import ${rows.length} API key${rows.length === 1 ? '' : 's'}`, () =>
    port.importApiKeys(`${csv}\n`, true),
  )
  if (out.ids.length !== planned.length) {
    throw new CliError('AWS_ERROR', `ImportApiKeys answered ${out.ids.length} ids for ${planned.length} keys.`, {
      hint: 'Run `apigw keys list` to see what was imported, then import again (it is safe to repeat).',
    })
  }
  const imported: ImportedKey[] = []
  for (const [i, p] of planned.entries()) {
    const id = out.ids[i]!
    await port.tagApiKey(id, {[TAG_KEY]: p.row.name, [TAG_GENERATION]: String(p.generation)})
    imported.push({
      name: p.row.name,
      keyName: keyNameOf(p.row.name, p.generation),
      id,
      generation: p.generation,
      enabled: p.row.enabled,
      plans: planNames(p.planIds, state),
      created: p.created,
    })
  }
  return {file: path, imported, warnings: out.warnings}
}

const csvField = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)
