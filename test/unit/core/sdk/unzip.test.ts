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
      'link': [text('/etc/passwd'), {os: 3, attrs: LINK_ATTRS}],
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
    const zip = zipSync({'f': [text('x'), {os: 3, attrs: (0o100644 << 16) >>> 0}], 'l': [text('f'), {os: 3, attrs: LINK_ATTRS}]})
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
