/**
 * Reading an SDK zip safely: fflate inflates, and the central directory is read here for what fflate does not
 * report (each entry's Unix mode, to spot symbolic links). Entries whose path is absolute or climbs out of
 * the target directory (zip-slip) and link entries are reported as unsafe; nothing is written here. Pure.
 */
import {posix} from 'node:path'
import {unzipSync} from 'fflate'

export type ZipEntry = {name: string; kind: 'file' | 'directory'; data: Uint8Array}
export type UnsafeEntry = {name: string; reason: string}
export type ZipContents = {entries: ZipEntry[]; unsafe: UnsafeEntry[]}

const S_IFMT = 0o170000
const S_IFLNK = 0o120000
const HOST_UNIX = 3

type CentralEntry = {name: string; host: number; mode: number}

/** The central directory's names and Unix modes; throws when the bytes are not a zip. */
export function readCentralDirectory(zip: Uint8Array): CentralEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  let eocd = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)')
  const count = view.getUint16(eocd + 10, true)
  let at = view.getUint32(eocd + 16, true)
  const out: CentralEntry[] = []
  const decoder = new TextDecoder()
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== 0x02014b50) throw new Error('corrupt zip central directory')
    const host = view.getUint8(at + 5)
    const nameLen = view.getUint16(at + 28, true)
    const extraLen = view.getUint16(at + 30, true)
    const commentLen = view.getUint16(at + 32, true)
    const external = view.getUint32(at + 38, true)
    const name = decoder.decode(zip.subarray(at + 46, at + 46 + nameLen))
    out.push({name, host, mode: (external >>> 16) & 0xffff})
    at += 46 + nameLen + extraLen + commentLen
  }
  return out
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
export function readZip(zip: Uint8Array): ZipContents {
  const central = readCentralDirectory(zip)
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
  const data = unzipSync(zip, {filter: (f) => !bad.has(f.name)})
  const entries: ZipEntry[] = []
  for (const [name, bytes] of Object.entries(data)) {
    const path = posix.normalize(name.replace(/\\/g, '/'))
    entries.push({name: path.replace(/\/$/, ''), kind: name.endsWith('/') ? 'directory' : 'file', data: bytes})
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return {entries: entries.filter((e) => e.name !== '.' && e.name !== ''), unsafe}
}
