import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {zipSync} from 'fflate'
import {readCentralDirectory, readZip, unsafeReason} from '../../../../src/core/sdk/unzip.ts'

const text = (s: string) => new TextEncoder().encode(s)
const LINK_ATTRS = (0o120777 << 16) >>> 0

describe('unsafeReason', () => {
  const cases: Array<[string, string | undefined]> = [
    ['apiGateway-js-sdk/apigClient.js', undefined],
    ['a/./b/../c.txt', undefined],
    ['../evil.sh', 'escapes the target directory'],
    ['a/../../evil.sh', 'escapes the target directory'],
    ['..', 'escapes the target directory'],
    ['..\\..\\evil.bat', 'escapes the target directory'],
    ['/etc/passwd', 'absolute path'],
    ['C:/Windows/evil.dll', 'absolute path'],
    ['', 'empty or NUL in the name'],
    ['a\0b', 'empty or NUL in the name'],
  ]
  for (const [name, reason] of cases) {
    it(`${JSON.stringify(name)} → ${reason ?? 'safe'}`, () => {
      // Given an entry name; When it is checked; Then the reason matches
      assert.equal(unsafeReason(name), reason)
    })
  }
})

describe('readZip', () => {
  it('inflates the safe entries, sorted, with directories marked', () => {
    // Given a zip with a directory and two files
    const zip = zipSync({'sdk/': new Uint8Array(), 'sdk/b.js': text('b'), 'sdk/a.js': text('a')})
    // When it is read
    const out = readZip(zip)
    // Then nothing is unsafe and the entries carry their bytes
    assert.deepEqual(out.unsafe, [])
    assert.deepEqual(
      out.entries.map((e) => [e.name, e.kind, new TextDecoder().decode(e.data)]),
      [
        ['sdk', 'directory', ''],
        ['sdk/a.js', 'file', 'a'],
        ['sdk/b.js', 'file', 'b'],
      ],
    )
  })

  it('reports a zip-slip entry and a symbolic link, and inflates neither', () => {
    // Given a zip with a good file, an entry climbing out, and a Unix symlink entry
    const zip = zipSync({
      'ok.txt': text('fine'),
      '../../outside.txt': text('pwned'),
      link: [text('/etc/passwd'), {os: 3, attrs: LINK_ATTRS}],
    })
    // When it is read
    const out = readZip(zip)
    // Then both bad entries are reported with their reason, and only the good one is inflated
    assert.deepEqual(
      out.unsafe.sort((a, b) => a.name.localeCompare(b.name)),
      [
        {name: '../../outside.txt', reason: 'escapes the target directory'},
        {name: 'link', reason: 'symbolic link'},
      ],
    )
    assert.deepEqual(
      out.entries.map((e) => e.name),
      ['ok.txt'],
    )
  })

  it('reads the Unix mode of each entry from the central directory', () => {
    // Given a zip with a regular file (0644) and a link
    const zip = zipSync({f: [text('x'), {os: 3, attrs: (0o100644 << 16) >>> 0}], l: [text('f'), {os: 3, attrs: LINK_ATTRS}]})
    // When the central directory is read
    const entries = readCentralDirectory(zip)
    // Then the modes and the host are there
    assert.deepEqual(
      entries.map((e) => [e.name, e.host, e.mode.toString(8)]),
      [
        ['f', 3, '100644'],
        ['l', 3, '120777'],
      ],
    )
  })

  it('throws on bytes that are not a zip', () => {
    // Given bytes that are not a zip; When read; Then it throws
    assert.throws(() => readZip(text('not a zip at all, just some text to be long enough')), /not a zip archive/)
  })
})

/** Set the uncompressed size of every central directory entry of a small zip (a lying or zip64 header). */
function declareSize(zip: Uint8Array, size: number, zip64 = false): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  if (!zip64) {
    for (let i = 0; i + 4 <= zip.length; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, size, true)
    return zip
  }
  // Rebuild with a zip64 extra field (id 1, uncompressed size) on the one central entry: splice it in.
  const cd = [...Array(zip.length - 4).keys()].find((i) => view.getUint32(i, true) === 0x02014b50)!
  const nameLen = view.getUint16(cd + 28, true)
  const extraAt = cd + 46 + nameLen
  const extra = new Uint8Array(12)
  const ev = new DataView(extra.buffer)
  ev.setUint16(0, 1, true)
  ev.setUint16(2, 8, true)
  ev.setBigUint64(4, BigInt(size), true)
  const out = new Uint8Array(zip.length + 12)
  out.set(zip.subarray(0, extraAt), 0)
  out.set(extra, extraAt)
  out.set(zip.subarray(extraAt), extraAt + 12)
  const ov = new DataView(out.buffer)
  ov.setUint32(cd + 24, 0xffffffff, true)
  ov.setUint16(cd + 30, view.getUint16(cd + 30, true) + 12, true)
  const eocd = out.length - 22
  ov.setUint32(eocd + 12, ov.getUint32(eocd + 12, true) + 12, true)
  return out
}

describe('readZip caps (issue 19.3)', () => {
  it('refuses a zip whose entries unpack past the total cap, before inflating', () => {
    // Given a 2 MB file of zeros (a few KB zipped) and a 1 MB cap
    const zip = zipSync({'sdk/zeros.bin': new Uint8Array(2 * 1024 * 1024)})
    assert.ok(zip.length < 50_000)
    // When it is read; Then it is refused with the cap in the message
    assert.throws(
      () => readZip(zip, {entries: 100, totalBytes: 1024 * 1024}),
      (e: Error) => e.name === 'Error' && /more than 1 MB \(the cap\)/.test(e.message),
    )
  })

  it('refuses too many entries', () => {
    const files: Record<string, Uint8Array> = {}
    for (let i = 0; i < 20; i++) files[`f${i}.txt`] = text('x')
    assert.throws(() => readZip(zipSync(files), {entries: 10, totalBytes: 1 << 30}), /20 entries, over the cap of 10/)
  })

  it('refuses a header declaring 3 GB at once with the default caps (no allocation, no 76 s)', () => {
    const zip = declareSize(zipSync({'a.bin': text('small')}), 3 * 1024 * 1024 * 1024)
    const t0 = Date.now()
    assert.throws(() => readZip(zip), /more than 256 MB \(the cap\), at a\.bin/)
    assert.ok(Date.now() - t0 < 1000)
  })

  it('reads a zip64 size from the extra field and refuses 4.3 GB', () => {
    const zip = declareSize(zipSync({'big.bin': text('small')}), Math.round(4.3 * 1024 ** 3), true)
    assert.throws(() => readCentralDirectory(zip), /more than 256 MB \(the cap\), at big\.bin/)
  })

  it('accepts a zip inside the caps unchanged', () => {
    const zip = zipSync({'sdk/zeros.bin': new Uint8Array(512 * 1024)})
    assert.equal(readZip(zip, {entries: 10, totalBytes: 1024 * 1024}).entries[0]?.data.length, 512 * 1024)
  })
})
