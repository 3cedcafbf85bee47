import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parseConfig} from '../../../src/core/config/config.ts'
import {CliError, EXIT} from '../../../src/errors.ts'

const parse = (text: string) => parseConfig('/p/apigw.yaml', Buffer.from(text))

describe('apigw.yaml', () => {
  it('applies defaults: type rest, empty stages, null stages become {}', async () => {
    const {config, dir} = await parse('apis:\n  pets:\n    spec: openapi.yaml\n    stages:\n      dev:\n')
    assert.equal(dir, '/p')
    assert.equal(config.apis.pets!.type, 'rest')
    assert.deepEqual(config.apis.pets!.stages, {dev: {}})
  })

  const bad: Array<[string, string, RegExp]> = [
    ['an unknown key with a suggestion', 'apis:\n  pets:\n    spec: a.yaml\n    stagse: {}\n', /apigw\.yaml:4:5: unknown key "stagse" \(did you mean "stages"\?\)/],
    ['a wrong type', 'apis:\n  pets:\n    spec: a.yaml\n    stages:\n      dev:\n        throttling: {rateLimit: fast}\n', /apigw\.yaml:6:22: "apis\.pets\.stages\.dev\.throttling\.rateLimit" must be number, not string "fast"/],
    ['a wrong enum', 'apis:\n  pets: {spec: a.yaml, type: soap}\n', /apigw\.yaml:2:\d+: "apis\.pets\.type" must be one of "rest", "http"/],
    ['a missing apis', 'diff: {}\n', /missing the required key "apis"/],
    ['duplicate keys', 'apis:\n  a: {spec: x}\napis: {}\n', /apigw\.yaml:3:1: duplicate key in the config file/],
    ['a top-level typo', 'apis:\n  a: {spec: x}\ndif: {}\n', /unknown key "dif" \(did you mean "diff"\?\)/],
  ]
  for (const [name, text, message] of bad) {
    it(`refuses ${name} with file:line:column and exit 3`, async () => {
      await assert.rejects(parse(text), (e: unknown) => {
        assert.ok(e instanceof CliError)
        assert.equal(e.exitCode, EXIT.INPUT)
        assert.match(e.message, message)
        assert.ok(e.hint)
        return true
      })
    })
  }
})
