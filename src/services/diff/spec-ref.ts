/**
 * Where a spec to compare comes from: a file, `git:<rev>` / `git:<rev>:<path>` (the spec at a git revision,
 * its $refs read at that revision too), or `stage:<name>` (what a deployed stage runs).
 */
import {execFileSync} from 'node:child_process'
import {dirname, relative, resolve} from 'node:path'
import type {Spec} from '../../core/spec/load.ts'
import {CliError} from '../../errors.ts'
import {loadSpecFile, refConfinement, relativePath} from '../project.ts'

export type SpecRef = {kind: 'file'; path: string} | {kind: 'git'; rev: string; path?: string} | {kind: 'stage'; stage: string}

export function parseSpecRef(ref: string): SpecRef {
  if (ref.startsWith('git:')) {
    const body = ref.slice(4)
    const colon = body.indexOf(':')
    const rev = colon === -1 ? body : body.slice(0, colon)
    if (rev === '')
      throw new CliError('USAGE', `"${ref}" names no git revision.`, {
        hint: 'Write git:<rev> or git:<rev>:<path>, e.g. git:main or git:HEAD~1:apis/pets/openapi.yaml.',
      })
    return colon === -1 ? {kind: 'git', rev} : {kind: 'git', rev, path: body.slice(colon + 1)}
  }
  if (ref.startsWith('stage:')) {
    const stage = ref.slice(6)
    if (stage === '') throw new CliError('USAGE', `"${ref}" names no stage.`, {hint: 'Write stage:<name>, e.g. stage:prod.'})
    return {kind: 'stage', stage}
  }
  return {kind: 'file', path: ref}
}

export type LoadedRef = {spec: Spec; label: string}

/** Load a file or git reference (a stage reference is loaded by the diff service, which has AWS). */
export async function loadFileOrGitRef(
  ref: SpecRef,
  options: {cwd: string; defaultSpec?: string | undefined; projectDir?: string | undefined; allowRefOutside?: string[] | undefined},
): Promise<LoadedRef> {
  const opts = {checkDuplicates: false}
  // $refs stay inside the project (or the compared file's own directory when it lies elsewhere) unless --allow-ref-outside.
  const within = (dir: string, file: string) => !relative(dir, file).startsWith('..')
  const confine = (file: string) =>
    refConfinement(
      options.projectDir && within(options.projectDir, file) ? options.projectDir : dirname(file),
      options.allowRefOutside,
      options.cwd,
    )
  if (ref.kind === 'file') {
    const file = resolve(options.cwd, ref.path)
    const spec = await loadSpecFile(file, {...opts, confine: confine(file)})
    return {spec, label: relativePath(spec.file, options.cwd)}
  }
  if (ref.kind !== 'git') throw new Error('stage references are loaded by the diff service')
  const top = repositoryWith(ref.rev, options.cwd)
  const specPath = ref.path !== undefined ? resolve(top, ref.path) : options.defaultSpec
  if (!specPath)
    throw new CliError('USAGE', `git:${ref.rev} names no file and there is no API spec to take the path from.`, {
      hint: 'Write git:<rev>:<path>, or run in a project with apigw.yaml.',
    })
  const read = (abs: string): Buffer => {
    const rel = relative(top, abs)
    if (rel.startsWith('..')) {
      const error = new Error(`ENOENT: ${abs} is outside the repository`) as NodeJS.ErrnoException
      error.code = 'ENOENT'
      throw error
    }
    try {
      return execFileSync('git', ['show', `${ref.rev}:${rel}`], {cwd: top, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe']})
    } catch {
      const error = new Error(`ENOENT: ${rel} does not exist at ${ref.rev}`) as NodeJS.ErrnoException
      error.code = 'ENOENT'
      throw error
    }
  }
  try {
    const spec = await loadSpecFile(specPath, {read, ...opts, confine: confine(specPath)})
    return {spec, label: `git:${ref.rev}:${relative(top, spec.file)}`}
  } catch (error) {
    if (error instanceof CliError && (error.code === 'SPEC_NOT_FOUND' || error.code === 'SPEC_REF_NOT_FOUND')) {
      throw new CliError(
        error.code,
        `${relative(top, specPath)} does not exist at git revision ` +
          `${ref.rev}${error.code === 'SPEC_REF_NOT_FOUND' ? ` (or a file it references does not: ${error.message})` : ''}.`,
        {
          hint: 'Pass git:<rev>:<path> when the spec moved, or another revision.',
          cause: error,
        },
      )
    }
    throw error
  }
}

function git(args: string[], cwd: string, onError?: () => CliError): string {
  try {
    return execFileSync('git', args, {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
  } catch (error) {
    if (onError) throw onError()
    const e = error as NodeJS.ErrnoException & {stderr?: string}
    if (e.code === 'ENOENT')
      throw new CliError('GIT_NOT_FOUND', 'git is not installed, so git: references cannot be read.', {
        hint: 'Install git, or compare two files.',
      })
    throw new CliError(
      'GIT_NOT_A_REPOSITORY',
      `${cwd} is not inside a git repository (${
        String(e.stderr ?? '')
          .trim()
          .split('\n')[0]
      }).`,
      {hint: 'Run from the repository, or compare two files.'},
    )
  }
}

/** The top of the repository around `cwd`, once `rev` is known to name a commit there (else GIT_REVISION_NOT_FOUND). */
function repositoryWith(rev: string, cwd: string): string {
  const top = git(['rev-parse', '--show-toplevel'], cwd).trim()
  git(
    ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`],
    cwd,
    () =>
      new CliError('GIT_REVISION_NOT_FOUND', `git has no revision "${rev}" in ${top}.`, {
        hint: 'Check the name (a branch, tag or sha); `git log --oneline` lists recent ones. In CI, fetch enough history (fetch-depth: 0).',
      }),
  )
  return top
}

/**
 * One file as it is at a git revision (`git:<rev>` or `git:<rev>:<path>`, the path relative to the repository's
 * top; `defaultPath` when the reference names none): its bytes and the label findings name it by.
 */
export function readAtGitRevision(
  ref: {rev: string; path?: string | undefined},
  options: {cwd: string; defaultPath: string},
): {bytes: Buffer; label: string; path: string} {
  const top = repositoryWith(ref.rev, options.cwd)
  const path = ref.path !== undefined ? resolve(top, ref.path) : options.defaultPath
  const rel = relative(top, path).split('\\').join('/')
  try {
    if (rel.startsWith('..')) throw new Error('outside the repository')
    const bytes = execFileSync('git', ['show', `${ref.rev}:${rel}`], {
      cwd: top,
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    return {bytes, label: `git:${ref.rev}:${rel}`, path}
  } catch {
    throw new CliError('CONFIG_NOT_FOUND', `${rel} does not exist at git revision ${ref.rev}.`, {
      hint: 'Pass git:<rev>:<path> when the file moved, or another revision.',
    })
  }
}
