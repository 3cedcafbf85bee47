/**
 * `apigw ws post` on AWS: the @connections call the emulator cannot refuse as AWS does for a caller without
 * execute-api:ManageConnections, faked with nock: ForbiddenException (403). Also checks the call goes to AWS's stage
 * URL (`https://{apiId}.execute-api.{region}.amazonaws.com/{stage}/@connections/{id}`), SigV4-signed for
 * execute-api. Net connect is off except 127.0.0.1.
 */
import assert from 'node:assert/strict'
import {after, afterEach, before, describe, it} from 'node:test'
import nock from 'nock'
import {createAwsClients} from '../../src/aws/clients.ts'
import type {CliError} from '../../src/errors.ts'
import type {LifecycleDeps} from '../../src/services/lifecycle/find-api.ts'
import {postToConnection, type WsTarget} from '../../src/services/ws/ws.ts'

const STAGE_URL = 'https://abc123defg.execute-api.eu-west-1.amazonaws.com'
const TARGET: WsTarget = {
  api: 'chat',
  apiId: 'abc123defg',
  stage: 'prod',
  region: 'eu-west-1',
  url: 'wss://abc123defg.execute-api.eu-west-1.amazonaws.com/prod',
  local: false,
  connect: {authorizationType: 'NONE'},
}

describe('ws post to AWS (nock)', () => {
  before(() => {
    nock.disableNetConnect()
    nock.enableNetConnect('127.0.0.1')
  })
  afterEach(() => nock.cleanAll())
  after(() => nock.enableNetConnect())

  const deps = () => {
    const aws = createAwsClients({region: 'eu-west-1', credentials: {accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake'}, maxAttempts: 1})
    return {aws} as unknown as LifecycleDeps
  }

  it('posts the data to the stage URL, signed for execute-api', async () => {
    let authorization = ''
    let body = ''
    nock(STAGE_URL)
      .matchHeader('authorization', (value: string | null) => {
        authorization = value ?? ''
        return true
      })
      .post(
        (path) => /^\/prod\/(@|%40)connections\/L0SM9cOFvHcCIhw(=|%3D)$/.test(path),
        (sent) => {
          body = typeof sent === 'string' ? sent : JSON.stringify(sent)
          return true
        },
      )
      .reply(200, '')
    const d = deps()
    try {
      const result = await postToConnection(TARGET, 'L0SM9cOFvHcCIhw=', '{"hello":"there"}', d)
      assert.deepEqual(result, {connectionId: 'L0SM9cOFvHcCIhw=', bytes: 17})
    } finally {
      d.aws.destroy()
    }
    assert.match(authorization, /^AWS4-HMAC-SHA256 Credential=AKIDFAKE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, /)
    assert.equal(body, '{"hello":"there"}')
  })

  it('turns ForbiddenException (no execute-api:ManageConnections) into AWS_ACCESS_DENIED with the resource to allow', async () => {
    // AWS's answer to a caller whose policy lacks ManageConnections (apigatewaymanagementapi-2018-11-29: ForbiddenException 403)
    nock(STAGE_URL)
      .post((path) => /^\/prod\/(@|%40)connections\/L0SM9cOFvHcCIhw(=|%3D)$/.test(path))
      .reply(403, {message: 'Forbidden'}, {'x-amzn-ErrorType': 'ForbiddenException', 'content-type': 'application/json'})
    const d = deps()
    try {
      await assert.rejects(postToConnection(TARGET, 'L0SM9cOFvHcCIhw=', 'x', d), (e: CliError) => {
        assert.equal(e.code, 'AWS_ACCESS_DENIED')
        assert.equal(e.exitCode, 4)
        assert.match(e.message, /ForbiddenException/)
        assert.match(
          e.hint ?? '',
          /execute-api:ManageConnections on arn:aws:execute-api:eu-west-1:\*:abc123defg\/prod\/POST\/@connections\/\*/,
        )
        return true
      })
    } finally {
      d.aws.destroy()
    }
  })
})
