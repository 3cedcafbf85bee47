/**
 * Reading and parsing one source file (a spec, a $ref'd fragment, apigw.yaml): YAML or JSON, with every
 * failure turned into a CliError that names the file, the line and the next step. JSON takes the fast
 * path (JSON.parse, plus a scan for duplicate keys); YAML goes through the `yaml` package.
 */
import {CliError} from '../../errors.ts'

export type SourceReader = (absolutePath: string) => Buffer

export type SourceFile = {path: string; text: string; value: unknown; format: 'json' | 'yaml'}

/** Decode bytes as UTF-8, refusing binary and non-UTF-8 content, and empty files. */
export function decodeSource(path: string, bytes: Buffer, what = 'file'): string {
  if (bytes.length === 0 || bytes.toString('utf8').trim() === '') {
    throw new CliError('FILE_EMPTY', `The ${what} ${path} is empty.`, {
      hint: what === 'spec' ? 'Write an OpenAPI document into it, or run `apigw init` to scaffold one.' : 'Add content to it, or point to another file.',
    })
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    throw new CliError('FILE_BINARY', `The ${what} ${path} is a binary file, not YAML or JSON.`, {
      hint: 'Point to the OpenAPI YAML or JSON file instead.',
    })
  }
  try {
    const text = new TextDecoder('utf-8', {fatal: true}).decode(bytes)
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  } catch {
    const at = firstInvalidUtf8(bytes)
    const {line, column} = lineColumnOf(bytes.subarray(0, at).toString('utf8'), at)
    throw new CliError('FILE_NOT_UTF8', `${path}:${line}:${column}: the ${what} is not valid UTF-8.`, {
      hint: 'Save the file as UTF-8 (YAML and JSON must be Unicode).',
    })
  }
}

function firstInvalidUtf8(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', {fatal: true})
  let lo = 0
  let hi = bytes.length
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    try {
      decoder.decode(bytes.subarray(0, mid))
      lo = mid
    } catch {
      hi = mid
    }
  }
  return lo
}

function lineColumnOf(prefix: string, _offset: number): {line: number; column: number} {
  const lines = prefix.split('\n')
  return {line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1}
}

const lineIndexes = new WeakMap<object, number[]>()
const textKeys = new Map<string, object>()

/** Offsets where each line starts, computed once per text (kept while the text is in use). */
function lineStarts(text: string): number[] {
  let key = textKeys.get(text)
  if (!key) {
    key = {}
    if (textKeys.size > 16) textKeys.clear()
    textKeys.set(text, key)
  }
  let starts = lineIndexes.get(key)
  if (!starts) {
    starts = [0]
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
    lineIndexes.set(key, starts)
  }
  return starts
}

/** 1-based line and column of a character offset (binary search over the line starts). */
export function positionOf(text: string, offset: number): {line: number; column: number} {
  const starts = lineStarts(text)
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= offset) lo = mid
    else hi = mid - 1
  }
  return {line: lo + 1, column: offset - starts[lo]! + 1}
}

export function looksLikeJson(path: string, text: string): boolean {
  if (path.endsWith('.json')) return true
  const first = /\S/.exec(text)
  return first?.[0] === '{' || first?.[0] === '['
}

/** Parse YAML or JSON text. `checkDuplicates` scans JSON for repeated keys (YAML always checks). */
export async function parseSource(path: string, text: string, options: {checkDuplicates?: boolean; what?: string} = {}): Promise<SourceFile> {
  const what = options.what ?? 'file'
  if (looksLikeJson(path, text) && !path.match(/\.ya?ml$/)) {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      const {parseTree, printParseErrorCode} = await import('jsonc-parser')
      const errors: import('jsonc-parser').ParseError[] = []
      parseTree(text, errors, {allowTrailingComma: false, disallowComments: true})
      const first = errors[0]
      const pos = positionOf(text, first?.offset ?? 0)
      const what2 = first ? printParseErrorCode(first.error as never) : (error as Error).message
      throw new CliError('SPEC_PARSE_ERROR', `${path}:${pos.line}:${pos.column}: the ${what} is not valid JSON (${what2}${first && first.offset >= text.trimEnd().length - 1 ? ': the document looks truncated' : ''}).`, {
        hint: 'Fix the JSON at that line (a missing comma, quote or bracket), then run the command again.',
        details: {file: path, line: pos.line, column: pos.column},
      })
    }
    if (options.checkDuplicates !== false) await checkJsonDuplicates(path, text, what)
    return {path, text, value, format: 'json'}
  }
  const {parseDocument, LineCounter} = await import('yaml')
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, version: '1.2'})
  const problem = doc.errors[0]
  if (problem) {
    const pos = lineCounter.linePos(problem.pos[0])
    const duplicate = problem.code === 'DUPLICATE_KEY'
    const message = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
    throw new CliError(duplicate ? 'SPEC_DUPLICATE_KEY' : 'SPEC_PARSE_ERROR', `${path}:${pos.line}:${pos.col}: ${duplicate ? `duplicate key in the ${what}` : `the ${what} is not valid YAML`} (${message}).`, {
      hint: duplicate ? 'Remove or rename one of the two keys; YAML and JSON keys must be unique in a mapping.' : 'Fix the YAML at that line (indentation, an unclosed quote or bracket), then run the command again.',
      details: {file: path, line: pos.line, column: pos.col},
    })
  }
  return {path, text, value: doc.toJS({maxAliasCount: 10_000}), format: 'yaml'}
}

async function checkJsonDuplicates(path: string, text: string, what: string): Promise<void> {
  const {visit} = await import('jsonc-parser')
  const stack: Array<Set<string>> = []
  let duplicate: {key: string; offset: number} | undefined
  visit(text, {
    onObjectBegin: () => {
      stack.push(new Set())
    },
    onObjectEnd: () => {
      stack.pop()
    },
    onObjectProperty: (key, offset) => {
      const keys = stack.at(-1)
      if (!keys || duplicate) return
      if (keys.has(key)) duplicate = {key, offset}
      keys.add(key)
    },
  })
  if (duplicate) {
    const pos = positionOf(text, duplicate.offset)
    throw new CliError('SPEC_DUPLICATE_KEY', `${path}:${pos.line}:${pos.column}: duplicate key "${duplicate.key}" in the ${what}.`, {
      hint: 'Remove or rename one of the two keys; JSON keys must be unique in an object.',
      details: {file: path, line: pos.line, column: pos.column},
    })
  }
}
