/**
 * The record apigw writes into every deployment's description, and reads back for status, history and
 * rollback: `apigw:v1 spec=<sha256-12> git=<sha>[+dirty] by=<user> tool=<version>`. Also the spec body
 * that is sent (and hashed), the git commit, and who deploys.
 */
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {userInfo} from 'node:os'
import type {Spec} from '../../core/spec/load.ts'

export type DeploymentRecord = {spec: string; git?: string | undefined; dirty: boolean; by?: string | undefined; tool?: string | undefined}

const PREFIX = 'apigw:v1'

export function formatRecord(r: DeploymentRecord): string {
  const git = r.git ? `${r.git}${r.dirty ? '+dirty' : ''}` : 'none'
  return `${PREFIX} spec=${r.spec} git=${git} by=${(r.by ?? 'unknown').replace(/\s+/g, '_')} tool=${r.tool ?? 'unknown'}`
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
    by: fields.by,
    tool: fields.tool,
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

/** HEAD's short sha and whether tracked files changed, or undefined outside a git work tree (or without git). */
export function gitInfo(dir: string): {sha: string; dirty: boolean} | undefined {
  try {
    const opts = {cwd: dir, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'], timeout: 5000}
    const sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], opts).trim()
    if (!/^[0-9a-f]{7,40}$/.test(sha)) return undefined
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], opts)
    return {sha, dirty: status.trim() !== ''}
  } catch {
    return undefined
  }
}

export function currentUser(): string {
  try {
    return process.env.APIGW_USER || userInfo().username || process.env.USER || 'unknown'
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
