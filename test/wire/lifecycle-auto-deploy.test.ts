import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {CliError, EXIT} from '../../src/errors.ts'
import {deploy} from '../../src/services/lifecycle/deploy.ts'
import {SIGNED, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {emulatorDeps, httpSpec, restSpec, writeProject} from './lifecycle-project.ts'

describe('deploy: autoDeploy in apigw.yaml', () => {
  let emu: TestEmulator
  before(async () => {
    emu = await startTestEmulator()
  })
  after(async () => {
    await emu.close()
  })
  const cases = [
    {
      type: 'http',
      spec: httpSpec('h'),
      code: 'NOT_SUPPORTED',
      exit: EXIT.USAGE,
      message: /autoDeploy on an HTTP API stage .* is not supported yet/,
    },
    {type: 'rest', spec: restSpec('r'), code: 'CONFIG_INVALID', exit: EXIT.INPUT, message: /autoDeploy is for HTTP APIs/},
  ]
  for (const c of cases) {
    it(`refuses autoDeploy: true on a ${c.type} stage before changing anything`, async () => {
      const dir = writeProject({
        config: {apis: {a: {type: c.type, spec: 'openapi.json', stages: {dev: {autoDeploy: true}}}}},
        specs: {'openapi.json': c.spec},
      })
      await assert.rejects(deploy({cwd: dir, stage: 'dev'}, emulatorDeps(emu, dir)), (e: unknown) => {
        assert.ok(e instanceof CliError)
        assert.equal(e.code, c.code)
        assert.equal(e.exitCode, c.exit)
        assert.match(e.message, c.message)
        return true
      })
      const apis = await fetch(`${emu.url}/v2/apis`, {headers: SIGNED}).then((r) => r.json() as Promise<{items: unknown[]}>)
      const rest = await fetch(`${emu.url}/restapis`, {headers: SIGNED}).then((r) => r.json() as Promise<{item: unknown[]}>)
      assert.equal(apis.items.length + rest.item.length, 0)
    })
  }
})
