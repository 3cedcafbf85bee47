/**
 * The --json contract: the key paths (and their types) of every command's success envelope and of one error
 * envelope per command, from the built CLI run with `--local --json` in a temp project, against
 * test/snapshots/json-shapes.txt. A field added, renamed, removed or retyped shows in review as a diff of that file
 * (UPDATE_SNAPSHOTS=1 rewrites it). Values are not compared: ids, times and hashes change on every run.
 */
import assert from 'node:assert/strict'
import {type ChildProcess, spawn} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {binPath, type CliRun, cliBuilt, repoRoot, runCli} from '../helpers/cli.ts'
import {keyPaths, matchSnapshot} from '../helpers/snapshot.ts'
import {tempDir} from '../helpers/temp.ts'
import {restSpec, writeProject} from '../wire/lifecycle-project.ts'

type Manifest = {commands: Record<string, {flags: Record<string, unknown>}>}

/** Objects keyed by data (stage variables, tags, log groups): their keys show as `*`, so the shape is the project's. */
const DYNAMIC = ['filterPatterns', 'variables', 'tags', 'stageVariables']

describe('--json contract of every command (built CLI, --local)', {
  skip: cliBuilt() ? false : 'the CLI is not built (run `npm run build`)',
}, () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as Manifest
  /** `--yes` for the commands that take it (they would refuse without a terminal). */
  const yes = (id: string) => (manifest.commands[id]?.flags.yes ? ['--yes'] : [])
  const shapes = new Map<string, string>()
  let dir: string

  async function apigw(id: string, args: string[], cwd = dir): Promise<{run: CliRun; doc: Record<string, unknown>}> {
    const run = await runCli([...id.split(':'), ...args, '--local', '--json'], {cwd})
    assert.equal(run.timedOut, false, `apigw ${id} timed out`)
    let doc: Record<string, unknown>
    try {
      // Streaming commands print NDJSON: the envelope is the last line.
      doc = JSON.parse(id === 'logs' ? (run.stdout.trim().split('\n').at(-1) ?? '') : run.stdout) as Record<string, unknown>
    } catch {
      assert.fail(`apigw ${id} ${args.join(' ')}: no JSON envelope on stdout:\n${run.stdout}\n${run.stderr}`)
    }
    return {run, doc}
  }

  async function success(id: string, args: string[], cwd?: string): Promise<Record<string, unknown>> {
    const {run, doc} = await apigw(id, args, cwd)
    assert.equal(run.code, 0, `apigw ${id} ${args.join(' ')}: ${run.stdout}${run.stderr}`)
    shapes.set(`${id} (success)`, keyPaths(doc, DYNAMIC))
    return doc
  }

  /** The error code is part of the contract too: it is in the snapshot's section title. */
  async function failure(id: string, args: string[]): Promise<void> {
    const {run, doc} = await apigw(id, args)
    assert.notEqual(run.code, 0, `apigw ${id} ${args.join(' ')} succeeded`)
    const code = (doc.error as {code?: string} | undefined)?.code
    assert.ok(code, `apigw ${id} ${args.join(' ')}: no error code in ${run.stdout}`)
    shapes.set(`${id} (error ${code}, exit ${run.code})`, keyPaths(doc, DYNAMIC))
  }

  before(() => {
    const config = {
      apis: {
        pets: {
          type: 'rest',
          spec: 'pets.json',
          stages: {dev: {variables: {v: 'dev'}, accessLogs: {format: 'json'}}, prod: {variables: {v: 'prod'}}},
          usagePlans: {basic: {stages: ['prod'], throttle: {rateLimit: 10, burstLimit: 20}}},
        },
      },
    }
    // The base lacks /items: the diff finds an addition, which breaks nothing
    const base = restSpec('pets') as {paths: Record<string, unknown>}
    delete base.paths['/items']
    dir = writeProject({config, specs: {'pets.json': restSpec('pets'), 'base.json': base}})
  })

  // One emulator server for the whole lifecycle: each command attaches to it instead of starting its own.
  let server: ChildProcess | undefined
  after(() => {
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
  })
  async function startServer(): Promise<void> {
    server = spawn(process.execPath, [binPath, 'local', 'start', '--port', '0', '--json'], {
      cwd: dir,
      env: {...process.env, NO_COLOR: '1'},
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const child = server
    let out = ''
    await new Promise<void>((resolve, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d
        if (out.includes('"event":"ready"')) resolve()
      })
      child.once('exit', () => reject(new Error(`local start exited before it was ready: ${out}`)))
    })
  }
  async function stopServer(): Promise<void> {
    const child = server!
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }

  it('every command answers its documented envelope', {timeout: 900_000}, async () => {
    await startServer()
    // The lifecycle, in order: each step's success envelope
    await success('validate', ['pets'])
    await success('plan', ['pets', '--stage', 'dev'])
    await success('deploy', ['pets', '--stage', 'dev'])
    await success('deploy', ['pets', '--stage', 'prod'])
    await success('status', ['pets'])
    await success('metrics', ['pets', '--stage', 'dev', '--by', 'method'])
    await success('history', ['pets', '--stage', 'dev'])
    await success('diff', ['pets', '--base', 'base.json'])
    await success('promote', ['pets', '--from', 'dev', '--to', 'prod', ...yes('promote')])
    await success('promote', ['pets', '--from', 'dev', '--to', 'prod', '--canary', '10', ...yes('promote')])
    await success('canary', ['pets', '--stage', 'prod', '--percent', '20', ...yes('canary')])
    await success('canary', ['pets', '--stage', 'prod', '--abort', ...yes('canary')])
    await success('rollback', [
      'pets',
      '--stage',
      'dev',
      '--to',
      ((await apigw('history', ['pets'])).doc.result as {deployments: Array<{id: string}>}).deployments.at(-1)!.id,
      ...yes('rollback'),
    ])
    await success('keys:plans', [])
    await success('keys:create', ['ci', '--plan', 'basic'])
    await success('keys:list', ['--show-values'])
    await success('keys:rotate', ['ci'])
    await success('keys:retire', ['--dry-run'])
    await success('keys:export', [])
    writeFileSync(join(dir, 'keys.csv'), 'Name,Key,UsagePlanIds\nimported,ImportedKeyValue0123456789,basic\n')
    await success('keys:import', ['keys.csv'])
    await success('keys:revoke', ['ci', '--yes'])
    await success('export:spec', ['pets', '--stage', 'dev', '--output', join(dir, 'exported.json')])
    await success('export:sdk', ['pets', '--stage', 'dev', '--language', 'typescript', '--output', join(dir, 'sdk')])
    await success('docs', ['pets', '--stage', 'dev', '--output', join(dir, 'site')])
    await success('logs', ['pets', '--stage', 'dev', '--since', '1h'])
    await success('local:status', [])
    const fresh = tempDir('apigw-contract-init-')
    await success('init', ['app', '--name', 'shop', '--type', 'rest', '--stages', 'dev', '--yes'], fresh)
    // And one failure of each command (the error envelope, with its details), a few at a time
    const failures: Array<[string, string[]]> = [
      ['validate', ['nope']],
      ['plan', ['pets', '--stage', 'qa']],
      ['deploy', ['nope', '--stage', 'dev']],
      ['status', ['nope']],
      ['history', ['nope']],
      ['diff', ['pets', '--base', 'missing.json']],
      ['promote', ['pets', '--from', 'dev', '--to', 'qa', ...yes('promote')]],
      ['canary', ['pets', '--stage', 'qa', '--abort', ...yes('canary')]],
      ['rollback', ['pets', '--stage', 'qa', ...yes('rollback')]],
      ['keys:create', ['x', '--plan', 'gold']],
      ['keys:list', ['--plan', 'gold']],
      ['keys:rotate', ['nope']],
      ['keys:revoke', ['nope', '--yes']],
      ['export:spec', ['nope', '--stage', 'dev']],
      ['docs', ['nope', '--stage', 'dev', '--output', 'site']],
      ['logs', ['nope', '--stage', 'dev']],
      ['metrics', ['pets', '--stage', 'dev', '--period', '90s']],
      ['init', ['.', '--name', 'shop', '--type', 'rest', '--stages', 'dev', '--yes']],
    ]
    for (let i = 0; i < failures.length; i += 4) await Promise.all(failures.slice(i, i + 4).map(([id, args]) => failure(id, args)))
    // And with the server stopped, the state directory can be reset
    await stopServer()
    await success('local:reset', ['--yes'])
  })

  it('matches test/snapshots/json-shapes.txt', () => {
    assert.ok(shapes.size > 0, 'the lifecycle ran')
    const text = [...shapes]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([title, paths]) => `## apigw ${title.replace(':', ' ')}\n${paths}\n`)
      .join('\n')
    matchSnapshot('json-shapes.txt', text)
  })
})
