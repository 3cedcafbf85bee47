/**
 * Temporary directories for tests, removed when the test file's process exits (node:test runs each file in its
 * own process), whatever the tests did: passed, failed, or forgot their own cleanup. scripts/test.js counts the
 * `apigw-*` entries left in the temporary directory after a run and fails the run if there are any.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const made: string[] = []
let hooked = false

/** A fresh directory under the system temp dir, named `<prefix>XXXXXX`, removed at exit. */
export function tempDir(prefix = 'apigw-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  if (!hooked) {
    hooked = true
    process.once('exit', removeTempDirs)
  }
  return dir
}

/** Remove every directory tempDir made so far (also runs at exit). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true, maxRetries: 3})
}
