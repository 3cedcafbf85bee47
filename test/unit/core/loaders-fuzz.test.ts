/**
 * Issue 19.8: property tests (fast-check) over the spec loader and the config loader. Random JSON and YAML
 * documents, YAML-ish token soup and byte-level mutations of real specs and configs: every input either
 * loads or fails with the loader's typed problem (an InputProblem, or a CliError with exit 3), never another error type (exit 70),
 * never a hang (each call is raced against a deadline), and heap growth stays bounded. Runs and time are
 * bounded, and the seed is printed by fast-check on a failure so it can be replayed.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import fc from 'fast-check'
import {parseConfig} from '../../../src/core/config/config.ts'
import {loadSpec} from '../../../src/core/spec/load.ts'
import {isInputProblem} from '../../../src/core/spec/problem.ts'
import {isCliError} from '../../../src/errors.ts'

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname
const REAL_SPECS = ['specs/aws-rest-petstore-simple-swagger2.json', 'specs/aws-httpapi-petstore-oas30.json', 'validate/rest-good.yaml'].map(
  (f) => readFileSync(join(FIXTURES, f), 'utf8'),
)
const REAL_CONFIG = `apis:
  pets:
    type: rest
    spec: openapi.yaml
    endpointType: REGIONAL
    stages:
      dev:
        variables: {backendUrl: "http://localhost:3000"}
        throttling: {rateLimit: 100, burstLimit: 200}
      prod: {}
    usagePlans:
      basic:
        stages: [prod]
        throttle: {rateLimit: 10, burstLimit: 20}
        quota: {limit: 10000, period: MONTH}
`
/** Per call; a loader that takes longer on a few KB of input is a hang for this test. */
const CALL_DEADLINE_MS = 5000
const RUN = {numRuns: 100, interruptAfterTimeLimit: 6000, markInterruptAsFailure: false}

type Outcome = 'loaded' | 'typed-problem'

/** Run one load; typed problems are fine, anything else (or a timeout) fails the property. */
async function outcome(load: () => Promise<unknown>): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CALL_DEADLINE_MS} ms (a hang)`)), CALL_DEADLINE_MS)
  })
  try {
    await Promise.race([load(), deadline])
    return 'loaded'
  } catch (error) {
    if (isInputProblem(error) || (isCliError(error) && error.exitCode === 3)) return 'typed-problem'
    throw new Error(
      `not a typed input problem: ${isCliError(error) ? `${error.code} (exit ${error.exitCode}) ${error.message}` : String((error as Error)?.stack ?? error)}`,
    )
  } finally {
    clearTimeout(timer)
  }
}

/** A reader serving the generated root document and nothing else (refs elsewhere are missing files). */
const specFrom = (text: string, name = 'openapi.yaml') => {
  const root = `/fuzz/${name}`
  return loadSpec(root, {
    read: (abs) => {
      if (abs === root) return Buffer.from(text)
      throw Object.assign(new Error(`ENOENT: no such file, open '${abs}'`), {code: 'ENOENT'})
    },
  })
}
const configFrom = (text: string) => parseConfig('/fuzz/apigw.yaml', Buffer.from(text))

const YAML_TOKENS = [
  'openapi: 3.0.1\n',
  'swagger: "2.0"\n',
  'info: {title: t, version: "1"}\n',
  'paths:\n',
  '  /p/{id}:\n',
  '    get:\n',
  '      responses: {}\n',
  '$ref: "#/components/schemas/A"\n',
  '$ref: other.yaml#/x\n',
  '$ref: "#/"\n',
  'apis:\n',
  '  pets:\n',
  '    type: rest\n',
  '    stages: {dev: {}}\n',
  '&a [1, 2]\n',
  '*a\n',
  '<<: *a\n',
  '!!binary aGk=\n',
  '!!python/object:os.system x\n',
  '!custom 1\n',
  '%YAML 1.2\n---\n',
  '---\n',
  '...\n',
  '{',
  '}',
  '[',
  ']',
  ': ',
  '- ',
  '? ',
  '|\n',
  '>-\n',
  '#c\n',
  '\t',
  '  ',
  '\n',
  '"',
  "'",
  '\\u0000',
  '\u0000',
  '\ufeff',
  '~',
  'null',
  '1e999',
  '-0',
  '0x1F',
  'é',
  '🦜',
]
const yamlSoup = fc.array(fc.constantFrom(...YAML_TOKENS), {maxLength: 60}).map((parts) => parts.join(''))
const mutation = (base: string) =>
  fc
    .array(fc.tuple(fc.nat({max: base.length}), fc.nat({max: 40}), fc.string({maxLength: 12, unit: 'binary'})), {
      minLength: 1,
      maxLength: 6,
    })
    .map((edits) =>
      edits.reduce(
        (text, [at, cut, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + cut),
        base,
      ),
    )

describe('spec loader fuzz (issue 19.8)', () => {
  const heapBefore = process.memoryUsage().heapUsed
  const cases: Array<[string, fc.Arbitrary<string>, string?]> = [
    ['random JSON values', fc.jsonValue({maxDepth: 8}).map((v) => JSON.stringify(v)), 'openapi.json'],
    [
      'random OpenAPI-shaped JSON',
      fc
        .record({
          openapi: fc.constantFrom('3.0.1', '3.1.0', '2.0', 3, null),
          info: fc.jsonValue({maxDepth: 2}),
          paths: fc.dictionary(fc.string({maxLength: 8}), fc.jsonValue({maxDepth: 4})),
        })
        .map((v) => JSON.stringify(v)),
      'openapi.json',
    ],
    ['YAML token soup', yamlSoup],
    ['random unicode text', fc.string({maxLength: 300, unit: 'grapheme'})],
    ...REAL_SPECS.map((s, i): [string, fc.Arbitrary<string>, string] => [
      `mutations of real spec ${i + 1}`,
      mutation(s),
      s.trimStart().startsWith('{') ? 'openapi.json' : 'openapi.yaml',
    ]),
  ]
  for (const [what, arbitrary, name] of cases) {
    it(`${what}: loads or fails with a typed problem, within the deadline`, async () => {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (text) => {
          await outcome(() => specFrom(text, name))
        }),
        RUN,
      )
    })
  }
  it('heap growth stays bounded over all the runs', () => {
    const grown = process.memoryUsage().heapUsed - heapBefore
    assert.ok(grown < 512 * 1024 * 1024, `heap grew by ${Math.round(grown / 1024 / 1024)} MB`)
  })
})

describe('config loader fuzz (issue 19.8)', () => {
  const cases: Array<[string, fc.Arbitrary<string>]> = [
    ['random JSON values', fc.jsonValue({maxDepth: 8}).map((v) => JSON.stringify(v))],
    [
      'config-shaped JSON',
      fc
        .record(
          {
            apis: fc.dictionary(
              fc.string({maxLength: 8}),
              fc.record(
                {
                  type: fc.constantFrom('rest', 'http', 'websocket', 'soap', 1),
                  spec: fc.jsonValue({maxDepth: 1}),
                  stages: fc.jsonValue({maxDepth: 3}),
                },
                {requiredKeys: []},
              ),
            ),
          },
          {requiredKeys: []},
        )
        .map((v) => JSON.stringify(v)),
    ],
    ['YAML token soup', yamlSoup],
    ['mutations of a real apigw.yaml', mutation(REAL_CONFIG)],
  ]
  for (const [what, arbitrary] of cases) {
    it(`${what}: loads or fails with a typed problem, within the deadline`, async () => {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (text) => {
          await outcome(() => configFrom(text))
        }),
        RUN,
      )
    })
  }
})
