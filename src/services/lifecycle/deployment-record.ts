/**
 * The record apigw writes into every deployment's description, and reads back for status, history and
 * rollback: `apigw:v1 spec=<sha256-12> git=<sha>[+dirty] by=<author> tool=<version>` (the author percent-encoded:
 * `by=Ana%20Lima`). Also the spec body that is sent (and hashed), the git commit, and who deploys.
 */
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {readFileSync, realpathSync} from 'node:fs'
import {userInfo} from 'node:os'
import {sep} from 'node:path'
import type {Spec} from '../../core/spec/load.ts'

export type DeploymentRecord = {spec: string; git?: string | undefined; dirty: boolean; by?: string | undefined; tool?: string | undefined}

const PREFIX = 'apigw:v1'

export function formatRecord(r: DeploymentRecord): string {
  const git = r.git ? `${r.git}${r.dirty ? '+dirty' : ''}` : 'none'
  return `${PREFIX} spec=${r.spec} git=${git} by=${encodeURIComponent(r.by ?? 'unknown')} tool=${r.tool ?? 'unknown'}`
}

/** The record in a deployment description, or undefined when apigw did not write it. */
export function parseRecord(description: string | undefined): DeploymentRecord | undefined {
  if (!description) return undefined
  const at = description.indexOf(PREFIX)
  if (at === -1) return undefined
  const fields: Record<string, string> = {}
  for (const token of description
    .slice(at + PREFIX.length)
    .trim()
    .split(/\s+/)) {
    const eq = token.indexOf('=')
    if (eq > 0) fields[token.slice(0, eq)] = token.slice(eq + 1)
  }
  if (!fields.spec || !/^[0-9a-f]{12}$/.test(fields.spec)) return undefined
  const gitRaw = fields.git && fields.git !== 'none' ? fields.git : undefined
  return {
    spec: fields.spec,
    git: gitRaw?.replace(/\+dirty$/, ''),
    dirty: gitRaw?.endsWith('+dirty') ?? false,
    by: fields.by === undefined ? undefined : decodeBy(fields.by),
    tool: fields.tool,
  }
}

/** `by=` as written: percent-encoded since names have spaces (records before that wrote `_` for them). */
function decodeBy(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

/** The first 12 hex digits of sha256. */
export function shortHash(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12)
}

/** The body sent to AWS: the spec file as written when it is one file, else the document with its $refs bundled, as JSON. */
export async function specBody(spec: Spec): Promise<string> {
  if (spec.files.size <= 1) return spec.files.get(spec.file)?.text ?? JSON.stringify(spec.doc)
  const {default: $RefParser} = await import('@apidevtools/json-schema-ref-parser')
  const bundled = await $RefParser.bundle(spec.file, structuredClone(spec.doc) as never, {} as never)
  return JSON.stringify(bundled)
}

const gitOptions = (dir: string) => ({
  cwd: dir,
  encoding: 'utf8' as const,
  stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'],
  timeout: 5000,
})

/**
 * HEAD's short sha and whether the work tree differs from it, or undefined outside a git work tree (or without git).
 * Dirty: a tracked file changed, or one of `files` (what the deploy sends: the spec files, apigw.yaml) is not in git
 * at all, since HEAD's sha alone would then not say what was deployed.
 */
export function gitInfo(dir: string, files: readonly string[] = []): {sha: string; dirty: boolean} | undefined {
  try {
    const opts = gitOptions(dir)
    const sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], opts).trim()
    if (!/^[0-9a-f]{7,40}$/.test(sha)) return undefined
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], opts)
    // --others without --exclude-standard: an ignored spec is not in git either. Files outside the work tree
    // (--allow-ref-outside) are not asked about: git refuses paths outside its tree.
    const top = realpathSync(execFileSync('git', ['rev-parse', '--show-toplevel'], opts).trim())
    const inside = files.map((f) => realpathSync(f)).filter((f) => f.startsWith(`${top}${sep}`))
    const untracked = inside.length > 0 ? execFileSync('git', ['ls-files', '--others', '--', ...inside], opts) : ''
    return {sha, dirty: status.trim() !== '' || untracked.trim() !== ''}
  } catch {
    return undefined
  }
}

/**
 * Who deploys: APIGW_USER, else git's author in `dir` (user.name, else HEAD's author), else the OS user. The git
 * name is the one history readers know, the same on every machine of the person.
 */
export function currentUser(dir?: string): string {
  if (process.env.APIGW_USER) return process.env.APIGW_USER
  if (dir !== undefined) {
    for (const args of [
      ['config', 'user.name'],
      ['log', '-1', '--format=%an'],
    ]) {
      try {
        const name = execFileSync('git', args, gitOptions(dir)).trim()
        if (name !== '') return name
      } catch {
        // not a repository, no such setting, or no commit: try the next source
      }
    }
  }
  try {
    return userInfo().username || process.env.USER || 'unknown'
  } catch {
    return process.env.USER ?? 'unknown'
  }
}

let version: string | undefined
export function toolVersion(): string {
  if (version) return version
  try {
    version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {version: string}).version
  } catch {
    version = 'unknown'
  }
  return version
}
