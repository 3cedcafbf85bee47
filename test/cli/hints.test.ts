// Hints that work when followed (issue 14 point 5), through the built CLI in fresh projects with a scrubbed
// environment (HOME an empty directory, no AWS_* variables): a hint naming another apigw command carries the target
// flags in use (--local, --endpoint-url, --region, --config); it names only stages apigw.yaml declares; no
// credentials and no region say so, with the ways to set them. Nothing reaches AWS: calls go to the emulator or to a
// loopback port that refuses connections.
import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {startTestEmulator, TEST_CREDENTIALS, type TestEmulator} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

const skip = cliBuilt() ? false : 'the CLI is not built (run `npm run build`)'

type Failure = {status: number; error: {code: string; message: string; hint?: string}}

/** A loopback port nothing listens on (connections are refused). */
async function refusingPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as {port: number}).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('hints carry the target flags and name what exists', {skip}, () => {
  let root: string
  let project: string
  let home: string
  let emulator: TestEmulator
  let refused: string
  const env = () => ({HOME: home})
  const awsEnv = () => ({
    HOME: home,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  })
  const run = (args: string[], options: {cwd?: string; env?: Record<string, string>} = {}) =>
    runCli(args, {cwd: options.cwd ?? project, env: options.env ?? env(), timeoutMs: 120_000})
  const failure = (stdout: string): Failure => JSON.parse(stdout) as Failure

  before(async () => {
    root = tempDir('apigw-hints-')
    home = join(root, 'home')
    project = join(root, 'p')
    const {mkdirSync} = await import('node:fs')
    mkdirSync(home)
    const init = await runCli(
      ['init', project, '--name', 'petstore', '--type', 'rest', '--template', 'rest-mock', '--stages', 'dev,prod', '--yes'],
      {cwd: root, env: env()},
    )
    assert.equal(init.code, 0, init.stderr)
    const deployed = await run(['deploy', 'petstore', '--stage', 'dev', '--local'])
    assert.equal(deployed.code, 0, deployed.stderr)
    emulator = await startTestEmulator()
    refused = `http://127.0.0.1:${await refusingPort()}`
  })
  after(async () => {
    await emulator?.close()
  })

  it('a --local command hints with --local (JSON and human output)', async () => {
    // Given dev deployed on the emulator and prod declared but never deployed
    // When a --local command needs prod
    const json = await run(['export', 'spec', 'petstore', '--stage', 'prod', '--local', '--json'])
    // Then its hint deploys prod on the emulator, not on AWS
    assert.equal(json.code, 4, json.stderr)
    assert.match(failure(json.stdout).error.hint ?? '', /`apigw deploy petstore --stage prod --local`/)
    const human = await run(['logs', 'petstore', '--stage', 'dev', '--local'])
    assert.equal(human.code, 3, human.stderr)
    assert.match(human.stderr, /Hint: Turn it on in apigw.yaml, then run `apigw deploy petstore --stage dev --local`/)
  })

  it('--config travels too, so the hint works from the same directory', async () => {
    // Given the command is run from outside the project with --config
    const r = await run(['export', 'spec', 'petstore', '--stage', 'prod', '--local', '--config', 'p/apigw.yaml', '--json'], {cwd: root})
    // Then the hint names the same config
    assert.equal(r.code, 4, r.stderr)
    assert.match(failure(r.stdout).error.hint ?? '', /`apigw deploy petstore --stage prod --local --config p\/apigw.yaml`/)
  })

  it('a stage apigw.yaml does not declare is said to be undeclared, with the declared ones; no deploy is suggested', async () => {
    // When a command names a stage that is neither deployed nor declared
    const r = await run(['export', 'spec', 'petstore', '--stage', 'qa', '--local', '--json'])
    // Then the hint says so and lists dev and prod, and never suggests deploying qa as it stands
    assert.equal(r.code, 4, r.stderr)
    const hint = failure(r.stdout).error.hint ?? ''
    assert.match(hint, /Stage qa is not declared for petstore in apigw.yaml \(declared: dev, prod\)/)
    assert.doesNotMatch(hint, /Deploy it first/)
    // And a near miss gets a did-you-mean
    const typo = await run(['export', 'spec', 'petstore', '--stage', 'prd', '--local', '--json'])
    assert.match(failure(typo.stdout).error.hint ?? '', /did you mean "prod"\?/)
  })

  it('--endpoint-url and --region travel in hints of commands aimed at an endpoint', async () => {
    // Given the API deployed to an endpoint (the emulator standing in for AWS)
    const target = ['--endpoint-url', emulator.url, '--region', 'eu-west-1']
    const deployed = await run(['deploy', 'petstore', '--stage', 'dev', ...target], {env: awsEnv()})
    assert.equal(deployed.code, 0, deployed.stderr)
    // When a command on that endpoint needs an undeployed stage
    const r = await run(['export', 'spec', 'petstore', '--stage', 'prod', ...target, '--json'], {env: awsEnv()})
    // Then the hint's deploy goes to the same endpoint and Region
    assert.equal(r.code, 4, r.stderr)
    assert.ok(
      (failure(r.stdout).error.hint ?? '').includes(
        `\`apigw deploy petstore --stage prod --endpoint-url ${emulator.url} --region eu-west-1\``,
      ),
      failure(r.stdout).error.hint,
    )
  })

  it('no credentials anywhere: "no AWS credentials found" and the ways to set them, exit 4', async () => {
    // Given no AWS_* variables and an empty HOME (no ~/.aws)
    const r = await run(['status', 'petstore', '--region', 'us-east-1', '--endpoint-url', refused, '--json'])
    // Then the error says none were found (not that AWS refused them) and how to set them
    assert.equal(r.code, 4, r.stderr)
    const {error} = failure(r.stdout)
    assert.equal(error.code, 'AWS_CREDENTIALS')
    assert.match(error.message, /no AWS credentials found/)
    assert.doesNotMatch(error.message, /refused/)
    for (const way of ['aws configure', 'aws sso login', '--profile', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', '--local'])
      assert.ok(error.hint?.includes(way), `${way} in ${error.hint}`)
    // And the human form says the same on stderr
    const human = await run(['status', 'petstore', '--region', 'us-east-1', '--endpoint-url', refused])
    assert.match(human.stderr, /no AWS credentials found/)
  })

  it('no Region: the error names --region, AWS_REGION and the profile, exit 4', async () => {
    // Given credentials but no Region from any source
    const r = await run(['status', 'petstore', '--endpoint-url', refused, '--json'], {env: awsEnv()})
    // Then AWS_NO_REGION with every way to set one
    assert.equal(r.code, 4, r.stderr)
    const {error} = failure(r.stdout)
    assert.equal(error.code, 'AWS_NO_REGION')
    assert.match(error.message, /no AWS Region is set/)
    for (const way of ['--region', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'aws configure set region'])
      assert.ok(error.hint?.includes(way), `${way} in ${error.hint}`)
  })
})
