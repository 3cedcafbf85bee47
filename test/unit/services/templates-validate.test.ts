import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {initProject, loadTemplates} from '../../../src/services/init/init.ts'
import {validate} from '../../../src/services/validate/validate.ts'
import {noPrompts} from '../../helpers/init.ts'
import {tempDir} from '../../helpers/temp.ts'

describe('every template, scaffolded with each auth it offers, validates with no findings', async () => {
  const templates = await loadTemplates()
  it('has the five templates', () => assert.equal(templates.length, 5))
  for (const t of templates) {
    for (const auth of t.auth) {
      it(`${t.id} with auth ${auth}`, async () => {
        // Given a fresh directory scaffolded with defaults for everything but the template and auth
        const cwd = tempDir('apigw-tpl-')
        const extra =
          auth === 'jwt'
            ? {jwtIssuer: 'https://issuer.example.com/', jwtAudience: 'app'}
            : auth === 'lambda'
              ? {authorizerArn: 'arn:aws:lambda:us-east-1:123456789012:function:auth'}
              : {}
        await initProject({dir: 'proj', name: 'demo', template: t.id, auth, stages: 'dev,prod', yes: true, ...extra}, noPrompts(cwd))
        // When apigw validate runs on it, Then it has nothing to say
        const result = await validate({cwd: join(cwd, 'proj')})
        assert.deepEqual(
          result.findings.map((f) => `${f.id}: ${f.message}`),
          [],
        )
        assert.equal(result.type, t.type)
      })
    }
  }
})
