/** scripts/check-imports.js: what it reads as an import, and the import graph of src/ it checks in `npm run lint`. */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
// @ts-expect-error: a plain JavaScript script without types
import {checkImports, specifiers} from '../../../scripts/check-imports.js'

type Found = {spec: string; typeOnly: boolean; dynamic: boolean}

describe('check-imports', () => {
  const cases: Array<[string, string, Found[]]> = [
    ['a value import', "import {a} from './a.ts'", [{spec: './a.ts', typeOnly: false, dynamic: false}]],
    ['a type-only import', "import type {A} from '../a.ts'", [{spec: '../a.ts', typeOnly: true, dynamic: false}]],
    ['a mixed import is a value import', "import {type A, b} from './a.ts'", [{spec: './a.ts', typeOnly: false, dynamic: false}]],
    ['a multi-line import', "import {\n  a,\n  b,\n} from './a.ts'", [{spec: './a.ts', typeOnly: false, dynamic: false}]],
    [
      'a re-export',
      "export {a} from './a.ts'\nexport type {B} from './b.ts'",
      [
        {spec: './a.ts', typeOnly: false, dynamic: false},
        {spec: './b.ts', typeOnly: true, dynamic: false},
      ],
    ],
    ['a dynamic import', "const {a} = await import('./a.ts')", [{spec: './a.ts', typeOnly: false, dynamic: true}]],
    ['a typeof import() type', "let x: typeof import('./a.ts')", [{spec: './a.ts', typeOnly: true, dynamic: true}]],
    ['imports in comments are not read', "// import {a} from './a.ts'\n/* await import('./b.ts') */", []],
    ['packages are not read', "import {x} from 'yaml'\nimport {y} from 'node:fs'", []],
    [
      'a URL in a string is not a comment',
      "const u = 'https://x.test'\nimport {a} from './a.ts'",
      [{spec: './a.ts', typeOnly: false, dynamic: false}],
    ],
  ]
  for (const [name, text, expected] of cases) {
    test(name, () => {
      // Given a source text / When its specifiers are read / Then the relative ones, each marked
      assert.deepEqual(specifiers(text), expected)
    })
  }

  test('src/ has no cycle and no upward import', () => {
    // Given the sources of this checkout / When the graph is checked / Then nothing is reported
    const {problems, edges} = checkImports() as {problems: string[]; edges: unknown[]}
    assert.deepEqual(problems, [])
    assert.ok(edges.length > 100)
  })
})
