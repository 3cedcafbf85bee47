/**
 * A repository with several APIs: validate, status, plan and diff with no API name run on each of them (a section
 * per API, the exit code of the worst, --json a list), instead of asking which one (API_REQUIRED).
 */
import assert from 'node:assert/strict'
import {before, describe, it} from 'node:test'
import {cliBuilt, runCli} from '../helpers/cli.ts'
import {httpSpec, restSpec, writeProject} from './lifecycle-project.ts'

type Outcome = {api: string; status: number; result?: Record<string, unknown>; error?: {code: string; message: string}; skipped?: string}
type Envelope = {status: number; result?: Outcome[]; error?: {code: string; message: string; hint?: string}}

const config = {
  apis: {
    pets: {type: 'rest', spec: 'pets.json', stages: {dev: {}, prod: {}}},
    web: {type: 'http', spec: 'web.json', stages: {dev: {}}},
  },
}

describe('several APIs and no API name (built CLI, --local)', {
  skip: cliBuilt() ? false : 'the CLI is not built (run `npm run build`)',
}, () => {
  let dir: string
  const apigw = (args: string[], json = true) => runCli([...args, '--local', ...(json ? ['--json'] : [])], {cwd: dir})

  before(async () => {
    dir = writeProject({config, specs: {'pets.json': restSpec('pets'), 'web.json': httpSpec('web')}})
    for (const api of ['pets', 'web']) {
      const r = await apigw(['deploy', api, '--stage', 'dev'])
      assert.equal(r.code, 0, r.stdout + r.stderr)
    }
  })

  it('validate: a section per API, exit 0 when both are valid', async () => {
    const r = await apigw(['validate'], false)
    assert.equal(r.code, 0, r.stderr)
    assert.match(
      r.stdout,
      /^=== pets ===\npets\.json \(pets, REST API, OpenAPI 3\.0\): valid: 0 errors[^\n]*\n\n=== web ===\nweb\.json \(web, HTTP API, OpenAPI 3\.0\): valid: 0 errors/,
    )
    assert.doesNotMatch(r.stderr, /API_REQUIRED/)
  })

  it('validate --json: a list, and the exit code of the worst API', async () => {
    // Given web's spec is broken
    const {writeFileSync, readFileSync} = await import('node:fs')
    const {join} = await import('node:path')
    const good = readFileSync(join(dir, 'web.json'), 'utf8')
    writeFileSync(
      join(dir, 'web.json'),
      JSON.stringify(
        httpSpec('web', {
          '/bad': {get: {responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': {type: 'lambda_magic'}}},
        }),
      ),
    )
    try {
      const r = await apigw(['validate'])
      const doc = JSON.parse(r.stdout) as Envelope
      assert.equal(r.code, 1)
      assert.equal(doc.status, 1)
      assert.equal(doc.error?.code, 'VALIDATION_FAILED')
      assert.match(doc.error?.message ?? '', /^1 of 2 APIs failed: web \(VALIDATION_FAILED\)\.$/)
      assert.deepEqual(
        doc.result?.map((o) => [o.api, o.status]),
        [
          ['pets', 0],
          ['web', 1],
        ],
      )
      assert.equal(doc.result?.[1]?.error?.code, 'VALIDATION_FAILED')
      assert.ok(doc.result?.[1]?.result, 'the findings of web are in its outcome')
    } finally {
      writeFileSync(join(dir, 'web.json'), good)
    }
  })

  it('status: both APIs, each with its stages', async () => {
    const r = await apigw(['status'])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const doc = JSON.parse(r.stdout) as Envelope
    assert.deepEqual(
      doc.result?.map((o) => [o.api, o.status, ((o.result?.stages ?? []) as Array<{name: string}>).map((s) => s.name)]),
      [
        ['pets', 0, ['dev', 'prod']],
        ['web', 0, ['dev']],
      ],
    )
  })

  it('plan --stage prod: planned where the stage exists, skipped where it does not', async () => {
    const r = await apigw(['plan', '--stage', 'prod'])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const doc = JSON.parse(r.stdout) as Envelope
    assert.equal(doc.result?.[0]?.api, 'pets')
    assert.ok(doc.result?.[0]?.result, 'pets has a plan')
    assert.equal(doc.result?.[1]?.api, 'web')
    assert.match(doc.result?.[1]?.skipped ?? '', /no stage "prod"/)
    const human = await apigw(['plan', '--stage', 'prod'], false)
    assert.match(human.stdout, /=== web ===\nSkipped: API "web" has no stage "prod"/)
  })

  it('diff --base stage:dev: each API against its own stage', async () => {
    const r = await apigw(['diff', '--base', 'stage:dev'])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const doc = JSON.parse(r.stdout) as Envelope
    assert.deepEqual(
      doc.result?.map((o) => [o.api, o.status, ((o.result?.findings ?? []) as unknown[]).length]),
      [
        ['pets', 0, 0],
        ['web', 0, 0],
      ],
    )
  })

  it('a file --base still names one API', async () => {
    const r = await apigw(['diff', '--base', 'pets.json'])
    assert.equal(r.code, 2)
    assert.equal((JSON.parse(r.stdout) as Envelope).error?.code, 'API_REQUIRED')
  })
})
