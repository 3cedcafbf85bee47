/** Issue 19.3: files apigw writes never follow or write through a symbolic link, and a failed write leaves nothing. */
import assert from 'node:assert/strict'
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {isCliError} from '../../src/errors.ts'
import {appendFileSafely, assertWritable, writeFileSafely} from '../../src/safe-files.ts'

let dir: string
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'apigw-safe-'))
})
after(() => rmSync(dir, {recursive: true, force: true}))

const code = (fn: () => void): string => {
  try {
    fn()
  } catch (error) {
    assert.ok(isCliError(error), String(error))
    return error.code
  }
  return 'none'
}

describe('writeFileSafely', () => {
  it('refuses a symbolic link at the path and leaves its target untouched (with or without force)', () => {
    // Given a link out.json → a file outside the project
    const victim = join(dir, 'victim.txt')
    writeFileSync(victim, 'precious')
    const link = join(dir, 'out.json')
    symlinkSync(victim, link)
    // When apigw writes to out.json; Then it refuses, and nothing changed
    for (const force of [false, true])
      assert.equal(
        code(() => writeFileSafely(link, 'x', {force})),
        'FILE_SYMLINK',
      )
    assert.equal(readFileSync(victim, 'utf8'), 'precious')
    assert.ok(lstatSync(link).isSymbolicLink())
    assert.equal(
      code(() => appendFileSafely(link, 'x')),
      'FILE_SYMLINK',
    )
    assert.equal(readFileSync(victim, 'utf8'), 'precious')
  })

  it('refuses a dangling link too (it would create the file where the link points)', () => {
    const link = join(dir, 'dangling.json')
    symlinkSync(join(dir, 'nowhere', 'created.txt'), link)
    assert.equal(
      code(() => writeFileSafely(link, 'x', {force: true, mkdirs: true})),
      'FILE_SYMLINK',
    )
    assert.throws(() => statSync(join(dir, 'nowhere')))
  })

  it('keeps an existing file unless forced, replaces it with force', () => {
    const path = join(dir, 'spec.json')
    writeFileSafely(path, 'one')
    assert.equal(
      code(() => writeFileSafely(path, 'two')),
      'FILE_EXISTS',
    )
    assert.equal(readFileSync(path, 'utf8'), 'one')
    writeFileSafely(path, 'two', {force: true})
    assert.equal(readFileSync(path, 'utf8'), 'two')
  })

  it('a secret replaces a 0644 file as 0600', () => {
    const path = join(dir, 'key.txt')
    writeFileSync(path, 'old')
    chmodSync(path, 0o644)
    writeFileSafely(path, 'secret', {force: true, mode: 0o600})
    assert.equal(statSync(path).mode & 0o777, 0o600)
    assert.equal(readFileSync(path, 'utf8'), 'secret')
  })

  it('a directory or a FIFO-like path is a clear error; no temp file is left behind', () => {
    const sub = join(dir, 'clean')
    mkdirSync(join(sub, 'adir'), {recursive: true})
    assert.equal(
      code(() => writeFileSafely(join(sub, 'adir'), 'x', {force: true})),
      'FILE_IS_DIRECTORY',
    )
    writeFileSync(join(sub, 'afile'), '')
    assert.equal(
      code(() => writeFileSafely(join(sub, 'afile', 'x.json'), 'x', {force: true})),
      'FILE_UNWRITABLE',
    )
    assert.deepEqual(readdirSync(sub).sort(), ['adir', 'afile'])
  })
})

describe('assertWritable (checked before a key is created)', () => {
  const cases: Array<[string, () => string, string]> = [
    ['a missing directory', () => join(dir, 'missing', 'key.txt'), 'FILE_UNWRITABLE'],
    [
      'a file used as a directory',
      () => {
        writeFileSync(join(dir, 'plain'), '')
        return join(dir, 'plain', 'key.txt')
      },
      'FILE_UNWRITABLE',
    ],
    ['a directory', () => dir, 'FILE_IS_DIRECTORY'],
    [
      'a symbolic link',
      () => {
        symlinkSync(join(dir, 'victim.txt'), join(dir, 'k.lnk'))
        return join(dir, 'k.lnk')
      },
      'FILE_SYMLINK',
    ],
  ]
  for (const [what, path, expected] of cases)
    it(`${what} → ${expected}`, () =>
      assert.equal(
        code(() => assertWritable(path(), {force: true})),
        expected,
      ))

  it('a writable path passes and nothing is created', () => {
    const before = readdirSync(dir).sort()
    assertWritable(join(dir, 'new-key.txt'), {force: true})
    assert.deepEqual(readdirSync(dir).sort(), before)
  })
})
