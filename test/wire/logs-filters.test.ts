/**
 * CloudWatch Logs beyond groups and events, through @aws-sdk/client-cloudwatch-logs and the AWS CLI v2:
 * ListLogGroups, metric filters (and TestMetricFilter on the filter-pattern language), subscription filters,
 * resource policies, and AWS's validation messages for names and lengths.
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {rmSync} from 'node:fs'
import {after, before, describe, it, type TestContext} from 'node:test'
import {promisify} from 'node:util'
import {
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DeleteMetricFilterCommand,
  DeleteResourcePolicyCommand,
  DeleteSubscriptionFilterCommand,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  DescribeResourcePoliciesCommand,
  DescribeSubscriptionFiltersCommand,
  ListLogGroupsCommand,
  PutMetricFilterCommand,
  PutResourcePolicyCommand,
  PutSubscriptionFilterCommand,
  TestMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

const run = promisify(execFile)

async function fails(call: Promise<unknown>, name: string, message: string | RegExp): Promise<void> {
  await assert.rejects(call, (e: Error & {$metadata: {httpStatusCode?: number}}) => {
    assert.equal(e.name, name, e.message)
    assert.equal(e.$metadata.httpStatusCode, 400)
    if (typeof message === 'string') assert.equal(e.message, message)
    else assert.match(e.message, message)
    return true
  })
}

const transformation = {metricName: 'Errors', metricNamespace: 'Apigw/Local', metricValue: '1'}

describe('CloudWatch Logs: ListLogGroups, metric and subscription filters, resource policies', () => {
  let t: TestEmulator
  let home: string
  before(async () => {
    t = await startTestEmulator()
    home = tempDir('apigw-awscli-logfilters-')
    for (const name of ['/apigw/a', '/apigw/b', '/other/c']) await t.logs.send(new CreateLogGroupCommand({logGroupName: name}))
  })
  after(async () => {
    await t.close()
    rmSync(home, {recursive: true, force: true})
  })

  it('ListLogGroups lists summaries by pattern, pages with nextToken', async () => {
    const all = await t.logs.send(new ListLogGroupsCommand({}))
    assert.deepEqual(
      all.logGroups!.map((g) => g.logGroupName),
      ['/apigw/a', '/apigw/b', '/other/c'],
    )
    assert.deepEqual(all.logGroups![0], {
      logGroupName: '/apigw/a',
      logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/apigw/a',
      logGroupClass: 'STANDARD',
    })
    const matching = await t.logs.send(new ListLogGroupsCommand({logGroupNamePattern: 'APIGW'}))
    assert.deepEqual(
      matching.logGroups!.map((g) => g.logGroupName),
      ['/apigw/a', '/apigw/b'],
    )
    const first = await t.logs.send(new ListLogGroupsCommand({limit: 2}))
    assert.equal(first.logGroups!.length, 2)
    const rest = await t.logs.send(new ListLogGroupsCommand({limit: 2, nextToken: first.nextToken!}))
    assert.deepEqual(
      rest.logGroups!.map((g) => g.logGroupName),
      ['/other/c'],
    )
    assert.equal(rest.nextToken, undefined)
  })

  it('metric filters: put, replace, describe by prefix and metric, count on the group, delete', async () => {
    // Given two metric filters on a group (the second put replaces the first of that name)
    await t.logs.send(
      new PutMetricFilterCommand({
        logGroupName: '/apigw/a',
        filterName: 'errors',
        filterPattern: 'ERROR',
        metricTransformations: [transformation],
      }),
    )
    await t.logs.send(
      new PutMetricFilterCommand({
        logGroupName: '/apigw/a',
        filterName: 'errors',
        filterPattern: '{ $.status = 5* }',
        metricTransformations: [{...transformation, unit: 'Count', dimensions: {stage: '$.stage'}}],
      }),
    )
    await t.logs.send(
      new PutMetricFilterCommand({
        logGroupName: '/apigw/a',
        filterName: 'latency',
        filterPattern: '[ip, user, ..., status, size]',
        metricTransformations: [{metricName: 'Size', metricNamespace: 'Apigw/Local', metricValue: '$size', defaultValue: 0}],
      }),
    )
    // Then they are listed by name with AWS's members
    const listed = await t.logs.send(new DescribeMetricFiltersCommand({logGroupName: '/apigw/a'}))
    assert.deepEqual(
      listed.metricFilters!.map((f) => [f.filterName, f.filterPattern]),
      [
        ['errors', '{ $.status = 5* }'],
        ['latency', '[ip, user, ..., status, size]'],
      ],
    )
    const errors = listed.metricFilters![0]!
    assert.equal(errors.logGroupName, '/apigw/a')
    assert.equal(typeof errors.creationTime, 'number')
    assert.deepEqual(errors.metricTransformations, [{...transformation, unit: 'Count', dimensions: {stage: '$.stage'}}])
    const byPrefix = await t.logs.send(new DescribeMetricFiltersCommand({logGroupName: '/apigw/a', filterNamePrefix: 'lat'}))
    assert.deepEqual(
      byPrefix.metricFilters!.map((f) => f.filterName),
      ['latency'],
    )
    const byMetric = await t.logs.send(new DescribeMetricFiltersCommand({metricName: 'Size', metricNamespace: 'Apigw/Local'}))
    assert.deepEqual(
      byMetric.metricFilters!.map((f) => f.filterName),
      ['latency'],
    )
    // And the group counts them
    const groups = await t.logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: '/apigw/a'}))
    assert.equal(groups.logGroups![0]!.metricFilterCount, 2)
    // When one is deleted, Then it is gone; deleting it again is AWS's ResourceNotFoundException
    await t.logs.send(new DeleteMetricFilterCommand({logGroupName: '/apigw/a', filterName: 'latency'}))
    const after = await t.logs.send(new DescribeMetricFiltersCommand({logGroupName: '/apigw/a'}))
    assert.deepEqual(
      after.metricFilters!.map((f) => f.filterName),
      ['errors'],
    )
    await fails(
      t.logs.send(new DeleteMetricFilterCommand({logGroupName: '/apigw/a', filterName: 'latency'})),
      'ResourceNotFoundException',
      'The specified metric filter does not exist.',
    )
  })

  it('metric filters refuse what AWS refuses, in its words', async () => {
    const put = (input: Record<string, unknown>) =>
      t.logs.send(
        new PutMetricFilterCommand({
          logGroupName: '/apigw/b',
          filterName: 'f',
          filterPattern: '',
          metricTransformations: [transformation],
          ...input,
        } as never),
      )
    await fails(put({logGroupName: '/nope'}), 'ResourceNotFoundException', 'The specified log group does not exist.')
    await fails(
      put({filterName: 'a:b'}),
      'InvalidParameterException',
      "1 validation error detected: Value 'a:b' at 'filterName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*",
    )
    await fails(
      put({filterName: 'x'.repeat(513)}),
      'InvalidParameterException',
      /at 'filterName' failed to satisfy constraint: Member must have length less than or equal to 512$/,
    )
    await fails(put({filterPattern: '{ $.a = 1'}), 'InvalidParameterException', "If a filter pattern starts with '{' it must end with '}'")
    await fails(
      put({metricTransformations: [{...transformation, metricName: 'a$b'}]}),
      'InvalidParameterException',
      /at 'metricTransformations.1.member.metricName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\^:\*\$\]\*/,
    )
    await fails(put({metricTransformations: []}), 'InvalidParameterException', /Member must have length greater than or equal to 1/)
    await fails(
      put({metricTransformations: [{...transformation, dimensions: {a: '$.a', b: '$.b', c: '$.c', d: '$.d'}}]}),
      'LimitExceededException',
      'Resource limit exceeded.',
    )
  })

  it('TestMetricFilter answers the matching events with their numbers and the fields a space-delimited pattern binds', async () => {
    const messages = ['127.0.0.1 - frank GET 404 512', '127.0.0.1 - ann GET 200 20', 'not a log line']
    const out = await t.logs.send(
      new TestMetricFilterCommand({filterPattern: '[ip, id, user, verb, status=4*, size]', logEventMessages: messages}),
    )
    assert.deepEqual(out.matches, [
      {
        eventNumber: 1,
        eventMessage: messages[0],
        extractedValues: {$ip: '127.0.0.1', $id: '-', $user: 'frank', $verb: 'GET', $status: '404', $size: '512'},
      },
    ])
    const terms = await t.logs.send(new TestMetricFilterCommand({filterPattern: 'GET', logEventMessages: messages}))
    assert.deepEqual(
      terms.matches!.map((m) => [m.eventNumber, m.extractedValues]),
      [
        [1, {}],
        [2, {}],
      ],
    )
    await fails(
      t.logs.send(new TestMetricFilterCommand({filterPattern: 'x', logEventMessages: []})),
      'InvalidParameterException',
      /logEventMessages/,
    )
  })

  it('subscription filters: stored, listed, at most two per group, deleted; they go with their group', async () => {
    const put = (filterName: string, destinationArn = 'arn:aws:lambda:us-east-1:000000000000:function:ship') =>
      t.logs.send(new PutSubscriptionFilterCommand({logGroupName: '/apigw/b', filterName, filterPattern: '', destinationArn}))
    await put('one')
    await put('two', 'arn:aws:kinesis:us-east-1:000000000000:stream/s')
    await fails(put('three'), 'LimitExceededException', 'Resource limit exceeded.')
    const listed = await t.logs.send(new DescribeSubscriptionFiltersCommand({logGroupName: '/apigw/b'}))
    assert.deepEqual(
      listed.subscriptionFilters!.map((f) => [f.filterName, f.destinationArn, f.distribution]),
      [
        ['one', 'arn:aws:lambda:us-east-1:000000000000:function:ship', 'ByLogStream'],
        ['two', 'arn:aws:kinesis:us-east-1:000000000000:stream/s', 'ByLogStream'],
      ],
    )
    await t.logs.send(new DeleteSubscriptionFilterCommand({logGroupName: '/apigw/b', filterName: 'one'}))
    await fails(
      t.logs.send(new DeleteSubscriptionFilterCommand({logGroupName: '/apigw/b', filterName: 'one'})),
      'ResourceNotFoundException',
      'The specified subscription filter does not exist.',
    )
    // A deleted and re-created group starts without filters
    await t.logs.send(new DeleteLogGroupCommand({logGroupName: '/apigw/b'}))
    await t.logs.send(new CreateLogGroupCommand({logGroupName: '/apigw/b'}))
    const fresh = await t.logs.send(new DescribeSubscriptionFiltersCommand({logGroupName: '/apigw/b'}))
    assert.deepEqual(fresh.subscriptionFilters, [])
  })

  it('resource policies: put, replace, describe, delete', async () => {
    const doc = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{Effect: 'Allow', Principal: {Service: 'apigateway.amazonaws.com'}, Action: 'logs:PutLogEvents', Resource: '*'}],
    })
    const put = await t.logs.send(new PutResourcePolicyCommand({policyName: 'apigw', policyDocument: doc}))
    assert.equal(put.resourcePolicy!.policyName, 'apigw')
    assert.equal(put.resourcePolicy!.policyDocument, doc)
    assert.equal(put.resourcePolicy!.policyScope, 'ACCOUNT')
    assert.equal(typeof put.resourcePolicy!.lastUpdatedTime, 'number')
    const listed = await t.logs.send(new DescribeResourcePoliciesCommand({}))
    assert.deepEqual(
      listed.resourcePolicies!.map((p) => p.policyName),
      ['apigw'],
    )
    await fails(
      t.logs.send(new PutResourcePolicyCommand({policyName: 'bad', policyDocument: '{nope'})),
      'InvalidParameterException',
      /not a valid JSON/,
    )
    await t.logs.send(new DeleteResourcePolicyCommand({policyName: 'apigw'}))
    await fails(
      t.logs.send(new DeleteResourcePolicyCommand({policyName: 'apigw'})),
      'ResourceNotFoundException',
      'Policy with name [apigw] does not exist',
    )
    assert.deepEqual((await t.logs.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies, [])
  })

  it('the AWS CLI puts, tests and describes metric filters and subscription filters', async (ctx: TestContext) => {
    const reason = awsCliSkipReason()
    if (reason) return ctx.skip(reason)
    const aws = async (...args: string[]) =>
      (
        await run(AWS_CLI, ['--endpoint-url', t.url, '--region', 'us-east-1', '--output', 'json', 'logs', ...args], {
          env: awsCliEnv(home),
          timeout: 60_000,
        })
      ).stdout
    await aws(
      'put-metric-filter',
      '--log-group-name',
      '/other/c',
      '--filter-name',
      'cli',
      '--filter-pattern',
      '{ $.status = 500 }',
      '--metric-transformations',
      'metricName=Fails,metricNamespace=Cli,metricValue=1',
    )
    const described = JSON.parse(await aws('describe-metric-filters', '--log-group-name', '/other/c')) as {
      metricFilters: Array<{filterName: string; metricTransformations: unknown[]}>
    }
    assert.deepEqual(described.metricFilters[0]!.filterName, 'cli')
    assert.deepEqual(described.metricFilters[0]!.metricTransformations, [{metricName: 'Fails', metricNamespace: 'Cli', metricValue: '1'}])
    const tested = JSON.parse(
      await aws('test-metric-filter', '--filter-pattern', '{ $.status = 500 }', '--log-event-messages', '{"status":500}', '{"status":200}'),
    ) as {matches: Array<{eventNumber: number}>}
    assert.deepEqual(
      tested.matches.map((m) => m.eventNumber),
      [1],
    )
    // (the CLI 2.9 here predates list-log-groups: the SDK test above covers it)
    await aws(
      'put-subscription-filter',
      '--log-group-name',
      '/other/c',
      '--filter-name',
      'ship',
      '--filter-pattern',
      'ERROR',
      '--destination-arn',
      'arn:aws:lambda:us-east-1:000000000000:function:ship',
    )
    const subs = JSON.parse(await aws('describe-subscription-filters', '--log-group-name', '/other/c')) as {
      subscriptionFilters: Array<{filterName: string; filterPattern: string}>
    }
    assert.deepEqual(
      subs.subscriptionFilters.map((f) => [f.filterName, f.filterPattern]),
      [['ship', 'ERROR']],
    )
  })
})
