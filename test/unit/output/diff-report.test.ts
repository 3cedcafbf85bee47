import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {Finding} from '../../../src/core/findings.ts'
import {
  renderDiff,
  renderDiffGithub,
  renderDiffJson,
  renderDiffJunit,
  renderDiffMarkdown,
  renderDiffText,
  sortForReport,
} from '../../../src/output/diff-report.ts'

// Given findings out of order: an info, an error with a line, a warning, an API-level error
const findings: Finding[] = [
  {
    id: 'endpoint-added',
    level: 'info',
    operation: 'POST /pets',
    message: 'The operation POST /pets was added.',
    location: {file: 'new.yaml', pointer: '#/paths/~1pets/post'},
  },
  {
    id: 'request-parameter-enum-value-removed',
    level: 'error',
    operation: 'GET /pets',
    message: "The enum value 'b' was removed from the query parameter 'kind'.",
    location: {file: 'new.yaml', pointer: '#/paths/~1pets/get/parameters/0/schema', line: 12, column: 9},
  },
  {
    id: 'request-property-removed',
    level: 'warning',
    operation: 'PUT /pets/{id}',
    message: "The request property 'a|b' was removed.",
    location: {file: 'old.yaml', pointer: '#/x', line: 3},
  },
  {
    id: 'webhook-removed',
    level: 'error',
    message: "The webhook 'ping, pong' was removed.",
    location: {file: 'old.yaml', pointer: '#/webhooks/ping'},
  },
]
const input = {findings, base: 'old.yaml', revision: 'new.yaml'}

describe('diff report renderers', () => {
  it('sorts by level, then path and method, deterministically', () => {
    const order = sortForReport(findings).map((f) => f.id)
    assert.deepEqual(order, ['webhook-removed', 'request-parameter-enum-value-removed', 'request-property-removed', 'endpoint-added'])
    assert.deepEqual(sortForReport([...findings].reverse()), sortForReport(findings))
  })

  it('text: groups by level then operation, with file:line when known, colour injected', () => {
    const text = renderDiffText(input)
    assert.equal(
      text,
      [
        'Changes from old.yaml to new.yaml',
        '',
        'Errors (2)',
        '  (API)',
        "    The webhook 'ping, pong' was removed. [webhook-removed]",
        '      old.yaml#/webhooks/ping',
        '  GET /pets',
        "    The enum value 'b' was removed from the query parameter 'kind'. [request-parameter-enum-value-removed]",
        '      new.yaml:12:9',
        '',
        'Warnings (1)',
        '  PUT /pets/{id}',
        "    The request property 'a|b' was removed. [request-property-removed]",
        '      old.yaml:3',
        '',
        'Info (1)',
        '  POST /pets',
        '    The operation POST /pets was added. [endpoint-added]',
        '      new.yaml#/paths/~1pets/post',
        '',
        '2 errors, 1 warning, 1 info',
        '',
      ].join('\n'),
    )
    // And the colour function is applied to headings
    const coloured = renderDiffText(input, (style, s) => `<${style}>${s}</${style}>`)
    assert.match(coloured, /<error>Errors \(2\)<\/error>/)
    assert.match(coloured, /<dim>\[endpoint-added\]<\/dim>/)
  })

  it('text: says so when nothing changed', () => {
    assert.equal(renderDiffText({findings: []}), 'No changes found.\n0 errors, 0 warnings, 0 info\n')
  })

  it('markdown: a summary table and escaped details', () => {
    const md = renderDiffMarkdown({...input, failOn: 'error'})
    assert.match(md, /^### API changes: `old.yaml` → `new.yaml`\n/)
    assert.match(md, /\*\*Breaking changes at or above `error`\.\*\*/)
    assert.match(md, /\| :x: error \| 2 \|\n\| :warning: warning \| 1 \|\n\| :information_source: info \| 1 \|/)
    assert.match(
      md,
      /\| `PUT \/pets\/\{id\}` \| The request property 'a\\\|b' was removed\. \| `request-property-removed` \| old\.yaml:3 \|/,
    )
    assert.match(md, /<details open><summary>Errors \(2\)<\/summary>/)
    assert.match(renderDiffMarkdown({findings: findings.filter((f) => f.level === 'info')}), /No changes at or above `error`\./)
  })

  it('json: findings and counts', () => {
    const doc = JSON.parse(renderDiffJson(input))
    assert.deepEqual(doc.counts, {error: 2, warning: 1, info: 1})
    assert.equal(doc.findings.length, 4)
    assert.equal(doc.findings[0].id, 'webhook-removed')
    assert.deepEqual(doc.ignored, [])
  })

  it('github: ::error/::warning/::notice with escaped properties', () => {
    assert.equal(
      renderDiffGithub(input),
      [
        "::error file=old.yaml,title=webhook-removed::The webhook 'ping, pong' was removed.",
        "::error file=new.yaml,line=12,col=9,title=request-parameter-enum-value-removed::GET /pets: The enum value 'b' was removed from the query parameter 'kind'.",
        "::warning file=old.yaml,line=3,title=request-property-removed::PUT /pets/{id}: The request property 'a|b' was removed.",
        '::notice file=new.yaml,title=endpoint-added::POST /pets: The operation POST /pets was added.',
        '',
      ].join('\n'),
    )
    const odd: Finding = {id: 'x', level: 'error', message: '100%\nnext', location: {file: 'a,b:c.yaml', pointer: '#'}}
    assert.equal(renderDiffGithub({findings: [odd]}), '::error file=a%2Cb%3Ac.yaml,title=x::100%25%0Anext\n')
  })

  it('junit: one testcase per operation, failures at or above fail-on', () => {
    const xml = renderDiffJunit({...input, failOn: 'warning'})
    assert.match(xml, /<testsuites name="apigw diff" tests="4" failures="3">/)
    assert.match(
      xml,
      /<testcase classname="apigw.diff" name="GET \/pets">\n {6}<failure type="request-parameter-enum-value-removed" message="The enum value &apos;b&apos; was removed/,
    )
    assert.match(xml, /<testcase classname="apigw.diff" name="POST \/pets">\n {6}<system-out>info endpoint-added/)
    const errorsOnly = renderDiffJunit({...input, failOn: 'error'})
    assert.match(errorsOnly, /failures="2"/)
    assert.match(renderDiffJunit({findings: []}), /<testcase classname="apigw.diff" name="no changes"\/>/)
  })

  it('renderDiff dispatches on the format', () => {
    for (const format of ['text', 'markdown', 'json', 'github', 'junit'] as const) assert.ok(renderDiff(format, input).length > 0)
  })
})
