/**
 * The CloudWatch Logs filter-pattern language, compiled to a predicate over a log event's message.
 * Pure: no I/O, no clock. Semantics follow "Filter pattern syntax for metric filters, subscription
 * filters, filter log events, and Live Tail"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):
 *
 * - empty pattern: every event;
 * - unstructured terms: `ERROR Exception` (all must appear, case-sensitive substrings), `"exact phrase"`,
 *   `?ERROR ?WARN` (at least one), `-Exiting` (must not appear), `%regex%`;
 * - JSON: `{ $.status = 500 }`, `{ $.status = 5* }`, `!=`, `<`, `>`, `<=`, `>=`, `&&`, `||`, parentheses,
 *   `IS NULL`, `NOT EXISTS`, `IS TRUE`, `IS FALSE`, selectors `$.a[0].b`; a message that is not JSON never matches;
 * - space-delimited: `[ip, user, ..., status=5*, size>100]`, `...` standing for any number of fields, fields in
 *   `"…"` or `[…]` counting as one.
 *
 * A pattern that cannot be parsed throws FilterPatternError carrying AWS's message.
 */
import {RE2JS} from 're2js'

/** A pattern AWS would refuse; `message` is what AWS answers (InvalidParameterException). */
export class FilterPatternError extends Error {
  constructor(message = INVALID_FILTER_PATTERN) {
    super(message)
    this.name = 'FilterPatternError'
  }
}

/** AWS's message for a pattern it cannot parse (InvalidParameterException). */
export const INVALID_FILTER_PATTERN = 'Invalid filter pattern'
/** AWS's message when a JSON pattern is not closed. */
export const UNCLOSED_JSON_PATTERN = "If a filter pattern starts with '{' it must end with '}'"

/**
 * Whether a message matches. A space-delimited pattern also fills `extracted` (when given) with the fields it bound,
 * keyed `$name` (`$1`, `$2`… for unnamed ones), as TestMetricFilter's `extractedValues` shows them.
 */
export type FilterMatcher = (message: string, extracted?: Record<string, string>) => boolean

/** Compile a filter pattern; throws FilterPatternError when AWS would refuse it. */
export function compileFilterPattern(pattern: string | undefined): FilterMatcher {
  const text = (pattern ?? '').trim()
  if (text === '') return () => true
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) throw new FilterPatternError(UNCLOSED_JSON_PATTERN)
    return compileJson(text.slice(1, -1))
  }
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) throw new FilterPatternError()
    return compileDelimited(text.slice(1, -1))
  }
  return compileTerms(text)
}

// ---------------------------------------------------------------------------------------------------------
// Values shared by JSON and space-delimited comparisons

type Op = '=' | '!=' | '<' | '>' | '<=' | '>='

/** The right-hand side of a comparison, decided at compile time. */
type Operand =
  | {kind: 'number'; value: number; text: string}
  | {kind: 'string'; value: string}
  | {kind: 'glob'; regex: TextTest}
  | {kind: 'regex'; regex: TextTest}

/** A compiled regular expression: RE2 semantics, matched in time linear in the text (never catastrophic backtracking). */
type TextTest = {test(text: string): boolean}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

/**
 * A `*` glob (`5*`, `*error*`): the first part a prefix, the last a suffix, the others found in order in between.
 * Greedy leftmost matching is exact for `*`-only globs and needs no regex engine: linear in the text, and several
 * times faster than RE2 on the short field values of a 100,000-event filter.
 */
function globRegex(text: string): TextTest {
  const parts = text.split('*')
  const first = parts[0]!
  const last = parts.at(-1)!
  const middle = parts.slice(1, -1).filter((p) => p !== '')
  const minLength = first.length + last.length
  return {
    test(value: string): boolean {
      if (value.length < minLength || !value.startsWith(first) || !value.endsWith(last)) return false
      let at = first.length
      const end = value.length - last.length
      for (const part of middle) {
        const found = value.indexOf(part, at)
        if (found < 0 || found + part.length > end) return false
        at = found + part.length
      }
      return true
    },
  }
}

/**
 * `%regex%`: CloudWatch's regular expressions are RE2-like (no backreferences, no lookaround) and it bounds their
 * cost; RE2's linear-time matching keeps a pattern such as `%(a|a)*$%` from freezing the emulator (issue 19).
 */
function regexOperand(body: string): TextTest {
  try {
    return RE2JS.compile(body)
  } catch {
    throw new FilterPatternError()
  }
}

/** A value token: quoted (`"a b"`), regex (`%a|b%`) or bare (`500`, `5*`, `ERROR`). */
function operandOf(token: ValueToken): Operand {
  if (token.regex) return {kind: 'regex', regex: regexOperand(token.text)}
  if (token.text.includes('*')) return {kind: 'glob', regex: globRegex(token.text)}
  if (!token.quoted && NUMBER.test(token.text)) return {kind: 'number', value: Number(token.text), text: token.text}
  return {kind: 'string', value: token.text}
}

/** Compare a JSON value (or a space-delimited field, a string) with an operand. Missing values never match. */
function compare(actual: unknown, op: Op, operand: Operand, fieldsAreText: boolean): boolean {
  if (actual === undefined) return false
  if (operand.kind === 'number') {
    let n: number
    if (typeof actual === 'number') n = actual
    else if (fieldsAreText && typeof actual === 'string' && NUMBER.test(actual)) n = Number(actual)
    else return op === '!=' && actual !== null && typeof actual !== 'object'
    switch (op) {
      case '=':
        return n === operand.value
      case '!=':
        return n !== operand.value
      case '<':
        return n < operand.value
      case '>':
        return n > operand.value
      case '<=':
        return n <= operand.value
      case '>=':
        return n >= operand.value
    }
  }
  if (op !== '=' && op !== '!=') return false
  const text = typeof actual === 'string' ? actual : typeof actual === 'number' || typeof actual === 'boolean' ? String(actual) : undefined
  if (text === undefined) return false
  let equal: boolean
  if (operand.kind === 'string') {
    if (typeof actual === 'boolean' && (operand.value === 'true' || operand.value === 'false')) equal = String(actual) === operand.value
    else equal = typeof actual === 'string' && actual === operand.value
  } else {
    equal = operand.regex.test(text)
  }
  return op === '=' ? equal : !equal
}

// ---------------------------------------------------------------------------------------------------------
// Unstructured terms

type Term = {kind: 'required' | 'optional' | 'excluded'; test: (message: string) => boolean}
/** Terms that must all match (`required`) and none of `excluded`. */
type TermGroup = {required: Term[]; excluded: Term[]}

/**
 * `ERROR Exception` needs both, `-Exiting` excludes, and each `?term` opens an alternative whose following
 * plain terms join it: `?"ERROR" "MainThread" ?"WARN" "Deadlock"` (what the CDK's anyTermGroup writes) is
 * (ERROR and MainThread) or (WARN and Deadlock). Terms before the first `?` bind every alternative.
 */
function compileTerms(text: string): FilterMatcher {
  const common: TermGroup = {required: [], excluded: []}
  const alternatives: TermGroup[] = []
  const add = (term: Term): void => {
    if (term.kind === 'optional') {
      alternatives.push({required: [term], excluded: []})
      return
    }
    const group = alternatives[alternatives.length - 1] ?? common
    if (term.kind === 'excluded') group.excluded.push(term)
    else group.required.push(term)
  }
  let i = 0
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++
    if (i >= text.length) break
    let kind: Term['kind'] = 'required'
    if (text[i] === '?') {
      kind = 'optional'
      i++
    } else if (text[i] === '-' && i + 1 < text.length && !/\s/.test(text[i + 1]!)) {
      kind = 'excluded'
      i++
    }
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1)
      if (end < 0) throw new FilterPatternError()
      const phrase = text.slice(i + 1, end)
      add({kind, test: (m) => m.includes(phrase)})
      i = end + 1
      continue
    }
    if (text[i] === '%') {
      const end = text.indexOf('%', i + 1)
      if (end < 0) throw new FilterPatternError()
      const regex = regexOperand(text.slice(i + 1, end))
      add({kind, test: (m) => regex.test(m)})
      i = end + 1
      continue
    }
    let end = i
    while (end < text.length && !/\s/.test(text[end]!)) end++
    const word = text.slice(i, end)
    // Syntax characters of the other pattern kinds and typographic quotes are refused, as AWS does.
    const bad = /[{}[\]()"“”‘’]/.exec(word)
    if (word === '' || bad) throw new FilterPatternError(`Invalid character(s) in term '${bad?.[0] ?? word}'`)
    add({kind, test: (m) => m.includes(word)})
    i = end
  }
  const matchesGroup = (g: TermGroup, message: string): boolean => {
    for (const t of g.required) if (!t.test(message)) return false
    for (const t of g.excluded) if (t.test(message)) return false
    return true
  }
  return (message) => {
    if (!matchesGroup(common, message)) return false
    if (alternatives.length === 0) return true
    for (const g of alternatives) if (matchesGroup(g, message)) return true
    return false
  }
}

// ---------------------------------------------------------------------------------------------------------
// Tokens of JSON and space-delimited expressions

type ValueToken = {text: string; quoted: boolean; regex: boolean}
type Token = {type: 'op'; op: Op} | {type: 'and' | 'or' | 'lparen' | 'rparen' | 'comma'} | ({type: 'word'} & ValueToken)

const OPS: readonly Op[] = ['!=', '<=', '>=', '=', '<', '>']

function tokenize(text: string, allowComma: boolean): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (text.startsWith('&&', i)) {
      tokens.push({type: 'and'})
      i += 2
      continue
    }
    if (text.startsWith('||', i)) {
      tokens.push({type: 'or'})
      i += 2
      continue
    }
    if (c === '(' || c === ')') {
      tokens.push({type: c === '(' ? 'lparen' : 'rparen'})
      i++
      continue
    }
    if (c === ',' && allowComma) {
      tokens.push({type: 'comma'})
      i++
      continue
    }
    const op = OPS.find((o) => text.startsWith(o, i))
    if (op) {
      tokens.push({type: 'op', op})
      i += op.length
      continue
    }
    if (c === '"') {
      let value = ''
      let j = i + 1
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length) j++
        value += text[j]
      }
      if (j >= text.length) throw new FilterPatternError()
      tokens.push({type: 'word', text: value, quoted: true, regex: false})
      i = j + 1
      continue
    }
    if (c === '%') {
      const end = text.indexOf('%', i + 1)
      if (end < 0) throw new FilterPatternError()
      tokens.push({type: 'word', text: text.slice(i + 1, end), quoted: false, regex: true})
      i = end + 1
      continue
    }
    let end = i
    while (end < text.length && !/[\s()=!<>&|"%]/.test(text[end]!) && !(allowComma && text[end] === ',')) end++
    if (end === i) throw new FilterPatternError()
    tokens.push({type: 'word', text: text.slice(i, end), quoted: false, regex: false})
    i = end
  }
  return tokens
}

class Cursor {
  private i = 0
  private readonly tokens: Token[]
  constructor(tokens: Token[]) {
    this.tokens = tokens
  }
  peek(): Token | undefined {
    return this.tokens[this.i]
  }
  next(): Token {
    const t = this.tokens[this.i++]
    if (!t) throw new FilterPatternError()
    return t
  }
  done(): boolean {
    return this.i >= this.tokens.length
  }
}

function isWord(t: Token | undefined, ...words: string[]): t is {type: 'word'} & ValueToken {
  return t?.type === 'word' && !t.quoted && !t.regex && (words.length === 0 || words.includes(t.text.toUpperCase()))
}

// ---------------------------------------------------------------------------------------------------------
// JSON patterns

type Path = Array<string | number>
type Predicate<T> = (subject: T) => boolean

function parsePath(selector: string): Path {
  if (!selector.startsWith('$')) throw new FilterPatternError()
  const path: Path = []
  let i = 1
  while (i < selector.length) {
    if (selector[i] === '.') {
      let end = i + 1
      while (end < selector.length && selector[end] !== '.' && selector[end] !== '[') end++
      const key = selector.slice(i + 1, end)
      if (key === '') throw new FilterPatternError()
      path.push(key)
      i = end
    } else if (selector[i] === '[') {
      const end = selector.indexOf(']', i)
      if (end < 0) throw new FilterPatternError()
      const index = selector.slice(i + 1, end)
      if (!/^\d+$/.test(index)) throw new FilterPatternError()
      path.push(Number(index))
      i = end + 1
    } else {
      throw new FilterPatternError()
    }
  }
  if (path.length === 0) throw new FilterPatternError()
  return path
}

function resolve(root: unknown, path: Path): unknown {
  let node: unknown = root
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined
    if (typeof step === 'number') {
      if (!Array.isArray(node)) return undefined
      node = node[step]
    } else {
      if (Array.isArray(node) || !Object.hasOwn(node, step)) return undefined
      node = (node as Record<string, unknown>)[step]
    }
  }
  return node
}

/** Parses `a || b`, `a && b` and parentheses over leaves read by `leaf`. */
function parseBoolean<T>(cursor: Cursor, leaf: (cursor: Cursor) => Predicate<T>, stopAtComma = false): Predicate<T> {
  const parseOr = (): Predicate<T> => {
    const parts = [parseAnd()]
    while (cursor.peek()?.type === 'or') {
      cursor.next()
      parts.push(parseAnd())
    }
    return parts.length === 1 ? parts[0]! : (s) => parts.some((p) => p(s))
  }
  const parseAnd = (): Predicate<T> => {
    const parts = [parseUnary()]
    while (cursor.peek()?.type === 'and') {
      cursor.next()
      parts.push(parseUnary())
    }
    return parts.length === 1 ? parts[0]! : (s) => parts.every((p) => p(s))
  }
  const parseUnary = (): Predicate<T> => {
    if (cursor.peek()?.type === 'lparen') {
      cursor.next()
      const inner = parseOr()
      if (cursor.next().type !== 'rparen') throw new FilterPatternError()
      return inner
    }
    return leaf(cursor)
  }
  const result = parseOr()
  const after = cursor.peek()
  if (after && !(stopAtComma && after.type === 'comma')) throw new FilterPatternError()
  return result
}

function jsonLeaf(cursor: Cursor): Predicate<unknown> {
  const selector = cursor.next()
  if (!isWord(selector) || !selector.text.startsWith('$')) throw new FilterPatternError()
  const path = parsePath(selector.text)
  const t = cursor.next()
  if (isWord(t, 'IS')) {
    const what = cursor.next()
    if (isWord(what, 'NULL')) return (root) => resolve(root, path) === null
    if (isWord(what, 'TRUE')) return (root) => resolve(root, path) === true
    if (isWord(what, 'FALSE')) return (root) => resolve(root, path) === false
    if (isWord(what, 'NOT')) {
      const next = cursor.next()
      if (isWord(next, 'NULL'))
        return (root) => {
          const v = resolve(root, path)
          return v !== undefined && v !== null
        }
      throw new FilterPatternError()
    }
    throw new FilterPatternError()
  }
  if (isWord(t, 'NOT')) {
    if (!isWord(cursor.next(), 'EXISTS')) throw new FilterPatternError()
    return (root) => resolve(root, path) === undefined
  }
  if (isWord(t, 'EXISTS')) return (root) => resolve(root, path) !== undefined
  if (t.type !== 'op') throw new FilterPatternError()
  const value = cursor.next()
  if (value.type !== 'word') throw new FilterPatternError()
  const operand = operandOf(value)
  if (operand.kind !== 'number' && t.op !== '=' && t.op !== '!=') throw new FilterPatternError()
  const op = t.op
  return (root) => compare(resolve(root, path), op, operand, false)
}

function compileJson(body: string): FilterMatcher {
  const cursor = new Cursor(tokenize(body, false))
  if (cursor.done()) throw new FilterPatternError()
  const predicate = parseBoolean(cursor, jsonLeaf)
  return (message) => {
    let i = 0
    while (i < message.length && message.charCodeAt(i) <= 32) i++
    const start = message[i]
    if (start !== '{' && start !== '[') return false
    let root: unknown
    try {
      root = JSON.parse(message)
    } catch {
      return false
    }
    return predicate(root)
  }
}

// ---------------------------------------------------------------------------------------------------------
// Space-delimited patterns

type Slot = {kind: 'ellipsis'} | {kind: 'field'; name: string; condition?: Predicate<Map<string, string>>}

function delimitedLeaf(defaultName: string): (cursor: Cursor) => Predicate<Map<string, string>> {
  return (cursor) => {
    let name = defaultName
    let t = cursor.next()
    if (t.type === 'word' && !t.quoted && !t.regex) {
      name = t.text
      t = cursor.next()
    }
    if (t.type !== 'op') throw new FilterPatternError()
    const value = cursor.next()
    if (value.type !== 'word') throw new FilterPatternError()
    const operand = operandOf(value)
    if (operand.kind !== 'number' && t.op !== '=' && t.op !== '!=') throw new FilterPatternError()
    const op = t.op
    return (fields) => compare(fields.get(name), op, operand, true)
  }
}

function compileDelimited(body: string): FilterMatcher {
  const tokens = tokenize(body, true)
  const slots: Slot[] = []
  let start = 0
  let unnamed = 0
  const pieces: Token[][] = []
  for (let i = 0; i <= tokens.length; i++) {
    if (i === tokens.length || tokens[i]!.type === 'comma') {
      pieces.push(tokens.slice(start, i))
      start = i + 1
    }
  }
  if (pieces.length === 1 && pieces[0]!.length === 0) throw new FilterPatternError()
  for (const piece of pieces) {
    if (piece.length === 0) throw new FilterPatternError()
    const first = piece[0]!
    if (piece.length === 1 && isWord(first) && first.text === '...') {
      // `..., ...` means no more than `...`; one slot keeps the binding linear.
      if (slots[slots.length - 1]?.kind !== 'ellipsis') slots.push({kind: 'ellipsis'})
      continue
    }
    let name: string
    if (isWord(first) && !first.text.startsWith('$')) name = first.text
    else name = `$${++unnamed}`
    if (piece.length === 1) {
      slots.push({kind: 'field', name})
      continue
    }
    const condition = parseBoolean(new Cursor(piece), delimitedLeaf(name))
    slots.push({kind: 'field', name, condition})
  }
  const fieldSlots = slots.filter((s) => s.kind === 'field').length
  const hasEllipsis = slots.some((s) => s.kind === 'ellipsis')
  return (message, extracted) => {
    const fields = splitFields(message)
    if (fields.length < fieldSlots || (!hasEllipsis && fields.length !== fieldSlots)) return false
    const bound = new Map<string, string>()
    if (!bind(slots, 0, fields, 0, bound)) return false
    if (extracted) for (const [name, value] of bound) extracted[name.startsWith('$') ? name : `$${name}`] = value
    return true
  }
}

/** Try to bind slots[si..] to fields[fi..], backtracking over `...`. */
function bind(slots: Slot[], si: number, fields: string[], fi: number, bound: Map<string, string>): boolean {
  if (si === slots.length) {
    if (fi !== fields.length) return false
    for (const slot of slots) if (slot.kind === 'field' && slot.condition && !slot.condition(bound)) return false
    return true
  }
  const slot = slots[si]!
  if (slot.kind === 'ellipsis') {
    for (let skip = fields.length - fi; skip >= 0; skip--) if (bind(slots, si + 1, fields, fi + skip, bound)) return true
    return false
  }
  if (fi >= fields.length) return false
  const previous = bound.get(slot.name)
  bound.set(slot.name, fields[fi]!)
  if (bind(slots, si + 1, fields, fi + 1, bound)) return true
  if (previous === undefined) bound.delete(slot.name)
  else bound.set(slot.name, previous)
  return false
}

/** Split a message on whitespace; a field in double quotes or square brackets counts as one (without them). */
export function splitFields(message: string): string[] {
  const fields: string[] = []
  let i = 0
  while (i < message.length) {
    const c = message[i]!
    if (/\s/.test(c)) {
      i++
      continue
    }
    const close = c === '"' ? '"' : c === '[' ? ']' : undefined
    if (close) {
      const end = message.indexOf(close, i + 1)
      if (end >= 0) {
        fields.push(message.slice(i + 1, end))
        i = end + 1
        continue
      }
    }
    let end = i
    while (end < message.length && !/\s/.test(message[end]!)) end++
    fields.push(message.slice(i, end))
    i = end
  }
  return fields
}
