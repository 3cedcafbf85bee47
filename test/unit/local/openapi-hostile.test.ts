import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {importOpenApi} from '../../../src/local/control-plane/v2/openapi-import.ts'
import {AwsError} from '../../../src/local/protocol/aws-error.ts'
import {OpenApiInputError, parseOpenApiDocument, readOpenApi} from '../../../src/local/openapi/import.ts'

// Both importers read a request body through core/spec's parseSpecText: hostile bodies are AWS's 400, never a crash.
const deepJson = `{"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {}, "x": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`
const bomb = `openapi: 3.0.1\ninfo: {title: t, version: "1"}\npaths: {}\na: &a [x, x, x, x, x, x, x, x, x, x]\n${['b', 'c', 'd', 'e', 'f', 'g'].map((n, i) => `${n}: &${n} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`).join('\n')}\n`
const cases = [
  {name: '10,000-level nested JSON', text: deepJson},
  {name: 'a YAML alias bomb', text: bomb},
  {name: 'an unknown YAML tag', text: 'openapi: 3.0.1\ninfo: !!python/object:os.system {title: t, version: "1"}\npaths: {}\n'},
]

describe('emulator importers: hostile bodies', () => {
  for (const c of cases) {
    it(`v1 answers "Invalid OpenAPI input." to ${c.name}`, () => {
      assert.throws(
        () => parseOpenApiDocument(c.text),
        (e: unknown) => e instanceof OpenApiInputError && e.message === 'Invalid OpenAPI input.',
      )
    })
    it(`v2 answers BadRequestException to ${c.name}`, async () => {
      await assert.rejects(importOpenApi(c.text), (e: unknown) => e instanceof AwsError && e.code === 'BadRequestException')
    })
  }

  it('both read the base path from one table: the basePath server variable, then the server url', async () => {
    const doc = {
      openapi: '3.0.1',
      info: {title: 't', version: '1'},
      servers: [{url: 'https://example.com/{basePath}', variables: {basePath: {default: 'v1/pets'}}}],
      paths: {'/a': {get: {'x-amazon-apigateway-integration': {type: 'http_proxy', httpMethod: 'GET', uri: 'https://example.com'}}}},
    }
    for (const [mode, expected] of [
      ['prepend', '/v1/pets/a'],
      ['split', '/pets/a'],
      ['ignore', '/a'],
    ] as const) {
      assert.equal(readOpenApi(doc, {basepath: mode}).paths[0]!.path, expected, `v1 ${mode}`)
      const imported = await importOpenApi(JSON.stringify(doc), {basepath: mode})
      assert.equal(imported.routes[0]!.routeKey, `GET ${expected}`, `v2 ${mode}`)
    }
  })
})
