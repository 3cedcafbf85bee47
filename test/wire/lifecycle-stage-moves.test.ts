/**
 * Issue 14 points 1 and 6 through the built CLI on the emulator (`--local`, no server running):
 * rollback goes back to what *that stage* ran before (its own history), says which and when, and refuses
 * with a hint when there is none; rollback, promote, `canary --promote` and `--abort` need --yes when
 * nobody can be asked, with a hint that repeats the command as typed.
 */
import assert from 'node:assert/strict'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {mockIntegration, restSpec, writeProject} from './lifecycle-project.ts'

const built = cliBuilt()

type Envelope = {status: number; result?: Record<string, unknown>; error?: {code: string; message: string; hint?: string}}

async function apigw(dir: string, args: string[]): Promise<{code: number | null; json: Envelope; stderr: string}> {
  const run = await runCli([...args, '--local', '--json'], {cwd: dir, timeoutMs: 90_000})
  assert.equal(run.timedOut, false, `apigw ${args.join(' ')} timed out`)
  let json: Envelope
  try {
    json = JSON.parse(run.stdout) as Envelope
  } catch {
    assert.fail(`apigw ${args.join(' ')}: stdout is not one JSON document:\n${run.stdout}\n${run.stderr}`)
  }
  return {code: run.code, json, stderr: run.stderr}
}

/** The spec with one more operation, so each deploy makes a new deployment. */
function specVersion(n: number): Record<string, unknown> {
  return restSpec('pets', {
    [`/v${n}`]: {get: {responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': mockIntegration('{}')}},
  })
}

describe("rollback follows the stage's own history (built CLI, --local)", {
  skip: built ? false : 'the CLI is not built (run `npm run build`)',
}, () => {
  let dir: string
  before(() => {
    dir = writeProject({
      config: {apis: {pets: {type: 'rest', spec: 'pets.json', stages: {dev: {}, prod: {}}}}},
      specs: {'pets.json': specVersion(1)},
    })
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  test('deploy dev (D1), promote prod, deploy dev twice, promote again: rollback prod goes to D1, then refuses', async () => {
    // Given dev deployed (D1) and promoted to prod
    const d1 = await apigw(dir, ['deploy', 'pets', '--stage', 'dev'])
    assert.equal(d1.code, 0, d1.stderr)
    const D1 = String(d1.json.result?.deploymentId)
    assert.equal((await apigw(dir, ['promote', 'pets', '--from', 'dev', '--to', 'prod', '--yes'])).code, 0)
    // And dev deployed twice more (D2, D3), then promoted again: prod runs D3
    writeFileSync(join(dir, 'pets.json'), JSON.stringify(specVersion(2)))
    const D2 = String((await apigw(dir, ['deploy', 'pets', '--stage', 'dev'])).json.result?.deploymentId)
    writeFileSync(join(dir, 'pets.json'), JSON.stringify(specVersion(3)))
    const D3 = String((await apigw(dir, ['deploy', 'pets', '--stage', 'dev'])).json.result?.deploymentId)
    assert.equal(new Set([D1, D2, D3]).size, 3)
    const p = await apigw(dir, ['promote', 'pets', '--from', 'dev', '--to', 'prod', '--yes'])
    assert.equal(p.json.result?.to, D3)
    // When prod is rolled back with no --to
    const rb = await apigw(dir, ['rollback', 'pets', '--stage', 'prod', '--yes'])
    // Then it goes to D1, the deployment prod ran before (never D2, which only dev ran), and says when
    assert.equal(rb.code, 0, JSON.stringify(rb.json))
    assert.equal(rb.json.result?.from, D3)
    assert.equal(rb.json.result?.to, D1)
    const target = rb.json.result?.target as {id: string; by: string; ranSince: string | null; ranUntil: string | null}
    assert.equal(target.by, 'history')
    assert.ok(target.ranSince && target.ranUntil && target.ranSince <= target.ranUntil, JSON.stringify(target))
    const st = await apigw(dir, ['status', 'pets'])
    const stages = st.json.result?.stages as Array<{name: string; deploymentId: string}>
    assert.equal(stages.find((s) => s.name === 'prod')?.deploymentId, D1)
    assert.equal(stages.find((s) => s.name === 'dev')?.deploymentId, D3)
    // And the human output names the deployment and when prod ran it
    const human = await runCli(['rollback', 'pets', '--stage', 'dev', '--yes', '--local'], {cwd: dir, timeoutMs: 90_000})
    assert.equal(human.code, 0, human.stderr)
    assert.match(
      human.stdout,
      new RegExp(`pets dev rolled back to deployment ${D2} \\(was ${D3}; it ran it from \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z until \\d{4}-`),
    )
    // When prod is rolled back again: it ran nothing before D1, so it refuses with a hint
    const again = await apigw(dir, ['rollback', 'pets', '--stage', 'prod', '--yes'])
    assert.equal(again.code, 4)
    assert.equal(again.json.error?.code, 'NO_PREVIOUS_DEPLOYMENT')
    assert.match(again.json.error?.hint ?? '', /--to <deployment id or git sha>.*apigw history pets --stage prod/)
  })
})

describe('live-stage changes need --yes without a terminal (built CLI, --local)', {
  skip: built ? false : 'the CLI is not built (run `npm run build`)',
}, () => {
  let dir: string
  before(async () => {
    dir = writeProject({
      config: {apis: {pets: {type: 'rest', spec: 'pets.json', stages: {dev: {}, prod: {}}}}},
      specs: {'pets.json': specVersion(1)},
    })
    assert.equal((await apigw(dir, ['deploy', 'pets', '--stage', 'dev'])).code, 0)
    assert.equal((await apigw(dir, ['promote', 'pets', '--from', 'dev', '--to', 'prod', '--yes'])).code, 0)
    writeFileSync(join(dir, 'pets.json'), JSON.stringify(specVersion(2)))
    assert.equal((await apigw(dir, ['deploy', 'pets', '--stage', 'dev'])).code, 0)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  // What each stage runs (the invoke URLs carry each run's ephemeral port, so they are left out).
  const stages = async () =>
    (((await apigw(dir, ['status', 'pets'])).json.result?.stages ?? []) as Array<Record<string, unknown>>).map((s) => [
      s.name,
      s.deploymentId,
      s.canary,
    ])
  const refused = async (args: string[]) => {
    const before = await stages()
    const r = await apigw(dir, args)
    // Then exit 2, NON_INTERACTIVE, a hint with the same command, --local and --yes, and nothing changed
    assert.equal(r.code, 2, JSON.stringify(r.json))
    assert.equal(r.json.error?.code, 'NON_INTERACTIVE')
    assert.match(
      r.json.error?.hint ?? '',
      new RegExp(`apigw ${args.join(' ').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --local --json --yes`),
    )
    assert.deepEqual(await stages(), before)
  }

  test('promote', () => refused(['promote', 'pets', '--from', 'dev', '--to', 'prod']))
  test('rollback', () => refused(['rollback', 'pets', '--stage', 'dev']))
  test('canary --promote and --abort (but not --percent)', async () => {
    assert.equal((await apigw(dir, ['promote', 'pets', '--from', 'dev', '--to', 'prod', '--canary', '10', '--yes'])).code, 0)
    await refused(['canary', 'pets', '--stage', 'prod', '--promote'])
    await refused(['canary', 'pets', '--stage', 'prod', '--abort'])
    assert.equal((await apigw(dir, ['canary', 'pets', '--stage', 'prod', '--percent', '20'])).code, 0)
  })
  test('promote --canary', () => refused(['promote', 'pets', '--from', 'dev', '--to', 'prod', '--canary', '30']))
})
