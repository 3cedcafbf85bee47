/** The files init writes: the target directory, files already there, .gitignore. */
import {appendFile, mkdir, readFile, stat, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {CliError} from '../../errors.ts'
import {CONFIG_FILE, type FileAction} from './types.ts'

const GITIGNORE_LINE = '.apigw/'

/** A word as a POSIX shell reads it back unchanged (`$default` would otherwise expand). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`
}

export function specPathOf(name: string): string {
  return `apis/${name}/openapi.yaml`
}

export async function checkDirectory(dir: string): Promise<void> {
  const s = await stat(dir).catch(() => undefined)
  if (s && !s.isDirectory()) {
    throw new CliError('DIR_NOT_DIRECTORY', `${dir} exists and is not a directory.`, {hint: 'Pass a directory (new or existing) as DIR.'})
  }
}

export async function existingFiles(dir: string, paths: string[]): Promise<string[]> {
  const out: string[] = []
  for (const p of paths) {
    if (await stat(join(dir, p)).catch(() => undefined)) out.push(p)
  }
  return out
}

export async function refuseExisting(dir: string, paths: string[]): Promise<void> {
  const existing = await existingFiles(dir, paths)
  if (existing.length > 0) throw fileExists(dir, existing)
}

export function fileExists(dir: string, existing: string[]): CliError {
  const list = existing.map((p) => join(dir, p))
  const addHint = existing.includes(CONFIG_FILE) ? '; to add an API to it, `apigw init --add NAME`' : ''
  return new CliError('FILE_EXISTS', `${list.join(' and ')} already exist${list.length === 1 ? 's' : ''}; pass --force to overwrite.`, {
    hint: `Pass --force to overwrite, or run init in another directory (apigw init <dir>)${addHint}.`,
    details: {files: list},
  })
}

/** Make sure .gitignore ignores the local emulator state; undefined when it already does. */
export async function addGitignoreLine(dir: string): Promise<FileAction | undefined> {
  const file = join(dir, '.gitignore')
  const current = await readFile(file, 'utf8').catch(() => undefined)
  const block = `# apigw: local emulator state\n${GITIGNORE_LINE}\n`
  if (current === undefined) {
    await writeFile(file, block, 'utf8')
    return 'created'
  }
  const ignored = current.split(/\r?\n/).some((l) => ['.apigw', '.apigw/', '/.apigw', '/.apigw/'].includes(l.trim()))
  if (ignored) return undefined
  await appendFile(file, `${current === '' || current.endsWith('\n') ? '' : '\n'}${block}`, 'utf8')
  return 'updated'
}

/** Write the rendered files under dir (folders made as needed); what each write did, for the summary. */
export async function writeRendered(
  dir: string,
  rendered: ReadonlyArray<{path: string; text: string}>,
  existing: readonly string[],
): Promise<Array<{path: string; action: FileAction}>> {
  const files: Array<{path: string; action: FileAction}> = []
  for (const file of rendered) {
    const full = join(dir, file.path)
    await mkdir(dirname(full), {recursive: true})
    await writeFile(full, file.text, 'utf8')
    files.push({path: file.path, action: existing.includes(file.path) ? 'overwritten' : 'created'})
  }
  return files
}
