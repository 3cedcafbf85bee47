/**
 * Pointer → line:column, computed on demand: a position-aware parse of one file, made only when a finding
 * in that file is printed, and cached. The fast path (JSON.parse, plain YAML) never pays for it.
 */
import {parsePointer} from '../findings.ts'
import {looksLikeJson, positionOf} from './source.ts'

export type Position = {line: number; column: number}
export type Locator = (pointer: string) => Position | undefined

/** Build a locator for one file's text. The parse happens on the first call. */
export function createLocator(path: string, text: string): Locator {
  let locate: ((tokens: string[]) => Position | undefined) | undefined
  return (pointer) => {
    locate ??= looksLikeJson(path, text) && !/\.ya?ml$/.test(path) ? jsonLocator(text) : yamlLocator(text)
    return locate(parsePointer(pointer))
  }
}

type JsonNode = import('jsonc-parser').Node

function jsonLocator(text: string): (tokens: string[]) => Position | undefined {
  // jsonc-parser is loaded by source.ts before any locator runs (parse or duplicate scan), so require it synchronously.
  const {parseTree} = jsoncSync()
  const root = parseTree(text)
  return (tokens) => {
    let node: JsonNode | undefined = root
    let keyOffset: number | undefined
    for (const token of tokens) {
      if (!node) return undefined
      keyOffset = undefined
      if (node.type === 'object') {
        const prop: JsonNode | undefined = node.children?.find((p) => p.children?.[0]?.value === token)
        if (!prop) return nearest(text, node.offset)
        keyOffset = prop.offset
        node = prop.children?.[1]
      } else if (node.type === 'array') {
        const child: JsonNode | undefined = node.children?.[Number(token)]
        if (!child) return nearest(text, node.offset)
        node = child
      } else {
        return nearest(text, node.offset)
      }
    }
    return positionOf(text, keyOffset ?? node?.offset ?? 0)
  }
}

function nearest(text: string, offset: number): Position {
  return positionOf(text, offset)
}

type YamlModule = typeof import('yaml')
let yamlModule: YamlModule | undefined
let jsoncModule: typeof import('jsonc-parser') | undefined

/** Preload the parsers locators use, so locating stays synchronous. */
export async function preloadLocators(): Promise<void> {
  yamlModule ??= await import('yaml')
  jsoncModule ??= await import('jsonc-parser')
}

function jsoncSync(): typeof import('jsonc-parser') {
  if (!jsoncModule) throw new Error('preloadLocators() must run before locating JSON')
  return jsoncModule
}

function yamlLocator(text: string): (tokens: string[]) => Position | undefined {
  if (!yamlModule) throw new Error('preloadLocators() must run before locating YAML')
  const {parseDocument, LineCounter, isMap, isSeq, isScalar} = yamlModule
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, keepSourceTokens: false, uniqueKeys: false})
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset)
    return {line: p.line, column: p.col}
  }
  return (tokens) => {
    let node: unknown = doc.contents
    let keyRange: [number, number, number] | undefined
    for (const token of tokens) {
      keyRange = undefined
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === token)
        if (!pair) return node.range ? at(node.range[0]) : undefined
        if (isScalar(pair.key) && pair.key.range) keyRange = pair.key.range
        node = pair.value
      } else if (isSeq(node)) {
        const item = node.items[Number(token)]
        if (item === undefined) return node.range ? at(node.range[0]) : undefined
        node = item
      } else {
        const range = (node as {range?: [number, number, number]} | null)?.range
        return range ? at(range[0]) : undefined
      }
    }
    if (keyRange) return at(keyRange[0])
    const range = (node as {range?: [number, number, number]} | null)?.range
    return range ? at(range[0]) : {line: 1, column: 1}
  }
}
