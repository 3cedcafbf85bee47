// Every scaffold imports into API Gateway: the emulator's ImportRestApi / ImportApi, through the real SDK
// clients, with failOnWarnings, as `apigw deploy` will send it.
import assert from 'node:assert/strict'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {GetAuthorizersCommand, GetResourcesCommand, ImportRestApiCommand} from '@aws-sdk/client-api-gateway'
import {GetAuthorizersCommand as GetAuthorizersV2Command, GetRoutesCommand, ImportApiCommand} from '@aws-sdk/client-apigatewayv2'
import {CliError} from '../../../src/errors.ts'
import {type InitOptions, initProject, loadTemplates} from '../../../src/services/init/init.ts'
import {startTestEmulator, type TestEmulator} from '../../helpers/emulator.ts'

const LAMBDA = 'arn:aws:lambda:us-east-1:111122223333:function:handler'
const CASES = (await loadTemplates()).flatMap((t) => t.auth.map((auth) => ({template: t, auth})))

let emu: TestEmulator
let work: string

before(async () => {
  emu = await startTestEmulator()
  work = await mkdtemp(join(tmpdir(), 'apigw-init-import-'))
})

after(async () => {
  await emu.close()
  await rm(work, {recursive: true, force: true})
})

describe('scaffolds import into API Gateway (emulator) without warnings', () => {
  for (const {template, auth} of CASES) {
    it(`${template.id} with auth ${auth}`, async () => {
      // Given a scaffold made from flags
      const cwd = await mkdtemp(join(work, `${template.id}-${auth}-`))
      const options: InitOptions = {
        name: 'imp',
        template: template.id,
        stages: 'dev',
        auth,
        ...(template.backend === 'lambda' ? {backend: LAMBDA} : template.backend === 'url' ? {backend: 'https://backend.example.com'} : {}),
        ...(auth === 'jwt' ? {jwtIssuer: 'https://issuer.example.com/pool', jwtAudience: 'client'} : {}),
        ...(auth === 'lambda' ? {authorizerArn: 'arn:aws:lambda:us-east-1:111122223333:function:authorizer'} : {}),
      }
      await initProject(options, {
        cwd,
        requireInteractive: (m) => {
          throw new CliError('NON_INTERACTIVE', m.join(' '))
        },
        prompter: () => assert.fail('no question expected'),
      })
      const body = await readFile(join(cwd, 'apis/imp/openapi.yaml'))
      const expectedAuthorizers = auth === 'jwt' || auth === 'lambda' ? 1 : 0

      if (template.type === 'rest') {
        // When it is imported as a REST API with failOnWarnings
        const api = await emu.v1.send(new ImportRestApiCommand({body, failOnWarnings: true}))
        // Then it is created without warnings, with every method integrated
        assert.deepEqual(api.warnings ?? [], [])
        assert.equal(api.name, 'imp')
        const resources = await emu.v1.send(new GetResourcesCommand({restApiId: api.id, embed: ['methods'], limit: 500}))
        const methods = (resources.items ?? []).flatMap((r) => Object.values(r.resourceMethods ?? {}))
        assert.ok(methods.length > 0)
        for (const m of methods) {
          assert.ok(m.methodIntegration?.type, `${m.httpMethod}: no integration`)
          const expected = {none: 'NONE', 'api-key': 'NONE', iam: 'AWS_IAM', lambda: 'CUSTOM', jwt: 'JWT'}[auth]
          assert.equal(m.authorizationType, expected, `${m.httpMethod}`)
          assert.equal(Boolean(m.apiKeyRequired), auth === 'api-key')
        }
        const authorizers = await emu.v1.send(new GetAuthorizersCommand({restApiId: api.id}))
        assert.equal(authorizers.items?.length ?? 0, expectedAuthorizers)
      } else {
        // When it is imported as an HTTP API with FailOnWarnings
        const api = await emu.v2.send(new ImportApiCommand({Body: body.toString('utf8'), FailOnWarnings: true}))
        // Then it is created without warnings, with every route integrated
        assert.deepEqual(api.Warnings ?? [], [])
        assert.equal(api.Name, 'imp')
        const routes = await emu.v2.send(new GetRoutesCommand({ApiId: api.ApiId}))
        assert.ok((routes.Items ?? []).length > 0)
        for (const r of routes.Items ?? []) {
          assert.ok(r.Target?.startsWith('integrations/'), `${r.RouteKey}: no integration`)
          const expected = {none: 'NONE', 'api-key': 'NONE', iam: 'AWS_IAM', lambda: 'CUSTOM', jwt: 'JWT'}[auth]
          assert.equal(r.AuthorizationType, expected, r.RouteKey)
        }
        const authorizers = await emu.v2.send(new GetAuthorizersV2Command({ApiId: api.ApiId}))
        assert.equal(authorizers.Items?.length ?? 0, expectedAuthorizers)
      }
    })
  }
})
