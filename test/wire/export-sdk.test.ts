// `apigw export sdk` against the emulator: the TypeScript client (openapi-typescript types + fetch client)
// compiled with the project's tsc and exercised; the emulator's GetSdk javascript client, as a zip or
// unpacked; existing files kept unless --force; the errors (HTTP API, missing properties, 501); and the
// unsafe-zip refusals (zip-slip entry, symlink entry, a link in the output directory).
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage} from 'node:http'
import {createRequire} from 'node:module'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {after, before, describe, it} from 'node:test'
import {unzipSync, zipSync} from 'fflate'
import {createExportPort} from '../../src/aws/export.ts'
import {restApiRoutes} from '../../src/local/control-plane/v1/index.ts'
import {getSdk} from '../../src/local/control-plane/v1/sdk.ts'
import {exportSdk} from '../../src/services/export/sdk.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {deployHttp, deployRest, petsHttpSpec, petsRestSpec, repoRoot, runApigw, writeProject} from './export-logs-support.ts'
import {emulatorDeps} from './lifecycle-project.ts'
import {tempDir} from '../helpers/temp.ts'

const exec = promisify(execFile)
let emu: TestEmulator
let cwd: string
let restId: string
let stub: ReturnType<typeof createServer>
let stubUrl: string
const stubSeen: Array<{method: string; url: string; apiKey: string | undefined}> = []

// GetSdk must be wired into the v1 routes (the emulator answers javascript through it).
const sdkRoute = restApiRoutes.find((r) => r.operation === 'GetSdk')
if (sdkRoute?.handler !== getSdk) throw new Error('GetSdk is not wired to src/local/control-plane/v1/sdk.ts')

/** A server answering the shapes of petsRestSpec under /dev. */
function startStub(): Promise<void> {
  stub = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      stubSeen.push({method: req.method ?? '', url: req.url ?? '', apiKey: req.headers['x-api-key'] as string | undefined})
      const url = new URL(req.url ?? '/', 'http://x')
      const json = (status: number, v: unknown) => res.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(v))
      if (req.method === 'GET' && url.pathname === '/dev/pets')
        return json(
          200,
          [
            {id: 1, name: 'a'},
            {id: 2, name: 'b'},
            {id: 3, name: 'c'},
          ].slice(0, Number(url.searchParams.get('limit') ?? 10)),
        )
      if (req.method === 'POST' && url.pathname === '/dev/pets') return json(200, {id: 4, ...JSON.parse(body)})
      if (req.method === 'GET' && url.pathname === '/dev/pets/7') return json(200, {id: 7, name: 'seven'})
      return json(404, {message: 'Not Found'})
    })
  })
  return new Promise((r) =>
    stub.listen(0, '127.0.0.1', () => {
      stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/dev`
      r()
    }),
  )
}

before(async () => {
  emu = await startTestEmulator()
  restId = await deployRest(emu, petsRestSpec('pets'), 'dev')
  await deployHttp(emu, petsHttpSpec('hp'), 'dev')
  cwd = writeProject({pets: {type: 'rest', stages: ['dev']}, hp: {type: 'http', stages: ['dev']}})
  await startStub()
})

after(async () => {
  stub.close()
  await emu.close()
})

const run = (args: string[]) => runApigw('export sdk', args, {cwd, endpoint: emu.url, timeoutMs: 180_000})

const USE_TS = `
import {ApiError, createClient} from './client/index.js'
import type {components} from './client/index.js'
declare const process: {argv: string[]}

const api = createClient({baseUrl: process.argv[2]!, apiKey: 'k-1'})
const list = await api.listPets({query: {limit: '2'}})
const first: components['schemas']['Pet'] | undefined = list.data[0]
const created = await api.createPet({body: {name: 'Rex', tag: 'dog'}})
const name: string = created.data.name
const one = await api.getPet({path: {petId: '7'}})
let status: number | null = null
try {
  await api.getPet({path: {petId: 'missing'}})
} catch (error) {
  if (error instanceof ApiError) status = error.status
}
console.log(JSON.stringify({ids: list.data.map((p) => p.id), first: first?.name, name, one: one.data, status}))

// Never called: each line must be a type error, or tsc fails on the unused @ts-expect-error.
export function typeChecks(): void {
  // @ts-expect-error petId is required
  void api.getPet({})
  // @ts-expect-error the body needs a name
  void api.createPet({body: {tag: 'x'}})
  // @ts-expect-error limit is a string in the spec
  void api.listPets({query: {limit: 2}})
  // @ts-expect-error id is a number
  const wrong: string = list.data[0]!.id
  void wrong
}
`

describe('apigw export sdk --language typescript', () => {
  it('REST: generates types and a client that tsc compiles, with spec types enforced, and that works', async () => {
    // Given a project directory for a consumer
    const app = tempDir('apigw-tsapp-')
    // When the SDK is generated into it
    const r = await runApigw('export sdk', ['pets', '--stage', 'dev', '--language', 'typescript', '--output', join(app, 'client')], {
      cwd,
      endpoint: emu.url,
      timeoutMs: 60_000,
    })
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(
      ['client.ts', 'index.ts', 'types.ts'].map((f) => existsSync(join(app, 'client', f))),
      [true, true, true],
    )
    assert.match(readFileSync(join(app, 'client/types.ts'), 'utf8'), /export interface paths/)
    assert.match(
      readFileSync(join(app, 'client/client.ts'), 'utf8'),
      new RegExp(`DEFAULT_BASE_URL = "https://${restId}\\.execute-api\\.us-east-1\\.amazonaws\\.com/dev"`),
    )
    // And a consumer using it is compiled with the project's tsc
    writeFileSync(join(app, 'use.ts'), USE_TS)
    writeFileSync(join(app, 'package.json'), '{"type":"module"}')
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noUncheckedIndexedAccess: true,
          lib: ['es2022', 'dom'],
          types: [],
          outDir: 'dist',
          rootDir: '.',
          skipLibCheck: true,
        },
        include: ['use.ts', 'client/*.ts'],
      }),
    )
    const tsc = await exec(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', join(app, 'tsconfig.json')], {
      cwd: app,
    }).catch((e: {stdout: string}) => assert.fail(`tsc failed:\n${e.stdout}`))
    assert.equal(tsc.stdout, '')
    // Then the compiled client calls the API's shapes
    const out = await exec(process.execPath, [join(app, 'dist/use.js'), stubUrl])
    assert.deepEqual(JSON.parse(out.stdout), {ids: [1, 2], first: 'a', name: 'Rex', one: {id: 7, name: 'seven'}, status: 404})
    assert.ok(stubSeen.every((s) => s.apiKey === 'k-1'))
    assert.ok(stubSeen.some((s) => s.url === '/dev/pets?limit=2'))
  })

  it('HTTP: a client from ExportApi, also as a zip', async () => {
    const r = await run(['hp', '--stage', 'dev', '--language', 'typescript', '--zip', 'hp-ts.zip', '--json'])
    assert.equal(r.code, 0, r.stderr)
    const result = JSON.parse(r.stdout).result as {generator: string; zip: string}
    assert.equal(result.generator, 'openapi-typescript')
    const files = unzipSync(readFileSync(join(cwd, 'hp-ts.zip')))
    assert.deepEqual(Object.keys(files).sort(), ['hp-sdk/client.ts', 'hp-sdk/index.ts', 'hp-sdk/types.ts'])
    assert.match(new TextDecoder().decode(files['hp-sdk/client.ts']), /getPet: \(\.\.\.args: Args<paths\["\/pets\/\{petId\}"\]\["get"\]>\)/)
  })
})

describe('apigw export sdk: AWS SDK types (emulator GetSdk)', () => {
  it('javascript unpacked: a working apigClient.js', async () => {
    const r = await run(['pets', '--stage', 'dev', '--language', 'javascript', '--output', 'js-sdk'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^Wrote 2 files to js-sdk: javascript SDK \(GetSdk\)/)
    const factory = createRequire(join(cwd, 'js-sdk', 'x.cjs'))('./apiGateway-js-sdk/apigClient.js') as {
      newClient(c: object): Record<string, (...a: unknown[]) => Promise<{status: number; data: unknown}>>
    }
    const client = factory.newClient({invokeUrl: stubUrl})
    assert.deepEqual(Object.keys(client).sort(), ['petsGet', 'petsPetIdGet', 'petsPost'])
    const got = await client.petsPetIdGet!({petId: '7'})
    assert.deepEqual(got.data, {id: 7, name: 'seven'})
    const posted = await client.petsPost!({}, {name: 'Rex'})
    assert.deepEqual(posted.data, {id: 4, name: 'Rex'})
  })

  it('keeps existing files unless --force', async () => {
    const dir = join(cwd, 'js-keep')
    mkdirSync(join(dir, 'apiGateway-js-sdk'), {recursive: true})
    writeFileSync(join(dir, 'apiGateway-js-sdk/README.md'), 'mine')
    const kept = await run(['pets', '--stage', 'dev', '--language', 'javascript', '--output', dir, '--json'])
    assert.equal(kept.code, 0, kept.stderr)
    const result = JSON.parse(kept.stdout) as {result: {files: string[]; kept: string[]}; warnings: string[]}
    assert.deepEqual(result.result.kept, ['apiGateway-js-sdk/README.md'])
    assert.deepEqual(result.result.files, ['apiGateway-js-sdk/apigClient.js'])
    assert.match(result.warnings.join('\n'), /Kept 1 existing file/)
    assert.equal(readFileSync(join(dir, 'apiGateway-js-sdk/README.md'), 'utf8'), 'mine')
    const forced = await run(['pets', '--stage', 'dev', '--language', 'javascript', '--output', dir, '--force'])
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(readFileSync(join(dir, 'apiGateway-js-sdk/README.md'), 'utf8'), /JavaScript SDK/)
  })

  it('javascript --zip keeps the archive; an existing zip needs --force', async () => {
    const r = await run(['pets', '--stage', 'dev', '--language', 'javascript', '--zip', 'pets-js.zip'])
    assert.equal(r.code, 0, r.stderr)
    assert.ok(Object.keys(unzipSync(readFileSync(join(cwd, 'pets-js.zip')))).includes('apiGateway-js-sdk/apigClient.js'))
    const again = await run(['pets', '--stage', 'dev', '--language', 'javascript', '--zip', 'pets-js.zip'])
    assert.equal(again.code, 3)
    assert.match(again.stderr, /already exists[\s\S]*--force/)
  })

  const errors: Array<{title: string; args: string[]; code: number; message: RegExp}> = [
    {
      title: 'an HTTP API points at --language typescript',
      args: ['hp', '--stage', 'dev', '--language', 'javascript'],
      code: 2,
      message: /REST APIs only, and hp is an HTTP API[\s\S]*--language typescript/,
    },
    {
      title: 'missing required properties name the --param flags',
      args: ['pets', '--stage', 'dev', '--language', 'android'],
      code: 2,
      message: /needs groupId, artifactId, artifactVersion[\s\S]*--param groupId=/,
    },
    {
      title: 'an unknown language lists the known ones',
      args: ['pets', '--stage', 'dev', '--language', 'cobol'],
      code: 2,
      message: /cobol is not an SDK type[\s\S]*typescript, android, java, javascript/,
    },
    {
      title: 'other SDK types: the emulator answers 501, shown clearly',
      args: ['pets', '--stage', 'dev', '--language', 'swift', '--param', 'classPrefix=P'],
      code: 2,
      message: /GetSdk: GetSdk for sdkType swift is not supported by the apigw local emulator/,
    },
    {
      title: 'a bad --param',
      args: ['pets', '--stage', 'dev', '--language', 'swift', '--param', 'classPrefix'],
      code: 2,
      message: /--param classPrefix is not key=value/,
    },
  ]
  for (const e of errors) {
    it(`error: ${e.title}`, async () => {
      const r = await run(e.args)
      assert.equal(r.code, e.code, r.stderr)
      assert.match(r.stderr, e.message)
    })
  }
})

describe('apigw export sdk: the wizard (service, as at a terminal)', () => {
  it('asks for each missing required property, then sends them with the given ones to GetSdk', async () => {
    // Given GetSdk recorded, and a terminal that answers the questions
    const deps = emulatorDeps(emu, cwd)
    const sent: Array<Record<string, string>> = []
    const real = createExportPort(deps.aws)
    const asked: string[] = []
    const zip = zipSync({'sdk/README.md': new TextEncoder().encode('android')})
    const result = await exportSdk(
      {
        cwd,
        api: 'pets',
        stage: 'dev',
        params: ['groupId=com.example'],
        output: tempDir('apigw-wiz-'),
        chooseLanguage: async (choices) => {
          asked.push(`language:${choices.map((c) => c.id).join(',')}`)
          return 'android'
        },
        ask: async (p) => {
          asked.push(p.name)
          return `${p.name}-answer`
        },
      },
      {
        ...deps,
        exportPort: {
          ...real,
          getSdk: async (i) => {
            sent.push(i.parameters)
            return {body: zip}
          },
        },
      },
    )
    // Then it asked for the language (typescript first) and only the missing required properties
    assert.deepEqual(asked, ['language:typescript,android,java,javascript,objectivec,ruby,swift', 'artifactId', 'artifactVersion'])
    assert.deepEqual(sent, [{groupId: 'com.example', artifactId: 'artifactId-answer', artifactVersion: 'artifactVersion-answer'}])
    assert.deepEqual(result.files, ['sdk/README.md'])
  })
})

describe('apigw export sdk: unsafe archives are refused', () => {
  const evil = (entries: Parameters<typeof zipSync>[0]) => {
    const deps = emulatorDeps(emu, cwd)
    const real = createExportPort(deps.aws)
    return {...deps, exportPort: {...real, getSdk: async () => ({body: zipSync(entries)})}}
  }
  const text = (s: string) => new TextEncoder().encode(s)
  const cases: Array<{title: string; entries: Parameters<typeof zipSync>[0]; reason: RegExp}> = [
    {
      title: 'a zip-slip entry',
      entries: {'apiGateway-js-sdk/ok.js': text('ok'), '../../escaped.txt': text('pwned')},
      reason: /\.\.\/\.\.\/escaped\.txt \(escapes the target directory\)/,
    },
    {
      title: 'a symlink entry',
      entries: {
        'apiGateway-js-sdk/ok.js': text('ok'),
        'apiGateway-js-sdk/link': [text('/etc/passwd'), {os: 3, attrs: (0o120777 << 16) >>> 0}],
      },
      reason: /apiGateway-js-sdk\/link \(symbolic link\)/,
    },
    {title: 'an absolute entry', entries: {'/tmp/abs.txt': text('x')}, reason: /\/tmp\/abs\.txt \(absolute path\)/},
  ]
  for (const c of cases) {
    it(c.title, async () => {
      // Given GetSdk answering a malicious zip, and an empty output directory inside a parent
      const parent = tempDir('apigw-evil-')
      const out = join(parent, 'a', 'b')
      // When the SDK is unpacked
      await assert.rejects(
        exportSdk({cwd, stage: 'dev', api: 'pets', language: 'javascript', params: [], output: out}, evil(c.entries)),
        (e: Error & {code?: string}) => {
          // Then it is refused, naming the entry, and nothing at all is written
          assert.equal(e.code, 'SDK_UNSAFE_ARCHIVE')
          assert.match(e.message, c.reason)
          assert.match(e.message, /Nothing was written/)
          return true
        },
      )
      assert.equal(existsSync(join(parent, 'escaped.txt')), false)
      assert.equal(existsSync(out), false)
    })
  }

  it('a symbolic link already in the output directory is not written through', async () => {
    // Given an output directory whose sub-directory is a link to somewhere else
    const parent = tempDir('apigw-evil-')
    const elsewhere = join(parent, 'elsewhere')
    mkdirSync(elsewhere)
    const out = join(parent, 'out')
    mkdirSync(out)
    symlinkSync(elsewhere, join(out, 'apiGateway-js-sdk'))
    // When a normal SDK is unpacked there
    await assert.rejects(
      run(['pets', '--stage', 'dev', '--language', 'javascript', '--output', out]).then((r) =>
        r.code === 0 ? r : Promise.reject(new Error(r.stderr)),
      ),
      /would be written through the symbolic link apiGateway-js-sdk/,
    )
    // Then nothing landed behind the link
    assert.equal(existsSync(join(elsewhere, 'apigClient.js')), false)
  })
})
