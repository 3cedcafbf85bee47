// The Node.js version guard, run first by bin/run.js, scripts/test.js and `npm test`, so an older Node.js gets one
// clear line instead of a stack trace from deep inside a dependency. The range lives in package.json's
// `engines` only, and `npm ci` enforces the same range (engine-strict in .npmrc). It is what the code and its
// dependencies need: node:sqlite (the emulator's store) 22.13, module.registerHooks (`export sdk`'s TypeScript
// types) 22.15, and @inquirer/prompts (the wizards) ^22.22.2 || ^24.15.0 || >=26.
import {readFileSync} from 'node:fs'
import semver from 'semver'

/** The `engines.node` range of package.json. */
export function requiredNode() {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  return pkg.engines.node
}

/** The range in words: "22.22.2 or a later 22.x, 24.15.0 or a later 24.x, or 26.0.0 or later". */
export function describeRange(range) {
  const parts = new semver.Range(range).set.map((comparators) => {
    const low = comparators.find((c) => c.operator === '>=')
    const high = comparators.find((c) => c.operator === '<')
    if (!low) return comparators.map(String).join(' ')
    return high ? `${low.semver.version} or a later ${low.semver.major}.x` : `${low.semver.version} or later`
  })
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')}, or ${parts[parts.length - 1]}` : parts[0]
}

/** Exit 2 with one line naming the Node.js needed and how to get it, when this one is outside the range. */
export function requireNode(what, version = process.versions.node) {
  const range = requiredNode()
  if (semver.satisfies(version, range)) return
  process.stderr.write(
    `${what} needs Node.js ${describeRange(range)}, and this is Node.js ${version}: ` +
      'install the current LTS from https://nodejs.org/ (or run `nvm install --lts`), then try again.\n',
  )
  process.exit(2)
}
