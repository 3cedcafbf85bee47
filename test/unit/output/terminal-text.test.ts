/**
 * Issue 19.6: text from AWS or the emulator reaches the terminal with its control characters escaped, so
 * a name with `\e]0;…\a` cannot retitle the terminal and `\r\n` cannot fake a table row. JSON stays raw.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {renderList, renderPlans} from '../../../src/output/keys.ts'
import {renderLogJson, renderLogLine} from '../../../src/output/logs.ts'
import {renderStatus} from '../../../src/output/status.ts'
import {noColors} from '../../../src/output/findings.ts'
import {terminalSafe, terminalSafeDeep} from '../../../src/output/terminal-text.ts'
import type {ListKeysResult, PlansResult} from '../../../src/services/keys/list.ts'
import type {StatusResult} from '../../../src/services/lifecycle/status.ts'

const HOSTILE = 'basic\u001b]0;pwned\u0007\r\nFAKE  row\u202e'
/** Any byte a terminal acts on: C0 except tab and newline, DEL, C1, bidi controls. */
const ACTIVE = /[^\P{Cc}\t\n]|[\u202a-\u202e\u2066-\u2069]/u

describe('terminalSafe', () => {
  const cases: Array<[string, string, string]> = [
    ['plain text is unchanged', 'pets-api dev', 'pets-api dev'],
    ['unicode letters are unchanged', 'café ✓ 日本', 'café ✓ 日本'],
    ['a tab is kept', 'a\tb', 'a\tb'],
    ['ESC and BEL (OSC title)', '\u001b]0;x\u0007', '\\e]0;x\\x07'],
    ['CR and LF', 'a\r\nb', 'a\\r\\nb'],
    ['NUL, DEL and a C1 CSI', '\u0000\u007f\u009b', '\\0\\x7f\\x9b'],
    ['bidi override', 'abc\u202edef', 'abc\\u202edef'],
  ]
  for (const [what, input, expected] of cases) it(what, () => assert.equal(terminalSafe(input), expected))

  it('keeps newlines when asked (messages we wrote), still escaping the rest', () => {
    assert.equal(terminalSafe('line 1\nline 2\r\u001b[2J', {newlines: true}), 'line 1\nline 2\\r\\e[2J')
  })

  it('is idempotent: escaping escaped text changes nothing', () => {
    const once = terminalSafe(HOSTILE)
    assert.equal(terminalSafe(once), once)
  })

  it('walks plain objects and arrays, keeps other values', () => {
    const date = new Date(0)
    const out = terminalSafeDeep({a: ['x\u001b'], n: 1, d: date, nested: {b: '\r'}})
    assert.deepEqual(out, {a: ['x\\e'], n: 1, d: date, nested: {b: '\\r'}})
  })
})

describe('renderers escape AWS-sourced text', () => {
  it('keys plans: a usage plan named with an OSC title and a fake row stays on its own row', () => {
    const plans: PlansResult = {
      api: 'pets',
      plans: [
        {
          name: HOSTILE,
          id: 'p1',
          deployed: true,
          stages: ['dev'],
          throttle: undefined,
          methodThrottles: [],
          quota: undefined,
          keys: 0,
          enabledKeys: 0,
          keyNames: [],
        },
      ],
    } as unknown as PlansResult
    const text = renderPlans(plans)
    assert.doesNotMatch(text, ACTIVE)
    assert.equal(text.split('\n').length, 2, text)
    assert.match(text, /basic\\e\]0;pwned\\x07\\r\\nFAKE {2}row\\u202e/)
  })

  it('keys list: names and values', () => {
    const gen = {
      id: 'k1',
      keyName: 'ci/g1\u001b[31m',
      generation: 1,
      enabled: true,
      status: 'active' as const,
      plans: [HOSTILE],
      createdDate: null,
      retireAfter: null,
      usage: null,
      value: 'v\u0007',
    }
    const list: ListKeysResult = {
      plan: null,
      keys: [{name: 'ci\r', lastRotated: null, generations: [gen]}],
      unmanagedKeys: 0,
      totalKeys: 1,
      valuesShown: true,
    }
    const text = renderList(list)
    assert.doesNotMatch(text, ACTIVE)
    assert.equal(text.split('\n').length, 2)
  })

  it('status: a drift reason quoting AWS text', () => {
    const status = {
      api: 'pets',
      type: 'rest',
      apiId: 'a1',
      spec: 'openapi.yaml',
      specHash: 'h',
      apiDrift: [],
      stages: [
        {
          name: 'dev',
          configured: true,
          deploymentId: 'd1',
          deployedAt: null,
          record: undefined,
          sync: 'drifted',
          reason: `deployment description ${HOSTILE}`,
          canary: undefined,
          settingsDrift: [],
        },
      ],
    } as unknown as StatusResult
    assert.doesNotMatch(renderStatus(status), ACTIVE)
  })

  it('logs: a human line escapes the message; the NDJSON line keeps it as JSON', () => {
    const e = {kind: 'execution' as const, logGroup: 'g', logStream: 's', eventId: '1', timestamp: 0, message: `boom${HOSTILE}\n`}
    const line = renderLogLine(e, noColors)
    assert.doesNotMatch(line, ACTIVE)
    assert.doesNotMatch(line, /\n/)
    const access = {
      ...e,
      kind: 'access' as const,
      message: JSON.stringify({status: '200', httpMethod: 'GET', resourcePath: `/p${HOSTILE}`, requestId: 'r\u001b'}),
    }
    assert.doesNotMatch(renderLogLine(access, noColors), ACTIVE)
    assert.equal((JSON.parse(renderLogJson(e)) as {message: string}).message, e.message)
  })
})
