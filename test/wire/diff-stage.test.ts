import assert from 'node:assert/strict'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {deploy} from '../../src/services/lifecycle/deploy.ts'
import {diff} from '../../src/services/diff/diff.ts'
import {initProject, loadTemplates} from '../../src/services/init/init.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {emulatorDeps} from './lifecycle-project.ts'
import {noPrompts} from '../helpers/init.ts'
import {tempDir} from '../helpers/temp.ts'

// issue 6: diffing a just-deployed spec against its own stage reports nothing, for REST and HTTP APIs alike.
describe('diff against a deployed stage (stage:<name>) on the emulator', async () => {
  let emu: TestEmulator
  before(async () => {
    emu = await startTestEmulator()
  })
  after(async () => {
    await emu.close()
  })
  const templates = await loadTemplates()
  for (const t of templates) {
    for (const auth of t.auth) {
      it(`reports nothing for ${t.id} (auth ${auth}) just deployed`, async () => {
        // Given a project scaffolded from the template and deployed to stage dev
        const cwd = tempDir('apigw-diffstage-')
        const name = `${t.id.replace(/[^a-z]/g, '')}${auth.replace(/[^a-z]/g, '')}`
        const extra =
          auth === 'jwt'
            ? {jwtIssuer: 'https://issuer.example.com/', jwtAudience: 'app'}
            : auth === 'lambda'
              ? {authorizerArn: 'arn:aws:lambda:us-east-1:123456789012:function:auth'}
              : {}
        await initProject({dir: 'p', name, template: t.id, auth, stages: 'dev', yes: true, ...extra}, noPrompts(cwd))
        const dir = join(cwd, 'p')
        const deps = emulatorDeps(emu, dir)
        await deploy({cwd: dir, stage: 'dev'}, deps)
        // When the working spec is diffed against the stage
        const result = await diff({cwd: dir, base: 'stage:dev', failOn: 'info', now: new Date()}, async () => deps)
        // Then nothing is reported, at any level
        assert.deepEqual(
          result.findings.map((f) => `${f.id} ${f.operation ?? ''}: ${f.message}`),
          [],
        )
        assert.equal(result.base, 'stage:dev')
        assert.equal(result.passed, true)
      })
    }
  }

  it('reports a breaking change made after the deploy', async () => {
    const cwd = tempDir('apigw-diffstage-')
    await initProject({dir: 'p', name: 'changed', template: 'rest-mock', stages: 'dev', yes: true}, noPrompts(cwd))
    const dir = join(cwd, 'p')
    const deps = emulatorDeps(emu, dir)
    await deploy({cwd: dir, stage: 'dev'}, deps)
    const {readFileSync, writeFileSync} = await import('node:fs')
    const specPath = join(dir, 'apis/changed/openapi.yaml')
    const {parse, stringify} = await import('yaml')
    const spec = parse(readFileSync(specPath, 'utf8'))
    const firstPath = Object.keys(spec.paths)[0]!
    delete spec.paths[firstPath]
    writeFileSync(specPath, stringify(spec))
    const result = await diff({cwd: dir, base: 'stage:dev', failOn: 'error', now: new Date()}, async () => deps)
    assert.ok(
      result.findings.some((f) => f.id === 'api-path-removed-without-deprecation' && f.level === 'error'),
      JSON.stringify(result.findings.map((f) => f.id)),
    )
    assert.equal(result.passed, false)
  })
})
