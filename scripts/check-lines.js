#!/usr/bin/env node
// No line over 140 characters in the code (issue 17 point 7): Biome's formatter wraps code at 140 columns but
// leaves long strings, comments and regular expressions whole, so this catches those. Long messages are split
// with `+` or template pieces (the text the user sees stays the same). Counts characters, not bytes.
// Usage: node scripts/check-lines.js [DIR...]   (default: src bin scripts). Exit 1 lists each long line.
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const MAX = 140
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['src', 'bin', 'scripts']

function* files(dir) {
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'fixtures') yield* files(path)
    } else if (/\.(ts|js|mjs|cjs)$/.test(entry.name)) yield path
  }
}

const long = []
let count = 0
for (const dir of dirs) {
  for (const file of files(resolve(root, dir))) {
    count++
    readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .forEach((line, i) => {
        const length = [...line].length
        if (length > MAX) long.push(`${relative(root, file)}:${i + 1}: ${length} characters`)
      })
  }
}
if (long.length > 0) {
  console.error(`check-lines: ${long.length} line${long.length === 1 ? '' : 's'} over ${MAX} characters:`)
  for (const l of long) console.error(`  ${l}`)
  console.error('Split long strings with + or template pieces, and wrap long comments.')
  process.exitCode = 1
} else console.log(`check-lines: ${count} files, no line over ${MAX} characters.`)
