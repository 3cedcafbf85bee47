/**
 * The shared patch-operation matchers of the v1 control plane (control-plane/v1/common.ts) and the model
 * template generator (model-template.ts): table-driven, with AWS's recorded messages
 * (test/fixtures/ground-truth/v1-updates-vpc-links.json) as the expected errors.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {matchMethodPatch, matchPatch, type PatchPaths, patchMapKey} from '../../../src/local/control-plane/v1/common.ts'
import {modelTemplate} from '../../../src/local/control-plane/v1/model-template.ts'
import type {Store} from '../../../src/local/store/store.ts'

const RESOURCE: PatchPaths = [
  ['/parentId', ['replace']],
  ['/pathPart', ['replace']],
]
const METHOD: PatchPaths = [
  ['/operationName', ['replace']],
  ['/requestModels/*', ['add', 'replace', 'remove']],
]

const message = (fn: () => unknown): string => {
  try {
    fn()
  } catch (e) {
    return (e as Error).message
  }
  return 'no error'
}

describe('matchPatch (the quoted style of UpdateResource, UpdateModel, UpdateRequestValidator)', () => {
  const cases = [
    {op: 'replace', path: '/pathPart', want: {rule: '/pathPart'}},
    {
      op: 'replace',
      path: '/invalid',
      want: "Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]",
    },
    {op: 'add', path: '/pathPart', want: "Invalid patch path  '/pathPart' specified for op 'add'. Please choose supported operations"},
    {op: 'remove', path: undefined, want: "Invalid patch path  'null' specified for op 'remove'. Please choose supported operations"},
  ]
  for (const c of cases) {
    it(`${c.op} ${c.path}`, () => {
      // Given AWS's UpdateResource table, when the op is matched, then it passes or fails with AWS's words
      if (typeof c.want === 'string')
        assert.equal(
          message(() => matchPatch({op: c.op, path: c.path}, RESOURCE)),
          c.want,
        )
      else assert.equal(matchPatch({op: c.op, path: c.path}, RESOURCE).rule, c.want.rule)
    })
  }
})

describe('matchMethodPatch (the style of the method family)', () => {
  const cases = [
    {op: 'add', path: '/requestModels/application~1json', want: {rule: '/requestModels/*', key: 'application/json'}},
    {op: 'add', path: '/requestModels/application/json', want: 'Invalid patch path /requestModels/application/json'},
    {op: 'add', path: '/requestModels', want: 'Invalid patch path /requestModels'},
    {op: 'add', path: '/operationName', want: 'Invalid patch operation specified. Must be one of: [replace]'},
    {op: 'copy', path: '/requestModels/a~1b', want: 'Invalid patch operation specified. Must be one of: [add, replace, remove]'},
    {op: 'add', path: undefined, want: 'Invalid patch path null'},
  ]
  for (const c of cases) {
    it(`${c.op} ${c.path}`, () => {
      if (typeof c.want === 'string')
        assert.equal(
          message(() => matchMethodPatch({op: c.op, path: c.path}, METHOD)),
          c.want,
        )
      else {
        const m = matchMethodPatch({op: c.op, path: c.path}, METHOD)
        assert.deepEqual({rule: m.rule, key: m.key}, c.want)
      }
    })
  }
  it('answers a wrong op as a wrong path where AWS does (UpdateGatewayResponse add /statusCode)', () => {
    const paths: PatchPaths = [['/statusCode', ['replace']]]
    assert.equal(
      message(() => matchMethodPatch({op: 'add', path: '/statusCode'}, paths, {opAsPath: true})),
      'Invalid patch path /statusCode',
    )
  })
})

describe('patchMapKey', () => {
  it('adds, replaces only what exists, removes, and drops an emptied map', () => {
    const added = patchMapKey<boolean>(undefined, 'add', 'a', true, 'missing')
    assert.deepEqual(added, {a: true})
    assert.deepEqual(patchMapKey(added, 'replace', 'a', false, 'missing'), {a: false})
    assert.equal(
      message(() => patchMapKey(added, 'replace', 'b', false, 'Invalid parameter name specified')),
      'Invalid parameter name specified',
    )
    assert.equal(patchMapKey(added, 'remove', 'a', false, 'missing'), undefined)
    assert.deepEqual(added, {a: true}, 'the input map is not mutated')
  })
})

describe('modelTemplate (GetModelTemplate)', () => {
  const store = (models: Record<string, string>): Store =>
    ({
      get: (_kind: string, id: string) => {
        const name = id.split('/')[1]!
        return models[name] ? {id: name, name, contentType: 'application/json', schema: models[name]} : undefined
      },
    }) as unknown as Store
  const model = (schema: unknown) => ({id: 'm', name: 'M', contentType: 'application/json', schema: JSON.stringify(schema)})

  it("reproduces the API reference's example", () => {
    const schema = {type: 'object', properties: {a: {type: 'number'}, b: {type: 'number'}, op: {type: 'string'}, c: {type: 'number'}}}
    assert.equal(
      modelTemplate(store({}), 'api', model(schema)),
      '#set($inputRoot = $input.path(\'$\'))\n{\n  "a" : $inputRoot.a,\n  "b" : $inputRoot.b,\n  "op" : "$inputRoot.op",\n  "c" : $inputRoot.c\n}',
    )
  })
  it('nests objects, #foreach over arrays and follows referenced models, two spaces per level', () => {
    const s = store({Tag: JSON.stringify({type: 'object', properties: {label: {type: 'string'}}})})
    const schema = {
      type: 'object',
      properties: {
        id: {type: 'integer'},
        ok: {type: 'boolean'},
        tags: {type: 'array', items: {$ref: 'https://apigateway.amazonaws.com/restapis/api/models/Tag'}},
      },
    }
    assert.equal(
      modelTemplate(s, 'api', model(schema)),
      [
        "#set($inputRoot = $input.path('$'))",
        '{',
        '  "id" : $inputRoot.id,',
        '  "ok" : $inputRoot.ok,',
        '  "tags" : [',
        '#foreach($elem1 in $inputRoot.tags)',
        '    {',
        '      "label" : "$elem1.label"',
        '    }#if($foreach.hasNext),#end',
        '#end',
        '  ]',
        '}',
      ].join('\n'),
    )
  })
  it('stops on a model that refers to itself', () => {
    const s = store({Node: JSON.stringify({type: 'object', properties: {next: {$ref: '#/definitions/Node'}}})})
    const out = modelTemplate(s, 'api', model({$ref: '#/definitions/Node'}))
    assert.ok(out.length < 2000, 'bounded output')
    assert.match(out, /"next" : /)
  })
})
