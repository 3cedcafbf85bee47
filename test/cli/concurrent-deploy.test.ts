/**
 * Issue 19.1: two `apigw deploy` runs started together on a project whose API does not exist yet must
 * leave one API, never two (which made every later command fail with AWS_AMBIGUOUS). The built CLI, two
 * processes at once against one emulator, several trials: in one project the deploy lock serialises
 * them (both succeed, one API); in two checkouts of the same API (no shared lock) the creation race is
 * settled on the API side (the younger copy is deleted by its maker). Stale and held locks are covered too.
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {GetRestApisCommand} from '@aws-sdk/client-api-gateway'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {restSpec, writeProject} from '../wire/lifecycle-project.ts'

const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  APIGW_CONTROL_PLANE_RATES: 'off',
}
const TRIALS = 3
// Each trial runs the built CLI several times: under a loaded machine a trial takes up to ~40 s.
const SLOW = {timeout: 600_000}

type Envelope = {status: number; result?: {createdApi?: boolean; apiId?: string}; error?: {code: string; message: string}}

describe('concurrent first deploys (issue 19.1)', {skip: cliBuilt() ? false : 'needs a build'}, () => {
  let emu: TestEmulator
  const dirs: string[] = []
  before(async () => {
    emu = await startTestEmulator()
  })
  after(async () => {
    await emu.close()
    for (const d of dirs) rmSync(d, {recursive: true, force: true})
  })

  const project = (key: string): string => {
    const dir = writeProject({
      config: {apis: {[key]: {type: 'rest', spec: 'api.json', stages: {dev: {}}}}},
      specs: {'api.json': restSpec(key)},
    })
    dirs.push(dir)
    return dir
  }
  const deploy = (dir: string, key: string, env: Record<string, string> = {}) =>
    runCli(['deploy', key, '--stage', 'dev', '--endpoint-url', emu.url, '--json'], {
      cwd: dir,
      env: {...AWS_ENV, ...env},
      timeoutMs: 120_000,
    })
  const tagged = async (key: string) =>
    ((await emu.v1.send(new GetRestApisCommand({limit: 500}))).items ?? []).filter((a) => a.tags?.['apigw:api'] === key)

  it(`one project, two deploys at once, ${TRIALS} trials: both succeed, one API`, SLOW, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      // Given a project whose API does not exist yet
      const key = `locked${trial}`
      const dir = project(key)
      // When two deploys start together
      const [a, b] = await Promise.all([deploy(dir, key), deploy(dir, key)])
      // Then both succeed, one of them created the API, and exactly one API carries the tag
      for (const run of [a, b]) assert.equal(run.code, 0, `trial ${trial}: ${run.stdout}${run.stderr}`)
      const created = [a, b].map((r) => (JSON.parse(r.stdout) as Envelope).result?.createdApi)
      assert.deepEqual(created.sort(), [false, true], `trial ${trial}`)
      assert.equal((await tagged(key)).length, 1, `trial ${trial}: APIs tagged apigw:api=${key}`)
      const status = await runCli(['status', key, '--endpoint-url', emu.url, '--json'], {cwd: dir, env: AWS_ENV})
      assert.equal(status.code, 0, status.stdout)
    }
  })

  it(`two checkouts of one API (no shared lock), ${TRIALS} trials: one API survives, the loser says so`, SLOW, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const key = `raced${trial}`
      const [one, two] = [project(key), project(key)]
      const runs = await Promise.all([deploy(one, key), deploy(two, key)])
      const docs = runs.map((r) => JSON.parse(r.stdout) as Envelope)
      // Then one API is left, every run either succeeded or lost the race with AWS_CONFLICT (exit 4)
      assert.equal((await tagged(key)).length, 1, `trial ${trial}: ${runs.map((r) => r.stdout).join('\n')}`)
      for (const [i, run] of runs.entries()) {
        if (run.code === 0) continue
        // Lost the creation race (its copy deleted), or both found the API and raced to create the stage.
        assert.equal(run.code, 4, run.stdout + run.stderr)
        assert.match(docs[i]?.error?.message ?? '', /deleted its own copy|already exists/)
      }
      assert.ok(
        runs.some((r) => r.code === 0),
        `trial ${trial}: no run succeeded`,
      )
      // And a rerun of any loser deploys onto the survivor
      for (const [i, run] of runs.entries()) if (run.code !== 0) assert.equal((await deploy([one, two][i]!, key)).code, 0)
    }
  })

  it('a stale lock (its process is gone) is taken over', async () => {
    const key = 'stale'
    const dir = project(key)
    const dead = spawn(process.execPath, ['-e', '0'])
    const pid = await new Promise<number>((r) => dead.on('exit', () => r(dead.pid!)))
    mkdirSync(join(dir, '.apigw'), {recursive: true})
    writeFileSync(
      join(dir, '.apigw', 'deploy.lock'),
      JSON.stringify({pid, host: hostname(), command: 'apigw deploy', started: new Date().toISOString()}),
    )
    const run = await deploy(dir, key)
    assert.equal(run.code, 0, run.stdout)
  })

  it('a live lock is waited for, then DEPLOY_LOCKED (exit 4) naming the holder', async () => {
    const key = 'held'
    const dir = project(key)
    mkdirSync(join(dir, '.apigw'), {recursive: true})
    writeFileSync(
      join(dir, '.apigw', 'deploy.lock'),
      JSON.stringify({pid: process.pid, host: hostname(), command: 'apigw deploy held --stage prod', started: new Date().toISOString()}),
    )
    const run = await deploy(dir, key, {APIGW_LOCK_TIMEOUT: '1'})
    assert.equal(run.code, 4, run.stdout)
    const doc = JSON.parse(run.stdout) as Envelope
    assert.equal(doc.error?.code, 'DEPLOY_LOCKED')
    assert.match(doc.error?.message ?? '', new RegExp(`apigw deploy held --stage prod \\(pid ${process.pid}`))
    assert.equal((await tagged(key)).length, 0, 'nothing was created')
  })
})
