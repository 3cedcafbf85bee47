/**
 * Every file apigw writes for the user (--output-file, --output, export spec/sdk, keys export, diff
 * --output) goes through here. A path that is a symbolic link is refused, never followed: the bytes go to
 * a fresh temp file in the same directory (O_CREAT|O_EXCL, which does not follow links either), then
 * take the target's name by rename (which replaces a link put there in between, never writes through it),
 * or by link() when an existing file must not be replaced. A failed write leaves nothing behind.
 */
import {randomBytes} from 'node:crypto'
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  readlinkSync,
  renameSync,
  type Stats,
  unlinkSync,
  writeSync,
} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {MAX_SOURCE_BYTES} from './core/spec/problem.ts'
import {CliError} from './errors.ts'

export type SafeWriteOptions = {
  /** Replace an existing file (else FILE_EXISTS). */
  force?: boolean
  /** File mode of a new file (before umask); secrets pass 0o600, which also tightens a replaced file. */
  mode?: number
  /** Make missing parent directories. */
  mkdirs?: boolean
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw unwritable(path, error)
  }
}

function unwritable(path: string, error: unknown): CliError {
  const e = error as NodeJS.ErrnoException
  const why =
    e.code === 'EACCES' || e.code === 'EPERM'
      ? 'permission denied'
      : e.code === 'EROFS'
        ? 'read-only file system'
        : e.code === 'ENOSPC'
          ? 'no space left on the device'
          : e.code === 'ENOTDIR'
            ? 'a part of the path is a file, not a directory'
            : (e.message ?? String(error))
  return new CliError('FILE_UNWRITABLE', `Cannot write ${path}: ${why}.`, {
    hint: 'Pick another path, or check the directory and its permissions.',
    cause: error,
  })
}

/** The checks a target path must pass: not a link, not a directory, not existing unless forced. */
function checkTarget(path: string, force: boolean): Stats | undefined {
  const st = lstatOrUndefined(path)
  if (st?.isSymbolicLink()) {
    let to = ''
    try {
      to = ` (to ${readlinkSync(path)})`
    } catch {}
    throw new CliError('FILE_SYMLINK', `Refused to write ${path}: it is a symbolic link${to}, and apigw never writes through one.`, {
      hint: 'Remove the link or pick another path; apigw writes only regular files it creates or replaces.',
    })
  }
  if (st?.isDirectory())
    throw new CliError('FILE_IS_DIRECTORY', `Cannot write ${path}: it is a directory.`, {
      hint: 'Pass a file path, e.g. a name inside that directory.',
    })
  if (st && !st.isFile())
    throw new CliError('FILE_NOT_REGULAR', `Refused to write ${path}: it is not a regular file (a device, FIFO or socket).`, {
      hint: 'Pick another path.',
    })
  if (st && !force) throw new CliError('FILE_EXISTS', `${path} already exists.`, {hint: 'Pass --force to replace it, or another path.'})
  return st
}

/**
 * Check, before doing anything irreversible (creating an API key), that `writeFileSafely(path)` can
 * succeed: the path is no link or directory, and its directory takes a new file. Creates nothing that stays.
 */
export function assertWritable(path: string, options: SafeWriteOptions = {}): void {
  checkTarget(path, options.force ?? false)
  const dir = dirname(path)
  const dst = lstatOrUndefined(dir)
  if (!dst) {
    throw new CliError('FILE_UNWRITABLE', `Cannot write ${path}: the directory ${dir} does not exist.`, {
      hint: 'Create the directory first, or pick another path.',
    })
  }
  if (!dst.isDirectory()) throw unwritable(path, Object.assign(new Error('not a directory'), {code: 'ENOTDIR'}))
  const probe = join(dir, `.${basename(path)}.apigw-probe-${randomBytes(6).toString('hex')}`)
  try {
    closeSync(openSync(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600))
  } catch (error) {
    throw unwritable(path, error)
  }
  unlinkSync(probe)
}

/** Write `data` to `path` as described above; returns nothing, throws a CliError naming the path. */
export function writeFileSafely(path: string, data: Uint8Array | string, options: SafeWriteOptions = {}): void {
  const force = options.force ?? false
  if (options.mkdirs) {
    try {
      mkdirSync(dirname(path), {recursive: true})
    } catch (error) {
      throw unwritable(path, error)
    }
  }
  checkTarget(path, force)
  const tmp = join(dirname(path), `.${basename(path)}.apigw-${process.pid}-${randomBytes(6).toString('hex')}.tmp`)
  let fd: number | undefined
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, options.mode ?? 0o666)
    const bytes = typeof data === 'string' ? Buffer.from(data) : data
    let at = 0
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at)
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    if (force) {
      // rename replaces whatever has the name now, a link included, without following it.
      renameSync(tmp, path)
    } else {
      // link() fails with EEXIST if anything took the name since the check: no clobber, no follow.
      try {
        linkSync(tmp, path)
        unlinkSync(tmp)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? ''
        if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(code)) throw error
        // A file system without hard links: check again, then rename (still never through a link).
        checkTarget(path, false)
        renameSync(tmp, path)
      }
    }
  } catch (error) {
    if (fd !== undefined) closeSync(fd)
    try {
      unlinkSync(tmp)
    } catch {}
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') checkTarget(path, false)
    throw unwritable(path, error)
  }
}

/** Append to a file (GitHub's step summary), creating it if missing; a symbolic link is refused, not followed. */
export function appendFileSafely(path: string, data: string): void {
  let fd: number
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o666)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') checkTarget(path, true)
    throw unwritable(path, error)
  }
  try {
    writeSync(fd, data)
  } catch (error) {
    throw unwritable(path, error)
  } finally {
    closeSync(fd)
  }
}

const fsError = (code: string, message: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: ${message}`), {code})

/**
 * Read a spec, a referenced file or apigw.yaml: regular files only (a device such as /dev/zero, a FIFO or a
 * socket is refused before a byte is read: opened non-blocking, checked with fstat), at most
 * MAX_SOURCE_BYTES. Throws fs-style errors (ENOENT, EISDIR, ENOTREG, EFBIG) that the loaders name.
 */
export function readSourceBytes(path: string, maxBytes = MAX_SOURCE_BYTES): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const stat = fstatSync(fd)
    if (stat.isDirectory()) throw fsError('EISDIR', `${path} is a directory`)
    if (!stat.isFile()) throw fsError('ENOTREG', `${path} is not a regular file`)
    if (stat.size > maxBytes) throw fsError('EFBIG', `${path} is larger than ${maxBytes} bytes`)
    // Read to the end, but never past the cap (the file may grow while it is read).
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total))
      const n = readSync(fd, chunk, 0, chunk.length, null)
      if (n === 0) break
      chunks.push(chunk.subarray(0, n))
      total += n
      if (total > maxBytes) throw fsError('EFBIG', `${path} is larger than ${maxBytes} bytes`)
    }
    return Buffer.concat(chunks, total)
  } finally {
    closeSync(fd)
  }
}
