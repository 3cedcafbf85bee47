import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parseConfig} from '../../../src/core/config/config.ts'
import {InputProblem} from '../../../src/core/spec/problem.ts'
import {exitCodeFor, EXIT} from '../../../src/errors.ts'

const parse = (text: string) => parseConfig('/p/apigw.yaml', Buffer.from(text))

describe('apigw.yaml', () => {
  it('applies defaults: type rest, empty stages, null stages become {}', async () => {
    const {config, dir} = await parse('apis:\n  pets:\n    spec: openapi.yaml\n    stages:\n      dev:\n')
    assert.equal(dir, '/p')
    assert.equal(config.apis.pets!.type, 'rest')
    assert.deepEqual(config.apis.pets!.stages, {dev: {}})
  })

  const bad: Array<[string, string, RegExp]> = [
    [
      'an unknown key with a suggestion',
      'apis:\n  pets:\n    spec: a.yaml\n    stagse: {}\n',
      /apigw\.yaml:4:5: unknown key "stagse" \(did you mean "stages"\?\)/,
    ],
    [
      'a wrong type',
      'apis:\n  pets:\n    spec: a.yaml\n    stages:\n      dev:\n        throttling: {rateLimit: fast}\n',
      /apigw\.yaml:6:22: "apis\.pets\.stages\.dev\.throttling\.rateLimit" must be number, not string "fast"/,
    ],
    ['a wrong enum', 'apis:\n  pets: {spec: a.yaml, type: soap}\n', /apigw\.yaml:2:\d+: "apis\.pets\.type" must be one of "rest", "http"/],
    ['a missing apis', 'diff: {}\n', /missing the required key "apis"/],
    ['duplicate keys', 'apis:\n  a: {spec: x}\napis: {}\n', /apigw\.yaml:3:1: duplicate key in the config file/],
    ['a top-level typo', 'apis:\n  a: {spec: x}\ndif: {}\n', /unknown key "dif" \(did you mean "diff"\?\)/],
  ]
  for (const [name, text, message] of bad) {
    it(`refuses ${name} with file:line:column and exit 3`, async () => {
      await assert.rejects(parse(text), (e: unknown) => {
        assert.ok(e instanceof InputProblem)
        assert.equal(exitCodeFor(e.code), EXIT.INPUT)
        assert.match(e.message, message)
        assert.ok(e.hint)
        return true
      })
    })
  }
})

describe('apigw.yaml: hostile input', () => {
  const apis = (n: number) =>
    `apis:\n${Array.from({length: n}, (_, i) => `  api${i}:\n    spec: openapi.yaml\n    stages: {dev: {}}\n`).join('')}`

  it('validates 20,000 APIs in linear time', async () => {
    // Given configs of 5,000 and 20,000 APIs; When parsed; Then the CPU time grows about 4x (the yaml
    // library's own duplicate-key check compares every pair of keys: 16x, 19 s at 20,000).
    const cpu = async (n: number) => {
      const text = apis(n)
      const start = process.cpuUsage()
      const {config} = await parse(text)
      const used = process.cpuUsage(start)
      assert.equal(Object.keys(config.apis).length, n)
      return used.user + used.system
    }
    await cpu(1000)
    const small = await cpu(5000)
    const large = await cpu(20_000)
    assert.ok(large / small < 9, `20,000 APIs took ${(large / small).toFixed(1)}x the CPU of 5,000`)
  })

  it('still finds a duplicate API among 20,000, with its line', async () => {
    await assert.rejects(
      parse(`${apis(20_000)}  api7: {spec: x}\n`),
      (e: unknown) => e instanceof InputProblem && e.code === 'CONFIG_DUPLICATE_KEY' && /apigw\.yaml:60002:3:/.test(e.message),
    )
  })

  const bad: Array<[string, string, string, RegExp]> = [
    [
      'a !!python/object tag',
      'apis:\n  a: !!python/object:os.system {spec: x}\n',
      'CONFIG_UNKNOWN_TAG',
      /apigw\.yaml:2:6: the config file uses the YAML tag !!python\/object:os\.system/,
    ],
    ['a local tag', 'apis: !custom {}\n', 'CONFIG_UNKNOWN_TAG', /YAML tag !custom/],
    [
      'an alias bomb',
      `x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n${[1, 2, 3, 4, 5, 6]
        .map(
          (i) =>
            `x${i}: &x${i} [${Array(10)
              .fill(`*x${i - 1}`)
              .join(', ')}]`,
        )
        .join('\n')}\napis: {}\n`,
      'CONFIG_ALIAS_LIMIT',
      /excessive alias count/,
    ],
    [
      '10,000-level nesting',
      `apis: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
      'CONFIG_TOO_DEEP',
      /apigw\.yaml:1:\d+: the config file is nested more than 1000 levels deep/,
    ],
  ]
  for (const [name, text, code, message] of bad) {
    it(`refuses ${name} with ${code}`, async () => {
      await assert.rejects(parse(text), (e: unknown) => {
        assert.ok(e instanceof InputProblem)
        assert.equal(e.code, code)
        assert.match(e.message, message)
        return true
      })
    })
  }
})

describe('apigw.yaml: rule and check ids', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'validate.levels',
      'validate:\n  levels:\n    integration-mising: off\n',
      /apigw\.yaml:5:5: "validate\.levels\.integration-mising" names a validate rule "integration-mising" that does not exist \(did you mean "integration-missing"\?\)/,
    ],
    [
      'diff.levels',
      'diff:\n  levels:\n    endpoint-aded: error\n',
      /apigw\.yaml:5:5: "diff\.levels\.endpoint-aded" names a diff check "endpoint-aded" that does not exist \(did you mean "endpoint-added"\?\)/,
    ],
    [
      'diff.ignore',
      'diff:\n  ignore:\n    - {id: api-path-removed-without-deprecaton, reason: planned}\n',
      /apigw\.yaml:5:\d+: "diff\.ignore\.0\.id" names a diff check .* \(did you mean "api-path-removed-without-deprecation"\?\)/,
    ],
    [
      'a validate id in diff.levels',
      'diff:\n  levels:\n    integration-missing: off\n',
      /names a diff check "integration-missing" that does not exist/,
    ],
  ]
  for (const [where, text, message] of cases) {
    it(`refuses an unknown id in ${where} with "did you mean"`, async () => {
      await assert.rejects(
        parse(`apis:\n  a: {spec: x}\n${text}`),
        (e: unknown) => e instanceof InputProblem && e.code === 'CONFIG_INVALID' && message.test(e.message),
      )
    })
  }

  it('accepts known ids', async () => {
    const {config} = await parse(
      'apis:\n  a: {spec: x}\nvalidate:\n  levels: {integration-missing: off}\ndiff:\n  levels: {endpoint-added: warning}\n  ignore: [{id: endpoint-added, reason: fine}]\n',
    )
    assert.equal(config.validate?.levels?.['integration-missing'], 'off')
  })
})
