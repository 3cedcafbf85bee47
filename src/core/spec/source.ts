/**
 * Reading and parsing one source file (a spec, a $ref'd fragment, apigw.yaml): YAML or JSON, with every
 * failure an InputProblem that names the file, the line and the next step. JSON takes the fast
 * path (JSON.parse, plus a scan for duplicate keys); YAML goes through the `yaml` package.
 */
import {type ParseError, parseTree, printParseErrorCode, visit} from 'jsonc-parser'
import * as yaml from 'yaml'
import {InputProblem, MAX_NESTING_DEPTH} from './problem.ts'

export type SourceReader = (absolutePath: string) => Buffer

export type SourceFile = {path: string; text: string; value: unknown; format: 'json' | 'yaml'}

/** Decode bytes as UTF-8, refusing binary and non-UTF-8 content, and empty files. */
export function decodeSource(path: string, bytes: Buffer, what = 'file'): string {
  if (bytes.length === 0 || bytes.toString('utf8').trim() === '') {
    throw new InputProblem('FILE_EMPTY', `The ${what} ${path} is empty.`, {
      hint:
        what === 'spec'
          ? 'Write an OpenAPI document into it, or run `apigw init` to scaffold one.'
          : 'Add content to it, or point to another file.',
    })
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    throw new InputProblem('FILE_BINARY', `The ${what} ${path} is a binary file, not YAML or JSON.`, {
      hint: 'Point to the OpenAPI YAML or JSON file instead.',
    })
  }
  try {
    const text = new TextDecoder('utf-8', {fatal: true}).decode(bytes)
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  } catch {
    const at = firstInvalidUtf8(bytes)
    const {line, column} = lineColumnOf(bytes.subarray(0, at).toString('utf8'), at)
    throw new InputProblem('FILE_NOT_UTF8', `${path}:${line}:${column}: the ${what} is not valid UTF-8.`, {
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

export type SourceKind = 'spec' | 'config'

/** Parse YAML or JSON text. `checkDuplicates` scans JSON for repeated keys (YAML always checks). */
export type ParseSourceOptions = {
  /** Scan JSON for duplicate keys (on by default; diff of huge specs turns it off). */
  checkDuplicates?: boolean
  /** What the file is, in messages ("spec", "config file", "referenced file"). */
  what?: string
  /** The family of the problem codes: SPEC_* or CONFIG_*. */
  kind?: SourceKind
  /** Read YAML as AWS's importers do: duplicate keys allowed (the last wins), YAML's strict checks off. */
  lenient?: boolean
}

/** Parse YAML or JSON text (synchronously: the emulator's importers parse a request body with it). */
export function parseSource(path: string, text: string, options: ParseSourceOptions = {}): SourceFile {
  const what = options.what ?? 'file'
  const prefix = options.kind === 'config' ? 'CONFIG' : 'SPEC'
  if (looksLikeJson(path, text) && !path.match(/\.ya?ml$/)) {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      const errors: ParseError[] = []
      parseTree(text, errors, {allowTrailingComma: false, disallowComments: true})
      const first = errors[0]
      const pos = positionOf(text, first?.offset ?? 0)
      const what2 = first ? printParseErrorCode(first.error as never) : (error as Error).message
      throw new InputProblem(
        `${prefix}_PARSE_ERROR`,
        `${path}:${pos.line}:${pos.column}: the ${what} is not valid JSON ` +
          `(${what2}${first && first.offset >= text.trimEnd().length - 1 ? ': the document looks truncated' : ''}).`,
        {
          hint: 'Fix the JSON at that line (a missing comma, quote or bracket), then run the command again.',
          details: {file: path, line: pos.line, column: pos.column},
        },
      )
    }
    const deep = jsonTooDeepAt(text, MAX_NESTING_DEPTH)
    if (deep !== undefined) throw tooDeep(prefix, path, what, positionOf(text, deep))
    if (options.checkDuplicates !== false && !options.lenient) checkJsonDuplicates(path, text, what, prefix)
    return {path, text, value, format: 'json'}
  }
  const lineCounter = new yaml.LineCounter()
  // uniqueKeys: false, then one linear pass of our own: the library's own check compares every pair of keys
  // of a mapping (19 s on an apigw.yaml with 20,000 APIs).
  const doc = yaml.parseDocument(text, {lineCounter, uniqueKeys: false, prettyErrors: false, strict: !options.lenient, version: '1.2'})
  const at = (offset: number) => {
    const p = lineCounter.linePos(offset)
    return {line: p.line, column: p.col}
  }
  const problem = doc.errors[0]
  if (problem) {
    const pos = at(problem.pos[0])
    if (problem.code === 'RESOURCE_EXHAUSTION') throw tooDeep(prefix, path, what, pos)
    const message = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
    throw new InputProblem(`${prefix}_PARSE_ERROR`, `${path}:${pos.line}:${pos.column}: the ${what} is not valid YAML (${message}).`, {
      hint: 'Fix the YAML at that line (indentation, an unclosed quote or bracket), then run the command again.',
      details: {file: path, ...pos},
    })
  }
  const unknownTag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED')
  if (unknownTag) {
    const pos = at(unknownTag.pos[0])
    const tag = (/Unresolved tag: (\S+)/.exec(unknownTag.message)?.[1] ?? 'a tag').replace(/^tag:yaml\.org,2002:/, '!!')
    throw new InputProblem(
      `${prefix}_UNKNOWN_TAG`,
      `${path}:${pos.line}:${pos.column}: the ${what} uses the YAML tag ${tag}, which apigw does not read.`,
      {
        hint: 'Remove the tag: write the value as plain YAML (strings, numbers, booleans, lists and mappings).',
        details: {file: path, ...pos},
      },
    )
  }
  const duplicate = options.lenient ? undefined : firstDuplicateKey(doc.contents)
  if (duplicate) {
    const pos = at(duplicate.offset)
    throw new InputProblem(
      `${prefix}_DUPLICATE_KEY`,
      `${path}:${pos.line}:${pos.column}: duplicate key in the ${what} (Map keys must be unique; "${duplicate.key}" is repeated).`,
      {
        hint: 'Remove or rename one of the two keys; YAML and JSON keys must be unique in a mapping.',
        details: {file: path, ...pos},
      },
    )
  }
  let value: unknown
  try {
    value = doc.toJS({maxAliasCount: 10_000})
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error
    // An alias with no anchor before it (`*a`, `<<: *a`): a parse error, not a bug (found by test/unit/core/loaders-fuzz).
    if (!/alias count/i.test(error.message)) {
      throw new InputProblem(`${prefix}_PARSE_ERROR`, `${path}: the ${what} is not valid YAML (${error.message}).`, {
        hint: 'Define each anchor (&name) before its aliases (*name), then run the command again.',
        details: {file: path},
        cause: error,
      })
    }
    throw new InputProblem(
      `${prefix}_ALIAS_LIMIT`,
      `${path}: the ${what} expands its YAML aliases (*name) into too many ` +
        `nodes (excessive alias count, a resource exhaustion attack or a mistake).`,
      {
        hint: 'Write the repeated parts out, or use fewer nested aliases; apigw expands at most 10,000 aliases.',
        details: {file: path},
        cause: error,
      },
    )
  }
  const deep = valueTooDeep(value, MAX_NESTING_DEPTH)
  if (deep !== undefined) {
    const node = nodeAt(doc.contents, deep)
    throw tooDeep(prefix, path, what, node?.range ? at(node.range[0]) : {line: 1, column: 1})
  }
  return {path, text, value, format: 'yaml'}
}

function tooDeep(prefix: 'SPEC' | 'CONFIG', path: string, what: string, pos: {line: number; column: number}): InputProblem {
  return new InputProblem(
    `${prefix}_TOO_DEEP`,
    `${path}:${pos.line}:${pos.column}: the ${what} is nested more than ${MAX_NESTING_DEPTH} levels deep.`,
    {
      hint: 'Flatten the structure (move nested schemas into components and $ref them); no OpenAPI document needs this depth.',
      details: {file: path, ...pos},
    },
  )
}

/** Offset of the bracket that opens level `max + 1` of a JSON text, or undefined (one pass, strings skipped). */
export function jsonTooDeepAt(text: string, max: number): number | undefined {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) i++
        else if (d === 0x22) break
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return undefined
}

/** Path (keys) to the first node deeper than `max`, walking iteratively (no recursion to overflow). */
function valueTooDeep(root: unknown, max: number): string[] | undefined {
  type Entry = {node: unknown; depth: number; key: string; parent: Entry | undefined}
  const stack: Entry[] = [{node: root, depth: 0, key: '', parent: undefined}]
  const seen = new Set<object>()
  while (stack.length > 0) {
    const entry = stack.pop()!
    const node = entry.node
    if (node === null || typeof node !== 'object' || seen.has(node)) continue
    seen.add(node)
    if (entry.depth >= max) {
      const path: string[] = []
      for (let e: Entry | undefined = entry; e?.parent; e = e.parent) path.unshift(e.key)
      return path
    }
    for (const key in node) {
      const value = (node as Record<string, unknown>)[key]
      if (value !== null && typeof value === 'object') stack.push({node: value, depth: entry.depth + 1, key, parent: entry})
    }
  }
  return undefined
}

type YamlNode = {range?: [number, number, number] | null} | null | undefined

function nodeAt(root: unknown, path: string[]): YamlNode {
  let node = root
  for (const key of path) {
    if (yaml.isMap(node)) node = node.items.find((p) => String(yaml.isScalar(p.key) ? p.key.value : p.key) === key)?.value
    else if (yaml.isSeq(node)) node = node.items[Number(key)]
    else break
  }
  return node as YamlNode
}

/** The first repeated key of any mapping, in one pass over the nodes (a Set per mapping). */
function firstDuplicateKey(root: unknown): {key: string; offset: number} | undefined {
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()
    if (yaml.isMap(node)) {
      const keys = new Set<unknown>()
      for (const pair of node.items) {
        const key = yaml.isScalar(pair.key) ? pair.key.value : pair.key
        if (yaml.isScalar(pair.key) || pair.key === null || typeof pair.key !== 'object') {
          if (keys.has(key)) return {key: String(key), offset: (pair.key as YamlNode)?.range?.[0] ?? 0}
          keys.add(key)
        }
        stack.push(pair.value)
      }
    } else if (yaml.isSeq(node)) {
      for (const item of node.items) stack.push(item)
    }
  }
  return undefined
}

function checkJsonDuplicates(path: string, text: string, what: string, prefix: 'SPEC' | 'CONFIG'): void {
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
    throw new InputProblem(
      `${prefix}_DUPLICATE_KEY`,
      `${path}:${pos.line}:${pos.column}: duplicate key "${duplicate.key}" in the ${what}.`,
      {
        hint: 'Remove or rename one of the two keys; JSON keys must be unique in an object.',
        details: {file: path, line: pos.line, column: pos.column},
      },
    )
  }
}
