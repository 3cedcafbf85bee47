/**
 * TypeScript types of an OpenAPI 3 document through openapi-typescript, used as a library.
 *
 * openapi-typescript builds its output with the TypeScript 5 compiler API; the project's own `typescript`
 * is 7 (the native compiler, no JS API). The 5.x compiler is installed under the alias `typescript-5`, and
 * a module resolve hook sends openapi-typescript's `import 'typescript'` (and only its) there.
 */
import module from 'node:module'

let hooked = false

function hookTypescript(): void {
  if (hooked) return
  hooked = true
  const register = (module as unknown as {registerHooks?: (hooks: object) => void}).registerHooks
  if (typeof register !== 'function') throw new Error('generating TypeScript types needs Node.js 22.15 or later (module.registerHooks)')
  register({
    resolve(specifier: string, context: {parentURL?: string}, next: (s: string, c: unknown) => unknown) {
      if (specifier === 'typescript' && context.parentURL?.includes('/openapi-typescript/')) return next('typescript-5', context)
      return next(specifier, context)
    },
  })
}

/** The text of `types.ts` (`paths`, `components`, `operations`) for an OpenAPI 3 document. */
export async function generateTypes(doc: Record<string, unknown>): Promise<string> {
  hookTypescript()
  const {default: openapiTS, astToString} = await import('openapi-typescript')
  const ast = await openapiTS(doc as never, {silent: true, alphabetize: false})
  return astToString(ast)
}
