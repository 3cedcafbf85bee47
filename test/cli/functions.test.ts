import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {binPath, runCli} from '../helpers/cli.ts'

const CONFIG = 'apis:\n  pets: {spec: openapi.yaml}\nfunctions:\n  listPets: {handler: src/pets.list}\n  rusty: {command: ./bootstrap}\n'

describe('functions: in apigw.yaml and --lambda-endpoint (built CLI)', () => {
  it('local start reads functions: and --lambda-endpoint, and says so in its ready line', async () => {
    // Given a project with two functions
    const dir = mkdtempSync(join(tmpdir(), 'apigw-fncli-'))
    try {
      writeFileSync(join(dir, 'apigw.yaml'), CONFIG)
      // When the server starts with a Lambda endpoint
      const child = spawn(
        process.execPath,
        [binPath, 'local', 'start', '--port', '0', '--json', '--lambda-endpoint', 'http://127.0.0.1:3001/'],
        {cwd: dir, env: {...process.env, NO_COLOR: '1'}},
      )
      const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
        let out = ''
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d
          const line = out.split('\n').find((l) => l.includes('"ready"'))
          if (line) resolve(JSON.parse(line) as Record<string, unknown>)
        })
        child.on('exit', () => reject(new Error(`exited before ready: ${out}`)))
      })
      // Then its ready line lists them and the endpoint
      assert.deepEqual(ready.functions, ['listPets', 'rusty'])
      assert.equal(ready.lambdaEndpoint, 'http://127.0.0.1:3001')
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
      child.kill('SIGTERM')
      assert.equal(await exited, 0)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('refuses a --lambda-endpoint that is not an http(s) URL with exit 2, and a bad functions: entry with exit 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apigw-fncli-'))
    try {
      writeFileSync(join(dir, 'apigw.yaml'), CONFIG)
      const usage = await runCli(['local', 'start', '--port', '0', '--lambda-endpoint', 'localhost:3001'], {cwd: dir})
      assert.equal(usage.code, 2, usage.stderr)
      assert.match(usage.stderr, /--lambda-endpoint "localhost:3001" is not an http\(s\) URL/)
      assert.match(usage.stderr, /Hint: .*--lambda-endpoint http:\/\/127\.0\.0\.1:3001/)
      writeFileSync(
        join(dir, 'apigw.yaml'),
        'apis:\n  pets: {spec: openapi.yaml}\nfunctions:\n  listPets: {handler: src/pets.list, timeout: 0}\n',
      )
      const invalid = await runCli(['local', 'start', '--port', '0'], {cwd: dir})
      assert.equal(invalid.code, 3, invalid.stderr)
      assert.match(invalid.stderr, /apigw\.yaml:4:\d+: "functions\.listPets\.timeout" must be >= 1/)
      assert.doesNotMatch(invalid.stderr, /\n\s+at /)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
