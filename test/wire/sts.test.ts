/**
 * STS GetCallerIdentity on the emulator's port, through @aws-sdk/client-sts (awsQuery), the AWS CLI v2 and raw HTTP
 * (a presigned-style GET and the JSON 1.0 form), beside CloudWatch's own awsQuery form on the same port.
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {rmSync} from 'node:fs'
import {after, before, describe, it, type TestContext} from 'node:test'
import {promisify} from 'node:util'
import {AssumeRoleCommand, GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

const run = promisify(execFile)
const signed = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDRAW/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`

describe('STS GetCallerIdentity on the emulator port', () => {
  let t: TestEmulator
  let sts: STSClient
  let home: string
  before(async () => {
    t = await startTestEmulator()
    sts = new STSClient({endpoint: t.url, region: 'eu-west-1', credentials: {accessKeyId: 'AKIDSTS', secretAccessKey: 's'}, maxAttempts: 1})
    home = tempDir('apigw-awscli-sts-')
  })
  after(async () => {
    sts.destroy()
    await t.close()
    rmSync(home, {recursive: true, force: true})
  })

  it('answers the local account and the caller access key through the SDK client', async () => {
    // When the SDK asks who the caller is
    const out = await sts.send(new GetCallerIdentityCommand({}))
    // Then the local account, the access key and an IAM user ARN named after it
    assert.equal(out.$metadata.httpStatusCode, 200)
    assert.equal(out.Account, '000000000000')
    assert.equal(out.UserId, 'AKIDSTS')
    assert.equal(out.Arn, 'arn:aws:iam::000000000000:user/AKIDSTS')
    assert.ok(out.$metadata.requestId)
  })

  it('answers other STS actions 501 naming them', async () => {
    await assert.rejects(
      sts.send(new AssumeRoleCommand({RoleArn: 'arn:aws:iam::000000000000:role/r', RoleSessionName: 's'})),
      (e: Error) => {
        assert.equal(e.name, 'NotImplemented')
        assert.match(e.message, /AssumeRole is not supported by the apigw local emulator/)
        return true
      },
    )
  })

  it('answers the AWS CLI (aws sts get-caller-identity --endpoint-url)', async (ctx: TestContext) => {
    const reason = awsCliSkipReason()
    if (reason) return ctx.skip(reason)
    const {stdout} = await run(AWS_CLI, ['--endpoint-url', t.url, '--output', 'json', 'sts', 'get-caller-identity'], {
      env: awsCliEnv(home),
      timeout: 60_000,
    })
    assert.deepEqual(JSON.parse(stdout), {UserId: 'AKIDTEST', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:user/AKIDTEST'})
  })

  it('tells STS from CloudWatch awsQuery forms: by the scope service and by the Version', async () => {
    // A GET with the query (as a presigned URL carries it)
    const get = await fetch(`${t.url}/?Action=GetCallerIdentity&Version=2011-06-15`, {headers: {authorization: signed('sts')}})
    assert.equal(get.status, 200)
    assert.match(get.headers.get('content-type') ?? '', /text\/xml/)
    assert.match(await get.text(), /<Account>000000000000<\/Account>/)
    // A form POST signed for another service but with STS's Version
    const post = await fetch(`${t.url}/`, {
      method: 'POST',
      headers: {authorization: signed('monitoring'), 'content-type': 'application/x-www-form-urlencoded'},
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    })
    assert.match(await post.text(), /<UserId>AKIDRAW<\/UserId>/)
    // CloudWatch's own form still reaches CloudWatch
    const cw = await fetch(`${t.url}/`, {
      method: 'POST',
      headers: {authorization: signed('monitoring'), 'content-type': 'application/x-www-form-urlencoded'},
      body: 'Action=ListMetrics&Version=2010-08-01',
    })
    assert.equal(cw.status, 200)
    assert.match(await cw.text(), /ListMetricsResponse/)
    // The JSON 1.0 form
    const json = await fetch(`${t.url}/`, {
      method: 'POST',
      headers: {
        authorization: signed('sts'),
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AWSSecurityTokenServiceV20110615.GetCallerIdentity',
      },
      body: '{}',
    })
    assert.deepEqual(await json.json(), {UserId: 'AKIDRAW', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:user/AKIDRAW'})
  })
})
