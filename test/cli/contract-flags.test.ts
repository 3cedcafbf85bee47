/**
 * The command-line contract: every command's arguments and flags (name, type, short alias, required, default,
 * options, --no-) read from the built oclif manifest, against test/snapshots/commands.txt. A flag added, renamed,
 * removed or changed shows in review as a diff of that file (UPDATE_SNAPSHOTS=1 rewrites it).
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {cliBuilt, repoRoot} from '../helpers/cli.ts'
import {matchSnapshot} from '../helpers/snapshot.ts'

type ManifestFlag = {
  name: string
  type: 'boolean' | 'option'
  char?: string
  required?: boolean
  multiple?: boolean
  default?: unknown
  options?: string[]
  allowNo?: boolean
  env?: string
}
type ManifestArg = {name: string; required?: boolean; options?: string[]}
type Manifest = {
  commands: Record<
    string,
    {id: string; hidden?: boolean; strict?: boolean; args: Record<string, ManifestArg>; flags: Record<string, ManifestFlag>}
  >
}

/** One line per command, argument and flag, in a stable order. */
export function describeContract(manifest: Manifest): string {
  const lines: string[] = []
  for (const id of Object.keys(manifest.commands).sort()) {
    const c = manifest.commands[id]!
    lines.push(`apigw ${id.split(':').join(' ')}${c.hidden ? ' (hidden)' : ''}`)
    for (const a of Object.values(c.args))
      lines.push(`  arg ${a.name}${a.required ? ' required' : ''}${a.options ? ` options=${a.options.join('|')}` : ''}`)
    for (const f of Object.values(c.flags).sort((x, y) => x.name.localeCompare(y.name))) {
      const parts = [`  --${f.name}`, f.type === 'boolean' ? 'boolean' : 'value']
      if (f.char) parts.push(`-${f.char}`)
      if (f.required) parts.push('required')
      if (f.multiple) parts.push('multiple')
      if (f.allowNo) parts.push('--no-')
      if (f.options) parts.push(`options=${f.options.join('|')}`)
      if (f.default !== undefined) parts.push(`default=${JSON.stringify(f.default)}`)
      if (f.env) parts.push(`env=${f.env}`)
      lines.push(parts.join(' '))
    }
  }
  return lines.join('\n')
}

describe('command-line contract (flags and arguments)', {skip: cliBuilt() ? false : 'the CLI is not built (run `npm run build`)'}, () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as Manifest

  it('every command takes the global flags of DESIGN.md', () => {
    for (const c of Object.values(manifest.commands)) {
      for (const flag of ['json', 'config', 'profile', 'region', 'endpoint-url', 'local', 'color', 'debug']) {
        assert.ok(c.flags[flag], `apigw ${c.id} lacks --${flag}`)
      }
    }
  })

  it('matches test/snapshots/commands.txt', () => {
    matchSnapshot('commands.txt', describeContract(manifest))
  })
})
