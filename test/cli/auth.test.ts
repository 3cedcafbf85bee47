/**
 * Access control as a user meets it, through the built CLI in a fresh project: `apigw local start
 * --credentials FILE`, `deploy --local`, a Lambda TOKEN authorizer run from apigw.yaml's `functions:`, tokens of
 * `apigw local token` accepted, expired and tampered with, `apigw invoke --token` and `--sign`, and the usage
 * errors of the new flags. The token never shows in invoke's output.
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {binPath, readyEvent, runCli} from '../helpers/cli.ts'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'apigw-auth-'))
  dirs.push(d)
  return d
}

const POOL_ARN = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Users1'
const mock = (template: string) => ({
  type: 'mock',
  requestTemplates: {'application/json': '{"statusCode": 200}'},
  responses: {default: {statusCode: '200', responseTemplates: {'application/json': template}}},
})
const spec = {
  openapi: '3.0.1',
  info: {title: 'pets', version: '1'},
  components: {
    securitySchemes: {
      lambda: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'custom',
        'x-amazon-apigateway-authorizer': {
          type: 'token',
          authorizerUri:
            'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations',
        },
      },
      users: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'cognito_user_pools',
        'x-amazon-apigateway-authorizer': {type: 'cognito_user_pools', providerARNs: [POOL_ARN]},
      },
    },
  },
  paths: {
    '/lambda': {
      get: {
        security: [{lambda: []}],
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': mock('{"who":"$context.authorizer.principalId","role":"$context.authorizer.role"}'),
      },
    },
    '/me': {
      get: {
        security: [{users: []}],
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': mock('{"email":"$context.authorizer.claims.email"}'),
      },
    },
    '/iam': {
      get: {
        'x-amazon-apigateway-auth': {type: 'AWS_IAM'},
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': mock('{"user":"$context.identity.userArn"}'),
      },
    },
  },
}

const authorizer = `export const handler = async (event) => {
  if (event.authorizationToken !== 'letmein') throw new Error('Unauthorized')
  const arn = event.methodArn.split('/').slice(0, 2).join('/') + '/*'
  return {principalId: 'ana', context: {role: 'admin'},
    policyDocument: {Version: '2012-10-17', Statement: [{Action: 'execute-api:Invoke', Effect: 'Allow', Resource: arn}]}}
}
`

function project(): string {
  const cwd = tempDir()
  mkdirSync(join(cwd, 'src'))
  writeFileSync(
    join(cwd, 'apigw.yaml'),
    [
      'apis:',
      '  pets:',
      '    type: rest',
      '    spec: openapi.json',
      '    stages:',
      '      dev: {}',
      'functions:',
      '  authz:',
      '    handler: src/authz.handler',
      'identity:',
      '  pools:',
      '    users:',
      `      arn: ${POOL_ARN}`,
      '',
    ].join('\n'),
  )
  writeFileSync(join(cwd, 'openapi.json'), JSON.stringify(spec))
  writeFileSync(join(cwd, 'src', 'authz.mjs'), authorizer)
  writeFileSync(join(cwd, 'creds'), '[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\n')
  return cwd
}

const readyEndpoint = async (child: ReturnType<typeof spawn>): Promise<string> => (await readyEvent(child)).endpoint

describe('authorizers, tokens and signatures (built CLI)', () => {
  let cwd: string
  let server: ReturnType<typeof spawn>
  let base: string
  let endpoint: string

  before(async () => {
    cwd = project()
    server = spawn(process.execPath, [binPath, 'local', 'start', '--port', '0', '--credentials', 'creds', '--json'], {
      cwd,
      env: {...process.env, NO_COLOR: '1'},
    })
    endpoint = await readyEndpoint(server)
    const deploy = await runCli(['deploy', '--stage', 'dev', '--local', '--json'], {cwd, timeoutMs: 90_000})
    assert.equal(deploy.code, 0, deploy.stderr)
    const apiId = (JSON.parse(deploy.stdout) as {result: {apiId?: string; results?: Array<{apiId: string}>}}).result
    const id = apiId.apiId ?? apiId.results?.[0]?.apiId
    assert.ok(id, deploy.stdout)
    base = `${endpoint}/_aws/execute-api/${id}/dev`
  })
  after(async () => {
    server.kill('SIGTERM')
    await new Promise((r) => server.on('exit', r))
    for (const d of dirs) rmSync(d, {recursive: true, force: true})
  })

  it('a Lambda TOKEN authorizer of functions: allows with context, and answers 401 to a wrong token', async () => {
    const ok = await fetch(`${base}/lambda`, {headers: {authorization: 'letmein'}})
    assert.equal(ok.status, 200)
    assert.deepEqual(await ok.json(), {who: 'ana', role: 'admin'})
    assert.equal((await fetch(`${base}/lambda`, {headers: {authorization: 'nope'}})).status, 401)
  })

  it('local token --pool NAME mints a token the stage accepts; expired and tampered ones are refused', async () => {
    const minted = await runCli(['local', 'token', '--pool', 'users', '--claim', 'email=ana@example.com'], {cwd})
    assert.equal(minted.code, 0, minted.stderr)
    const token = minted.stdout.trim()
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'stdout is the token alone')
    const ok = await fetch(`${base}/me`, {headers: {authorization: token}})
    assert.deepEqual(await ok.json(), {email: 'ana@example.com'})
    const expired = (await runCli(['local', 'token', '--pool', 'users', '--expires', '0'], {cwd})).stdout.trim()
    const late = await fetch(`${base}/me`, {headers: {authorization: expired}})
    assert.equal(late.status, 401)
    assert.deepEqual(await late.json(), {message: 'The incoming token has expired'})
    const [h, p, s] = token.split('.')
    const mid = Math.floor(s!.length / 2)
    const tampered = `${h}.${p}.${s!.slice(0, mid)}${s![mid] === 'A' ? 'B' : 'A'}${s!.slice(mid + 1)}`
    assert.equal((await fetch(`${base}/me`, {headers: {authorization: tampered}})).status, 401)
  })

  it('invoke --token sends the token without printing it; invoke --sign signs with the resolved credentials', async () => {
    const token = (await runCli(['local', 'token', '--pool', 'users', '--claim', 'email=b@example.com'], {cwd})).stdout.trim()
    const called = await runCli(['invoke', '--stage', 'dev', 'GET', '/me', '--local', '--token', token], {cwd})
    assert.equal(called.code, 0, called.stderr)
    assert.match(called.stdout, /^HTTP 200$/m)
    assert.match(called.stdout, /b@example\.com/)
    assert.ok(!called.stdout.includes(token) && !called.stderr.includes(token), 'the token is never printed')
    const signed = await runCli(['invoke', '--stage', 'dev', 'GET', '/iam', '--local', '--sign', '--json'], {
      cwd,
      env: {AWS_ACCESS_KEY_ID: 'AKIDDEV', AWS_SECRET_ACCESS_KEY: 'devsecret'},
    })
    assert.equal(signed.code, 0, signed.stderr)
    const result = (JSON.parse(signed.stdout) as {result: {status: number; body: string}}).result
    assert.equal(result.status, 200)
    assert.deepEqual(JSON.parse(result.body), {user: 'arn:aws:iam::000000000000:user/dev'})
    assert.ok(!signed.stdout.includes('devsecret'))
    // The default test/test pair is not among the --credentials file's keys.
    const unknown = await runCli(['invoke', '--stage', 'dev', 'GET', '/iam', '--local', '--sign'], {
      cwd,
      env: {AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: ''},
    })
    assert.match(unknown.stdout, /^HTTP 403$/m)
    // --profile: that profile's keys (here the same file the server was given).
    const profile = await runCli(['invoke', '--stage', 'dev', 'GET', '/iam', '--local', '--sign', '--profile', 'dev'], {
      cwd,
      env: {AWS_SHARED_CREDENTIALS_FILE: join(cwd, 'creds'), AWS_CONFIG_FILE: join(cwd, 'no-config')},
    })
    assert.equal(profile.code, 0, profile.stderr)
    assert.match(profile.stdout, /^HTTP 200$/m)
    assert.match(profile.stdout, /user\/dev/)
    // Against an endpoint (as against AWS): the SDK's credential chain signs.
    const chain = await runCli(['invoke', '--stage', 'dev', 'GET', '/iam', '--endpoint-url', endpoint, '--sign'], {
      cwd,
      env: {AWS_ACCESS_KEY_ID: 'AKIDDEV', AWS_SECRET_ACCESS_KEY: 'devsecret', AWS_REGION: 'eu-west-1'},
    })
    assert.equal(chain.code, 0, chain.stderr)
    assert.match(chain.stdout, /^HTTP 200$/m)
  })

  it('local token --issuer names the running server in iss', async () => {
    const minted = await runCli(['local', 'token', '--issuer', 'main', '--scope', 'read', '--json'], {cwd})
    assert.equal(minted.code, 0, minted.stderr)
    const result = (JSON.parse(minted.stdout) as {result: {issuer: string; token: string}}).result
    assert.equal(result.issuer, `${endpoint}/_aws/identity/issuers/main`)
  })

  it('usage errors: neither --pool nor --issuer, a bad --expires, --sign with --token, a missing --credentials file', async () => {
    const neither = await runCli(['local', 'token'], {cwd})
    assert.equal(neither.code, 2)
    assert.match(neither.stderr, /--pool NAME or --issuer NAME/)
    const badExpiry = await runCli(['local', 'token', '--pool', 'users', '--expires', 'soon'], {cwd})
    assert.equal(badExpiry.code, 2)
    const both = await runCli(['invoke', '--stage', 'dev', 'GET', '/iam', '--local', '--sign', '--token', 'x'], {cwd})
    assert.equal(both.code, 2)
    const other = tempDir()
    const missing = await runCli(['local', 'start', '--port', '0', '--credentials', 'nope.ini', '--json'], {cwd: other})
    assert.equal(missing.code, 3)
    assert.equal((JSON.parse(missing.stdout.trim().split('\n').at(-1)!) as {error: {code: string}}).error.code, 'CREDENTIALS_FILE_INVALID')
    const noServer = await runCli(['local', 'token', '--issuer', 'main'], {cwd: other})
    assert.equal(noServer.code, 5)
    assert.match(noServer.stderr, /apigw local start/)
  })
})
