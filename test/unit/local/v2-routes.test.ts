import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {describe, it} from 'node:test'
import {v2Routes} from '../../../src/local/control-plane/v2/index.ts'
import {Router} from '../../../src/local/router.ts'

/**
 * The HTTP bindings of every apigatewayv2 operation, read from the SDK v3 client's own generated schema
 * (`{[_ht]: ["GET", "/v2/apis/{ApiId}", 200]}, () => GetApiRequest$`), so the route table is checked
 * against the model the clients are generated from.
 */
function sdkBindings(): Array<{operation: string; method: string; path: string; status: number}> {
  const require = createRequire(import.meta.url)
  const file = require.resolve('@aws-sdk/client-apigatewayv2')
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/\[_ht\]: \["([A-Z]+)", "([^"]+)", (\d+)\] \}, \(\) => (\w+)Request\$/g)].map((m) => ({
    method: m[1]!,
    path: m[2]!,
    status: Number(m[3]),
    operation: m[4]!,
  }))
}

describe('v2 route table', () => {
  const bindings = sdkBindings()
  const router = new Router(v2Routes)

  it('reads the bindings of the SDK model', () => {
    assert.ok(bindings.length > 90, `only ${bindings.length} bindings found`)
  })

  it('routes every operation of the SDK model to the operation of the same name', () => {
    const wrong: string[] = []
    for (const b of bindings) {
      // Given the SDK's binding, When its path (labels filled) is matched, Then the operation is the same
      const segments = b.path
        .replace(/\{[^}]+\}/g, (label) =>
          label === '{ResourceArn}' ? encodeURIComponent('arn:aws:apigateway:us-east-1::/apis/abc') : 'x1',
        )
        .split('/')
        .filter(Boolean)
      const {match} = router.match(b.method, segments, new URLSearchParams())
      if (match?.def.operation !== b.operation) wrong.push(`${b.method} ${b.path}: ${b.operation} → ${match?.def.operation ?? 'no route'}`)
    }
    assert.deepEqual(wrong, [])
  })

  it('has no route the SDK model does not know', () => {
    const known = new Set(bindings.map((b) => b.operation))
    assert.deepEqual(
      v2Routes.map((r) => r.operation).filter((op) => !known.has(op)),
      [],
    )
  })

  it('implements the operations the issue asks for', () => {
    const required = [
      'CreateApi',
      'GetApis',
      'GetApi',
      'UpdateApi',
      'DeleteApi',
      'ImportApi',
      'ReimportApi',
      'GetRoutes',
      'GetRoute',
      'CreateRoute',
      'UpdateRoute',
      'DeleteRoute',
      'GetIntegrations',
      'GetIntegration',
      'CreateIntegration',
      'UpdateIntegration',
      'DeleteIntegration',
      'GetAuthorizers',
      'GetAuthorizer',
      'CreateAuthorizer',
      'DeleteAuthorizer',
      'CreateDeployment',
      'GetDeployments',
      'GetDeployment',
      'DeleteDeployment',
      'CreateStage',
      'GetStages',
      'GetStage',
      'UpdateStage',
      'DeleteStage',
      'ExportApi',
      'TagResource',
      'UntagResource',
      'GetTags',
    ]
    const handled = new Set(v2Routes.filter((r) => r.handler).map((r) => r.operation))
    assert.deepEqual(
      required.filter((op) => !handled.has(op)),
      [],
    )
  })
})
