#!/usr/bin/env node
// The import graph of src/ (issue 17 point 5): no cycle, and no upward import between the layers of
// STYLE.md (commands → services → core | aws | output; local/ apart, reached by the CLI only through
// src/local/index.ts or over HTTP). Reads every import/export-from specifier and every import('…') of
// src/**/*.ts; `import type` / `export type` statements are marked type-only. Exit 1 lists what breaks.
// Usage: node scripts/check-imports.js [--graph]   (--graph prints every edge)
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'src')

/**
 * Edges that break a rule today because another engineer's area has not moved yet. Each names its owner
 * and goes away with their change; an entry that no longer matches an edge is itself reported.
 */
const ALLOWED = []

/** Text with comments blanked out, strings and template literals kept, so specifiers in comments are not read. */
export function stripComments(text) {
  let out = ''
  let i = 0
  while (i < text.length) {
    const c = text[i]
    const next = text[i + 1]
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2)
      const stop = end === -1 ? text.length : end + 2
      out += text.slice(i, stop).replace(/[^\n]/g, ' ')
      i = stop
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1
      out += text.slice(i, j + 1)
      i = j + 1
    } else {
      out += c
      i++
    }
  }
  return out
}

/** The relative specifiers of one file: {spec, typeOnly, dynamic}. */
export function specifiers(text) {
  const code = stripComments(text)
  const found = []
  const statement = /(?:^|[;\n}])\s*(import|export)\s+(type\s+)?([^;'"`]*?)\s*from\s*(['"])([^'"]+)\4/g
  for (const m of code.matchAll(statement)) found.push({spec: m[5], typeOnly: Boolean(m[2]), dynamic: false})
  for (const m of code.matchAll(/(?:^|[;\n])\s*import\s*(['"])([^'"]+)\1/g)) found.push({spec: m[2], typeOnly: false, dynamic: false})
  for (const m of code.matchAll(/\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g))
    found.push({spec: m[2], typeOnly: /\btypeof\s*$/.test(code.slice(0, m.index)), dynamic: true})
  return found.filter((f) => f.spec.startsWith('.'))
}

function walk(dir) {
  const out = []
  for (const e of readdirSync(dir, {withFileTypes: true})) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...walk(p))
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p)
  }
  return out
}

const rel = (p) => relative(src, p).split(sep).join('/')
const layerOf = (file) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : 'root')

/** [from layer, to layer, what the rule says]; checked on runtime and type-only imports unless `runtimeOnly`. */
const RULES = [
  ['core', 'services', 'core/ is pure: it imports none of services, commands, output, aws, local'],
  ['core', 'commands', 'core/ is pure: it imports none of services, commands, output, aws, local'],
  ['core', 'output', 'core/ is pure: it imports none of services, commands, output, aws, local'],
  ['core', 'aws', 'core/ is pure: it imports none of services, commands, output, aws, local'],
  ['core', 'local', 'core/ is pure: it imports none of services, commands, output, aws, local'],
  ['services', 'commands', 'services never see commands'],
  ['services', 'output', 'services return results; commands render them'],
  ['output', 'commands', 'renderers never see commands'],
  // Renderers take the services' result types: a type-only import vanishes at build time and is allowed.
  ['output', 'services', 'renderers never call services (import their result types with `import type`)', {runtimeOnly: true}],
  ['aws', 'services', 'aws/ ports never see services'],
  ['aws', 'commands', 'aws/ ports never see commands'],
  ['aws', 'output', 'aws/ ports never render'],
  ['local', 'commands', 'the emulator never imports the CLI'],
  ['local', 'services', 'the emulator never imports the CLI'],
  ['local', 'output', 'the emulator never imports the CLI'],
  ['local', 'aws', 'the emulator never imports the CLI (the CLI reaches it over HTTP)'],
]

export function checkImports() {
  const files = walk(src).map(rel).sort()
  const known = new Set(files)
  /** @type {Array<{from: string, to: string, typeOnly: boolean}>} */
  const edges = []
  const problems = []
  for (const file of files) {
    for (const s of specifiers(readFileSync(join(src, file), 'utf8'))) {
      const target = rel(resolve(src, dirname(file), s.spec))
      if (!target.endsWith('.ts') || target.startsWith('..')) continue
      if (!known.has(target)) {
        problems.push(`${file}: imports ${s.spec}, which is not a file of src/`)
        continue
      }
      edges.push({from: file, to: target, typeOnly: s.typeOnly})
    }
  }
  const used = new Set()
  const allowed = (e) => {
    const hit = ALLOWED.find((a) => a.from === e.from && a.to === e.to)
    if (hit) used.add(hit)
    return hit !== undefined
  }
  for (const e of edges) {
    const [from, to] = [layerOf(e.from), layerOf(e.to)]
    for (const [a, b, why, opts] of RULES) {
      if (from !== a || to !== b || (opts?.runtimeOnly && e.typeOnly)) continue
      if (!allowed(e)) problems.push(`${e.from} → ${e.to}: ${why}`)
    }
    // Outside local/, only its entry module may be imported.
    if (
      from !== 'local' &&
      to === 'local' &&
      e.to !== 'local/index.ts' &&
      !RULES.some(([a, b]) => a === from && b === 'local') &&
      !allowed(e)
    ) {
      problems.push(`${e.from} → ${e.to}: the CLI reaches the emulator only through src/local/index.ts or over HTTP`)
    }
  }
  // A command's service (what a command imports at run time) is called by no other service.
  const commandServices = new Set(
    edges.filter((e) => layerOf(e.from) === 'commands' && layerOf(e.to) === 'services' && !e.typeOnly).map((e) => e.to),
  )
  for (const e of edges) {
    if (layerOf(e.from) === 'services' && commandServices.has(e.to) && !e.typeOnly && !allowed(e)) {
      problems.push(
        `${e.from} → ${e.to}: a service never calls another command's service (move what they share into a helper of the topic)`,
      )
    }
  }
  // An allow-listed edge is left out of the cycle search (it is the edge its owner will remove).
  const cyclic = edges.filter((e) => !allowed(e))
  for (const cycle of findCycles(files, cyclic)) problems.push(`cycle: ${cycle.join(' → ')}`)
  for (const a of ALLOWED)
    if (!used.has(a))
      problems.push(`allow-list entry ${a.from} → ${a.to} (${a.owner}) matches no import any more: remove it from scripts/check-imports.js`)
  return {files, edges, problems}
}

/** Every strongly connected component with more than one file (or a file importing itself), as a path through it. */
function findCycles(files, edges) {
  const next = new Map(files.map((f) => [f, []]))
  for (const e of edges) next.get(e.from).push(e.to)
  let index = 0
  const idx = new Map()
  const low = new Map()
  const stack = []
  const on = new Set()
  const out = []
  const visit = (v) => {
    idx.set(v, index)
    low.set(v, index++)
    stack.push(v)
    on.add(v)
    for (const w of next.get(v)) {
      if (!idx.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v), low.get(w)))
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)))
    }
    if (low.get(v) === idx.get(v)) {
      const scc = []
      let w
      do {
        w = stack.pop()
        on.delete(w)
        scc.push(w)
      } while (w !== v)
      if (scc.length > 1 || next.get(v).includes(v)) out.push([...scc.sort(), scc.sort()[0]])
    }
  }
  for (const f of files) if (!idx.has(f)) visit(f)
  return out
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const {files, edges, problems} = checkImports()
  if (process.argv.includes('--graph')) for (const e of edges) console.log(`${e.from} -> ${e.to}${e.typeOnly ? ' (type)' : ''}`)
  if (problems.length > 0) {
    console.error(`check-imports: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the import graph of src/:`)
    for (const p of problems) console.error(`  ${p}`)
    process.exitCode = 1
  } else {
    console.log(`check-imports: ${files.length} files, ${edges.length} imports, no cycle, no upward import.`)
  }
}
