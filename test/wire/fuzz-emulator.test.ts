// Property-based fuzzing (issue 19 point 8), bounded in runs and time: the CloudWatch filter-pattern parser and the
// emulator's request parsing over real HTTP. Malformed input gets a 4xx in AWS's error shape (or a 501 naming a
// known operation), never a 500 InternalFailure, never a hang, and memory stays bounded.
import assert from 'node:assert/strict'
import {request} from 'node:http'
import {after, before, describe, it} from 'node:test'
import fc from 'fast-check'
import {compileFilterPattern, FilterPatternError} from '../../src/local/control-plane/logs/filter-pattern.ts'
import {SIGNED, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

/** Reproducible by default; FUZZ_SEED=<n> replays another run. */
const seed = Number(process.env.FUZZ_SEED ?? 20260105)

describe('fuzz: CloudWatch filter-pattern parser', () => {
  // Pieces of the three pattern languages, so generated patterns reach deep into the parser, not just its first check.
  const piece = fc.constantFrom(
    '{',
    '}',
    '[',
    ']',
    '(',
    ')',
    '$.',
    '$.a',
    '$.a[0]',
    '$.b.c',
    ' = ',
    ' != ',
    ' < ',
    ' >= ',
    ' && ',
    ' || ',
    ' IS NULL',
    ' NOT EXISTS',
    ' IS TRUE',
    '"',
    '"a b"',
    '%',
    '%(a|a)*$%',
    '%[%',
    '%\\%',
    '*',
    '5*',
    '500',
    '-1.5e3',
    '...',
    ',',
    ' ',
    '?',
    '-',
    'ERROR',
    'x=',
    '“',
    '\u0000',
  )
  const pattern = fc.oneof(
    fc.string({maxLength: 40}),
    fc.array(piece, {maxLength: 16}).map((parts) => parts.join('')),
  )
  const message = fc.oneof(
    fc.string({maxLength: 200}),
    fc.json({maxDepth: 3}),
    fc.array(fc.oneof(fc.constant('a'.repeat(30)), fc.string({maxLength: 10})), {maxLength: 8}).map((w) => w.join(' ')),
  )

  it('compiles any text to a matcher or refuses it with FilterPatternError, and every matcher answers a boolean fast', () => {
    fc.assert(
      fc.property(pattern, fc.array(message, {maxLength: 5}), (text, messages) => {
        let matcher: ((m: string) => boolean) | undefined
        try {
          matcher = compileFilterPattern(text)
        } catch (error) {
          assert.ok(error instanceof FilterPatternError, `${JSON.stringify(text)} threw ${(error as Error).stack}`)
          assert.ok(error.message.length > 0)
          return
        }
        for (const m of messages) {
          const started = performance.now()
          assert.equal(typeof matcher(m), 'boolean')
          assert.ok(performance.now() - started < 1000, `${JSON.stringify(text)} on ${JSON.stringify(m)} took too long`)
        }
      }),
      {seed, numRuns: 3000, interruptAfterTimeLimit: 30_000},
    )
  })
})

type Answer = {status: number; headers: Record<string, string | string[] | undefined>; body: string}

function send(url: string, method: string, path: string, headers: Record<string, string>, body: Buffer | undefined): Promise<Answer> {
  const {port} = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request({host: '127.0.0.1', port: Number(port), method, path, headers, timeout: 15_000}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')}))
    })
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} in 15 s`)))
    req.on('error', reject)
    req.end(body)
  })
}

describe('fuzz: the emulator parses any request without a 500 or a hang', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  // Path segments that reach real routes, mixed with hostile ones (bad escapes, traversal, long and odd text).
  const segment = fc.oneof(
    fc.constantFrom(
      'restapis',
      'apikeys',
      'usageplans',
      'keys',
      'usage',
      'stages',
      'deployments',
      'resources',
      'methods',
      'GET',
      'ANY',
      'integration',
    ),
    fc.constantFrom(
      'v2',
      'apis',
      'routes',
      'integrations',
      'authorizers',
      'exports',
      'OAS30',
      'tags',
      'account',
      'sdks',
      'javascript',
      'domainnames',
    ),
    fc.constantFrom(
      '%zz',
      '%',
      '%E0%A4%A',
      '..',
      '.',
      '~',
      '%2F',
      '%00',
      'a'.repeat(300),
      'arn:aws:apigateway:us-east-1::%2Frestapis%2Fx',
      '{id}',
      '',
    ),
    fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,12}$/),
  )
  const query = fc.oneof(
    fc.constant(''),
    fc.constantFrom(
      '?limit=-1',
      '?limit=abc',
      '?limit=99999999999999999999',
      '?position=%zz',
      '?position=AAAA',
      '?mode=import',
      '?mode=overwrite&failonwarnings=true',
    ),
    fc.constantFrom(
      '?format=csv',
      '?includeValues=true&nameQuery=%00',
      '?extensions=postman',
      '?outputType=YAML',
      '?basepath=split',
      '?X-Amz-Algorithm=AWS4-HMAC-SHA256',
    ),
    fc.stringMatching(/^\?[A-Za-z0-9=&%._-]{0,30}$/),
  )
  const path = fc.tuple(fc.array(segment, {minLength: 0, maxLength: 7}), query).map(([segments, q]) => `/${segments.join('/')}${q}`)
  const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND')
  const target = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      'Logs_20140328.CreateLogGroup',
      'Logs_20140328.PutLogEvents',
      'Logs_20140328.FilterLogEvents',
      'Logs_20140328.DescribeLogGroups',
    ),
    fc.constantFrom(
      'Logs_20140328.GetLogEvents',
      'Logs_20140328.StartLiveTail',
      'Logs_20140328.',
      'Logs_20140328.__proto__',
      'DynamoDB_20120810.ListTables',
    ),
    fc.string({maxLength: 20}).filter((s) => /^[\x21-\x7e]*$/.test(s)),
  )
  const contentType = fc.constantFrom(
    undefined,
    'application/json',
    'application/x-amz-json-1.1',
    'text/plain',
    'text/csv',
    'application/octet-stream',
    'multipart/form-data; boundary=x',
  )
  const jsonish = fc.oneof(
    fc.json({maxDepth: 4}),
    fc.jsonValue({maxDepth: 3}).map((v) => JSON.stringify({name: v, patchOperations: v, logGroupName: v, body: v, filterPattern: v})),
    fc
      .record({
        name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        patchOperations: fc.array(
          fc.record({
            op: fc.constantFrom('add', 'remove', 'replace', 'copy', 'move', 'test', 'x'),
            path: fc.string(),
            value: fc.jsonValue(),
          }),
          {maxLength: 4},
        ),
      })
      .map((o) => JSON.stringify(o)),
  )
  const body = fc.oneof(
    fc.constant(undefined),
    jsonish.map((s) => Buffer.from(s)),
    fc.string({maxLength: 300}).map((s) => Buffer.from(s)),
    fc.uint8Array({maxLength: 300}).map((a) => Buffer.from(a)),
    fc.constantFrom('{"name": ', '[1]', 'null', '"x"', '{"__proto__": {"x": 1}}', 'Name,Key\n"a,b\n').map((s) => Buffer.from(s)),
  )

  it('answers every generated request with a status below 500, or 501 naming an operation, in AWS error shape', async () => {
    const heapBefore = process.memoryUsage().heapUsed
    await fc.assert(
      fc.asyncProperty(method, path, target, contentType, body, async (m, p, tgt, ct, b) => {
        const headers: Record<string, string> = {...SIGNED}
        if (tgt !== undefined) headers['x-amz-target'] = tgt
        if (ct !== undefined) headers['content-type'] = ct
        const payload = m === 'GET' || m === 'HEAD' || m === 'TRACE' ? undefined : b
        if (payload) headers['content-length'] = String(payload.length)
        const answer = await send(t.url, m, p, headers, payload)
        const where = `${m} ${p} target=${tgt} type=${ct} body=${b?.toString('utf8').slice(0, 80)}`
        assert.ok(answer.status < 500 || answer.status === 501, `${where} → ${answer.status} ${answer.body.slice(0, 300)}`)
        if (answer.status >= 400 && m !== 'HEAD') {
          assert.ok(answer.headers['x-amzn-errortype'], `${where} → ${answer.status} without x-amzn-ErrorType`)
          const parsed = JSON.parse(answer.body) as {message?: unknown}
          assert.equal(typeof parsed.message, 'string', `${where} → ${answer.body}`)
        }
      }),
      {seed, numRuns: 600, interruptAfterTimeLimit: 60_000},
    )
    // Then the server still answers, and the fuzzing did not leave memory behind it
    assert.equal((await send(t.url, 'GET', '/_apigw/health', {}, undefined)).status, 200)
    assert.equal((await send(t.url, 'GET', '/restapis', {...SIGNED}, undefined)).status, 200)
    const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024
    assert.ok(grownMb < 256, `heap grew ${Math.round(grownMb)} MB`)
  })
})
