/**
 * Deploy benchmarks (issue 4 point 13), loopback only:
 *  1. The Stripe spec end to end to the emulator (validate, import, deployment, stage) through the deploy
 *     service with real SDK clients: target < 3 s. Also through the built CLI (`deploy --local`).
 *  2. A small spec: `apigw deploy --force` (one process: validate, find, PutRestApi, CreateDeployment,
 *     UpdateStage) against the AWS CLI v2 doing put-rest-api, create-deployment and update-stage (three
 *     processes) on the same emulator: target ratio ≤ 0.5.
 */
import {execFile} from 'node:child_process'
import {copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createAwsClients} from '../src/aws/clients.ts'
import {startEmulator} from '../src/local/server.ts'
import {silentProgress} from '../src/deps.ts'
import {deploy} from '../src/services/lifecycle/deploy.ts'
import {promisify} from 'node:util'
import {fmt, median, printTable, type Row, sharedSpec} from './lib.ts'

// The emulator runs in this process, so children are awaited, never run with spawnSync (that would block it).
const run = promisify(execFile)
async function timeAsync(cmd: string, args: string[], options: {runs: number; cwd?: string; env: Record<string, string>}): Promise<number> {
  const times: number[] = []
  for (let i = 0; i <= options.runs; i++) {
    const start = performance.now()
    await run(cmd, args, {cwd: options.cwd, env: {...process.env, ...options.env}, maxBuffer: 64 * 1024 * 1024})
    if (i > 0) times.push(performance.now() - start)
  }
  return median(times)
}

const credentials = {accessKeyId: 'bench', secretAccessKey: 'bench'}
const AWS_CLI = process.env.APIGW_AWS_CLI ?? '/usr/bin/aws'
const root = new URL('..', import.meta.url).pathname
const bin = join(root, 'bin/run.js')
const rows: Row[] = []

const emulator = await startEmulator({port: 0, dataDir: mkdtempSync(join(tmpdir(), 'apigw-bench-deploy-'))})
const clients = createAwsClients({endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1}, true)
const deps = {aws: clients, clock: () => new Date(), progress: silentProgress, interactive: false, cwd: tmpdir()}

function project(name: string, spec: string, stage = 'dev'): string {
  const dir = mkdtempSync(join(tmpdir(), `apigw-bench-${name}-`))
  writeFileSync(
    join(dir, 'apigw.yaml'),
    JSON.stringify({
      apis: {
        [name]: {
          type: 'rest',
          spec: 'openapi.json',
          stages: {[stage]: {variables: {v: '1'}, throttling: {rateLimit: 100, burstLimit: 200}}},
        },
      },
    }),
  )
  copyFileSync(spec, join(dir, 'openapi.json'))
  return dir
}

// 1. Stripe, end to end, in process.
const stripe = sharedSpec('stripe-e0123a3.json')
if (stripe) {
  const times: number[] = []
  for (let i = 0; i < 3; i++) {
    const dir = project(`stripe${i}`, stripe)
    const start = performance.now()
    const r = await deploy({cwd: dir, stage: 'dev', allowWarnings: true}, {...deps, cwd: dir})
    times.push(performance.now() - start)
    if (!r.deploymentId) throw new Error('Stripe deploy made no deployment')
  }
  const ms = median(times)
  rows.push({name: 'Stripe spec, deploy service → emulator (validate…stage)', value: fmt(ms), target: '< 3 s', ok: ms < 3000})
  if (existsSync(join(root, 'dist/commands/deploy.js'))) {
    const dir = project('stripecli', stripe)
    const cli = await timeAsync(
      process.execPath,
      [bin, 'deploy', '--stage', 'dev', '--allow-warnings', '--force', '--endpoint-url', emulator.url, '--region', 'us-east-1', '--json'],
      {
        runs: 3,
        cwd: dir,
        env: {
          AWS_ACCESS_KEY_ID: 'bench',
          AWS_SECRET_ACCESS_KEY: 'bench',
          AWS_EC2_METADATA_DISABLED: 'true',
          APIGW_CONTROL_PLANE_RATES: 'off',
        },
      },
    )
    rows.push({name: 'Stripe spec, built CLI deploy --force → emulator', value: fmt(cli), target: '< 3 s', ok: cli < 3000})
  }
}

// 2. A small spec: apigw vs the AWS CLI v2 on the same emulator.
const small = join(root, 'templates/rest-mock/openapi.yaml')
if (!existsSync(join(root, 'dist/commands/deploy.js'))) console.log('  (skipped the CLI comparison: run `npm run build` first)')
else if (!existsSync(AWS_CLI)) console.log(`  (skipped the CLI comparison: no AWS CLI v2 at ${AWS_CLI})`)
else {
  const dir = mkdtempSync(join(tmpdir(), 'apigw-bench-small-'))
  writeFileSync(
    join(dir, 'apigw.yaml'),
    JSON.stringify({apis: {small: {type: 'rest', spec: 'openapi.yaml', stages: {dev: {variables: {v: '1'}}}}}}),
  )
  writeFileSync(join(dir, 'openapi.yaml'), readFileSync(small, 'utf8').replaceAll('{{name}}', 'small'))
  const env = {
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    APIGW_CONTROL_PLANE_RATES: 'off',
  }
  const args = ['deploy', '--stage', 'dev', '--force', '--endpoint-url', emulator.url, '--json']
  await run(process.execPath, [bin, ...args], {cwd: dir, env: {...process.env, ...env}})
  const apigwMs = await timeAsync(process.execPath, [bin, ...args], {runs: 5, cwd: dir, env})
  const apiId = (
    JSON.parse(
      (await run(process.execPath, [bin, 'status', '--endpoint-url', emulator.url, '--json'], {cwd: dir, env: {...process.env, ...env}}))
        .stdout,
    ) as {result: {apiId: string}}
  ).result.apiId
  const cli = (...a: string[]) => [...a, '--endpoint-url', emulator.url, '--region', 'us-east-1', '--no-cli-pager', '--output', 'json']
  const awsEnv = {...env, AWS_PAGER: ''}
  const steps = [
    cli(
      'apigateway',
      'put-rest-api',
      '--rest-api-id',
      apiId,
      '--mode',
      'overwrite',
      '--fail-on-warnings',
      '--body',
      `fileb://${join(dir, 'openapi.yaml')}`,
    ),
    cli('apigateway', 'create-deployment', '--rest-api-id', apiId, '--description', 'bench'),
    cli(
      'apigateway',
      'update-stage',
      '--rest-api-id',
      apiId,
      '--stage-name',
      'dev',
      '--patch-operations',
      'op=replace,path=/variables/v,value=2',
    ),
  ]
  const times: number[] = []
  for (let i = 0; i <= 5; i++) {
    const start = performance.now()
    for (const s of steps) await run(AWS_CLI, s, {env: {...process.env, ...awsEnv}})
    if (i > 0) times.push(performance.now() - start)
  }
  const awsMs = median(times)
  rows.push({name: 'small spec: apigw deploy --force (1 process)', value: fmt(apigwMs)})
  rows.push({name: 'small spec: aws put-rest-api + create-deployment + update-stage', value: fmt(awsMs)})
  const ratio = apigwMs / awsMs
  rows.push({name: 'ratio apigw / AWS CLI', value: `${ratio.toFixed(2)}×`, target: '≤ 0.5×', ok: ratio <= 0.5})
}

printTable('deploy', rows)
clients.destroy()
await emulator.close()
