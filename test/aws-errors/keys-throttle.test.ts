/**
 * AWS failures the emulator cannot produce, faked with nock: TooManyRequestsException (429) while attaching a
 * key to a usage plan (CreateUsagePlanKey), and LimitExceededException for the 10,000-keys quota on
 * CreateApiKey. Net connect is off except 127.0.0.1.
 */
import assert from 'node:assert/strict'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, afterEach, before, describe, it} from 'node:test'
import nock from 'nock'
import {createApiKeysPort} from '../../src/aws/api-keys.ts'
import {createAwsClients} from '../../src/aws/clients.ts'
import {createScheduler} from '../../src/aws/scheduler.ts'
import {silentProgress} from '../../src/deps.ts'
import type {CliError} from '../../src/errors.ts'
import {createKey} from '../../src/services/keys/create.ts'
import type {KeysDeps} from '../../src/services/keys/common.ts'
import {CONFIG} from '../wire/keys-setup.ts'
import {tempDir} from '../helpers/temp.ts'

const AWS = 'https://apigateway.us-east-1.amazonaws.com'
const SECRET = 'S3cretValueThatMustNeverBePrinted0001'
const PLAN = {
  id: 'plan111',
  name: 'pets-basic',
  apiStages: [{apiId: 'api1111111', stage: 'dev'}],
  tags: {'apigw:api': 'pets', 'apigw:usage-plan': 'basic'},
}
const awsError = (status: number, type: string, message: string) =>
  [status, {message}, {'x-amzn-ErrorType': type, 'content-type': 'application/json'}] as const

describe('keys: AWS failures (nock)', () => {
  let dir: string
  before(() => {
    nock.disableNetConnect()
    nock.enableNetConnect('127.0.0.1')
    dir = tempDir('apigw-keys-nock-')
    writeFileSync(join(dir, 'apigw.yaml'), CONFIG)
  })
  afterEach(() => nock.cleanAll())
  after(() => {
    nock.enableNetConnect()
    rmSync(dir, {recursive: true, force: true})
  })

  const setup = () => {
    const aws = createAwsClients({
      endpoint: AWS,
      region: 'us-east-1',
      credentials: {accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake'},
      maxAttempts: 1,
    })
    const scheduler = createScheduler({rates: false, sleep: async () => {}, random: () => 0, maxAttempts: 4})
    const deps: KeysDeps = {
      aws,
      clock: () => new Date('2026-03-01T00:00:00Z'),
      progress: silentProgress,
      interactive: false,
      cwd: dir,
      keysPort: createApiKeysPort(aws, scheduler),
    }
    return {aws, scheduler, deps}
  }
  const reads = () =>
    nock(AWS)
      .get('/apikeys')
      .query(true)
      .reply(200, {item: []})
      .get('/usageplans')
      .query(true)
      .reply(200, {item: [PLAN]})
      .get(`/usageplans/${PLAN.id}/keys`)
      .query(true)
      .reply(200, {item: []})
      .post('/apikeys')
      .reply(201, {
        id: 'key1111111',
        value: SECRET,
        name: 'ci/g1',
        enabled: true,
        tags: {'apigw:key': 'ci', 'apigw:generation': '1', 'apigw:create-pending': 'true'},
      })

  it('retries CreateUsagePlanKey through TooManyRequestsException and finishes the key', async () => {
    // Given AWS throttles the attach twice, then accepts it
    const {aws, scheduler, deps} = setup()
    const scope = reads()
      .post(`/usageplans/${PLAN.id}/keys`)
      .times(2)
      .reply(...awsError(429, 'TooManyRequestsException', 'Too Many Requests'))
      .post(`/usageplans/${PLAN.id}/keys`, {keyId: 'key1111111', keyType: 'API_KEY'})
      .reply(201, {id: 'key1111111', type: 'API_KEY', name: 'ci/g1'})
      .delete(/\/tags\/.*/)
      .query(true)
      .reply(204)
    try {
      // When creating the key
      const r = await createKey({cwd: dir, name: 'ci', plans: ['basic']}, deps)
      // Then it is in the plan after two retries, and every faked call was made
      assert.deepEqual(r.planIds, [PLAN.id])
      assert.equal(scheduler.stats.retries, 2)
      assert.ok(scope.isDone(), `pending: ${scope.pendingMocks().join(', ')}`)
    } finally {
      aws.destroy()
    }
  })

  it('gives up on a throttled attach with AWS_THROTTLED, a hint to rerun, and no key value in the error', async () => {
    // Given AWS throttles every attach
    const {aws, deps} = setup()
    reads()
      .post(`/usageplans/${PLAN.id}/keys`)
      .times(4)
      .reply(...awsError(429, 'TooManyRequestsException', 'Too Many Requests'))
    try {
      // When creating the key; Then AWS_THROTTLED (exit 4) naming the call, with a hint, and never the value
      await assert.rejects(createKey({cwd: dir, name: 'ci', plans: ['basic']}, deps), (e: CliError) => {
        assert.equal(e.code, 'AWS_THROTTLED')
        assert.equal(e.exitCode, 4)
        assert.match(e.message, /CreateUsagePlanKey/)
        assert.match(e.hint ?? '', /run the command again/)
        assert.ok(!JSON.stringify({m: e.message, h: e.hint, d: e.details}).includes(SECRET))
        return true
      })
    } finally {
      aws.destroy()
    }
  })

  it('does not retry the 10,000-keys quota: AWS_LIMIT_EXCEEDED with a hint', async () => {
    // Given CreateApiKey answers the account quota (LimitExceededException)
    const {aws, scheduler, deps} = setup()
    nock(AWS)
      .get('/apikeys')
      .query(true)
      .reply(200, {item: []})
      .get('/usageplans')
      .query(true)
      .reply(200, {item: [PLAN]})
      .get(`/usageplans/${PLAN.id}/keys`)
      .query(true)
      .reply(200, {item: []})
      .post('/apikeys')
      .once()
      .reply(
        ...awsError(
          429,
          'LimitExceededException',
          'Cannot create more API keys: the limit of 10000 API keys per account and Region is reached.',
        ),
      )
    try {
      await assert.rejects(createKey({cwd: dir, name: 'ci', plans: ['basic']}, deps), (e: CliError) => {
        assert.equal(e.code, 'AWS_LIMIT_EXCEEDED')
        assert.match(e.message, /10,000 API keys/)
        assert.match(e.hint ?? '', /keys retire --now --delete/)
        return true
      })
      assert.equal(scheduler.stats.retries, 0)
    } finally {
      aws.destroy()
    }
  })
})
