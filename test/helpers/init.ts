/** Deps for initProject in tests that scaffold with every answer given: asking anything is a test failure. */
import type {InitDeps} from '../../src/services/init/init.ts'

export function noPrompts(cwd: string): InitDeps {
  return {
    cwd,
    requireInteractive: (missing: string[]) => {
      throw new Error(`would prompt for ${missing.join(', ')}`)
    },
    prompter: () => {
      throw new Error('no prompter')
    },
  }
}
