/**
 * Reading an SDK zip safely: fflate inflates, and the central directory is read here for what fflate does not
 * report (each entry's Unix mode, to spot symbolic links). Entries whose path is absolute or climbs out of
 * the target directory (zip-slip) and link entries are reported as unsafe; nothing is written here. Zips
 * over ZIP_LIMITS (entries, total uncompressed size) are refused from the central directory, before any
 * entry is inflated (a 1.5 MB zip may declare 1.5 GB). Pure.
 */
import {posix} from 'node:path'
import {unzipSync} from 'fflate'

export type ZipEntry = {name: string; kind: 'file' | 'directory'; data: Uint8Array}
export type UnsafeEntry = {name: string; reason: string}
export type ZipContents = {entries: ZipEntry[]; unsafe: UnsafeEntry[]}

const S_IFMT = 0o170000
const S_IFLNK = 0o120000
const HOST_UNIX = 3

/** Caps on what an SDK zip may unpack to: AWS's SDKs are a few MB in a few hundred files. */
export const ZIP_LIMITS = {entries: 10_000, totalBytes: 256 * 1024 * 1024}

/** A zip over ZIP_LIMITS, found from its central directory before anything is inflated. */
export class ZipLimitError extends Error {}

type CentralEntry = {name: string; host: number; mode: number; size: number}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`

/** The central directory's names, Unix modes and uncompressed sizes (zip64 too); throws when the bytes are not a zip. */
export function readCentralDirectory(zip: Uint8Array, limits = ZIP_LIMITS): CentralEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  let eocd = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)')
  let count = view.getUint16(eocd + 10, true)
  let at = view.getUint32(eocd + 16, true)
  // Zip64: the locator just before the end record points at the zip64 end record with the real numbers.
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50) {
    const z64 = Number(view.getBigUint64(eocd - 12, true))
    if (z64 + 56 > zip.length || view.getUint32(z64, true) !== 0x06064b50) throw new Error('corrupt zip64 end of central directory')
    count = Number(view.getBigUint64(z64 + 32, true))
    at = Number(view.getBigUint64(z64 + 48, true))
  }
  if (count > limits.entries) throw new ZipLimitError(`it has ${count} entries, over the cap of ${limits.entries}`)
  const out: CentralEntry[] = []
  const decoder = new TextDecoder()
  let total = 0
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== 0x02014b50) throw new Error('corrupt zip central directory')
    const host = view.getUint8(at + 5)
    const nameLen = view.getUint16(at + 28, true)
    const extraLen = view.getUint16(at + 30, true)
    const commentLen = view.getUint16(at + 32, true)
    const external = view.getUint32(at + 38, true)
    if (at + 46 + nameLen + extraLen > zip.length) throw new Error('corrupt zip central directory')
    const name = decoder.decode(zip.subarray(at + 46, at + 46 + nameLen))
    let size = view.getUint32(at + 24, true)
    if (size === 0xffffffff) size = zip64Size(view, at + 46 + nameLen, extraLen)
    total += size
    if (total > limits.totalBytes) throw new ZipLimitError(`it unpacks to more than ${mb(limits.totalBytes)} (the cap), at ${name}`)
    out.push({name, host, mode: (external >>> 16) & 0xffff, size})
    at += 46 + nameLen + extraLen + commentLen
  }
  return out
}

/** The uncompressed size from an entry's zip64 extra field (id 1; the uncompressed size comes first). */
function zip64Size(view: DataView, start: number, length: number): number {
  for (let p = start; p + 4 <= start + length; p += 4 + view.getUint16(p + 2, true)) {
    if (view.getUint16(p, true) === 1 && p + 12 <= start + length) return Number(view.getBigUint64(p + 4, true))
  }
  throw new Error('corrupt zip64 entry (no size in its extra field)')
}

/** Why a name may not be written under the target directory, or undefined when it is safe. */
export function unsafeReason(name: string): string | undefined {
  if (name === '' || name.includes('\0')) return 'empty or NUL in the name'
  const path = name.replace(/\\/g, '/')
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute path'
  const normal = posix.normalize(path)
  if (normal === '..' || normal.startsWith('../')) return 'escapes the target directory'
  return undefined
}

/** Inflate every entry and sort out the unsafe ones (links, absolute or escaping paths, duplicates). */
export function readZip(zip: Uint8Array, limits = ZIP_LIMITS): ZipContents {
  const central = readCentralDirectory(zip, limits)
  const unsafe: UnsafeEntry[] = []
  const seen = new Set<string>()
  for (const e of central) {
    const reason = unsafeReason(e.name)
    if (reason) unsafe.push({name: e.name, reason})
    else if (e.host === HOST_UNIX && (e.mode & S_IFMT) === S_IFLNK) unsafe.push({name: e.name, reason: 'symbolic link'})
    else if (seen.has(posix.normalize(e.name.replace(/\\/g, '/')))) unsafe.push({name: e.name, reason: 'duplicate entry'})
    seen.add(posix.normalize(e.name.replace(/\\/g, '/')))
  }
  const bad = new Set(unsafe.map((u) => u.name))
  // fflate inflates each entry into a buffer of its declared size, so the declared total bounds memory;
  // the same total is kept here over fflate's own reading of the sizes, in case it reads them otherwise.
  let total = 0
  let count = 0
  const data = unzipSync(zip, {
    filter: (f) => {
      total += f.originalSize
      if (++count > limits.entries || total > limits.totalBytes)
        throw new ZipLimitError(`it unpacks to more than ${mb(limits.totalBytes)} or ${limits.entries} entries (the caps)`)
      return !bad.has(f.name)
    },
  })
  const entries: ZipEntry[] = []
  for (const [name, bytes] of Object.entries(data)) {
    const path = posix.normalize(name.replace(/\\/g, '/'))
    entries.push({name: path.replace(/\/$/, ''), kind: name.endsWith('/') ? 'directory' : 'file', data: bytes})
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return {entries: entries.filter((e) => e.name !== '.' && e.name !== ''), unsafe}
}
