/**
 * diffDomains + DOMAIN_DIFF_REGISTRY: what changed in apigw.yaml's `domains:` for one API's clients, and the level
 * each change gets (a removed or moved mapping and a removed domain name break clients; additions are info), with
 * `diff.levels` overrides and `diff.ignore` by domain name and base path.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {DOMAIN_DIFF_REGISTRY, type DomainsView, diffDomains} from '../../../src/core/config/domains-diff.ts'
import type {DomainConfig} from '../../../src/core/config/domains.ts'
import {runChecks} from '../../../src/core/checks/run-checks.ts'
import type {ChecksConfig} from '../../../src/core/checks/types.ts'

const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/a'
const CERT2 = 'arn:aws:acm:us-east-1:000000000000:certificate/b'

const domain = (mappings: DomainConfig['mappings'], extra: Partial<DomainConfig> = {}): DomainConfig => ({
  certificateArn: CERT,
  mappings,
  ...extra,
})
const BASE: Record<string, DomainConfig> = {
  'api.example.com': domain([
    {api: 'pets', stage: 'prod', basePath: 'v1'},
    {api: 'orders', stage: 'prod', basePath: 'shop'},
  ]),
}

function findings(base: Record<string, DomainConfig>, revision: Record<string, DomainConfig>, api = 'pets', config: ChecksConfig = {}) {
  const b: DomainsView = {file: 'old.yaml', domains: base}
  const r: DomainsView = {file: 'apigw.yaml', domains: revision}
  const report = runChecks(diffDomains(b, r, api), DOMAIN_DIFF_REGISTRY, config)
  return {
    list: report.findings.map((f) => `${f.level} ${f.id} ${f.operation} ${f.location.file}${f.location.pointer}`),
    ignored: report.ignored.map((f) => `${f.id} ${f.reason}`),
  }
}

describe('domain changes in diff, judged for one API', () => {
  const cases: Array<{name: string; revision: Record<string, DomainConfig>; api?: string; want: string[]}> = [
    {name: 'nothing changed', revision: BASE, want: []},
    {
      // Given the v1 mapping of pets removed, When pets is diffed, Then it is an error located in the base file
      name: 'a removed base path mapping is breaking',
      revision: {'api.example.com': domain([{api: 'orders', stage: 'prod', basePath: 'shop'}])},
      want: ['error domain-mapping-removed api.example.com /v1 old.yaml#/domains/api.example.com/mappings/0'],
    },
    {
      name: "another API's removed mapping is not this API's change",
      revision: {'api.example.com': domain([{api: 'pets', stage: 'prod', basePath: 'v1'}])},
      want: [],
    },
    {
      name: "the other API's diff reports it",
      api: 'orders',
      revision: {'api.example.com': domain([{api: 'pets', stage: 'prod', basePath: 'v1'}])},
      want: ['error domain-mapping-removed api.example.com /shop old.yaml#/domains/api.example.com/mappings/1'],
    },
    {
      name: 'a mapping moved to another stage is breaking',
      revision: {
        'api.example.com': domain([
          {api: 'pets', stage: 'beta', basePath: 'v1'},
          {api: 'orders', stage: 'prod', basePath: 'shop'},
        ]),
      },
      want: ['error domain-mapping-changed api.example.com /v1 apigw.yaml#/domains/api.example.com/mappings/0'],
    },
    {
      name: "a base path moved to another API is breaking for both APIs' clients",
      api: 'orders',
      revision: {
        'api.example.com': domain([
          {api: 'pets', stage: 'prod', basePath: 'v1'},
          {api: 'pets', stage: 'prod', basePath: 'shop'},
        ]),
      },
      want: ['error domain-mapping-changed api.example.com /shop apigw.yaml#/domains/api.example.com/mappings/1'],
    },
    {
      name: 'an added mapping is info, and a base path written with slashes is the same path',
      revision: {
        'api.example.com': domain([
          {api: 'pets', stage: 'prod', basePath: '/v1/'},
          {api: 'orders', stage: 'prod', basePath: 'shop'},
          {api: 'pets', stage: 'prod', basePath: 'v2'},
        ]),
      },
      want: ['info domain-mapping-added api.example.com /v2 apigw.yaml#/domains/api.example.com/mappings/2'],
    },
    {
      name: 'a removed domain name is breaking, an added one info',
      revision: {'new.example.com': domain([{api: 'pets', stage: 'prod', basePath: 'v1'}])},
      want: [
        'info domain-added new.example.com apigw.yaml#/domains/new.example.com',
        'error domain-removed api.example.com old.yaml#/domains/api.example.com',
      ],
    },
    {
      name: 'endpoint type: error; certificate: warning',
      revision: {'api.example.com': {...BASE['api.example.com']!, endpointType: 'EDGE', certificateArn: CERT2}},
      want: [
        'warning domain-certificate-changed api.example.com apigw.yaml#/domains/api.example.com/certificateArn',
        'error domain-endpoint-type-changed api.example.com apigw.yaml#/domains/api.example.com/endpointType',
      ],
    },
    {
      name: 'the default security policy (TLS_1_2) relaxed to TLS_1_0 is info',
      revision: {'api.example.com': {...BASE['api.example.com']!, securityPolicy: 'TLS_1_0'}},
      want: ['info domain-security-policy-relaxed api.example.com apigw.yaml#/domains/api.example.com/securityPolicy'],
    },
    {
      name: 'a domain name that never maps the API is not reported',
      revision: {...BASE, 'other.example.com': domain([{api: 'orders', stage: 'prod', basePath: 'x'}])},
      want: [],
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(findings(BASE, c.revision, c.api).list, c.want)
    })
  }

  it('a stricter security policy is a warning (TLS 1.0 clients are refused)', () => {
    const base = {'api.example.com': {...BASE['api.example.com']!, securityPolicy: 'TLS_1_0' as const}}
    assert.deepEqual(findings(base, BASE).list, [
      'warning domain-security-policy-tightened api.example.com apigw.yaml#/domains/api.example.com/securityPolicy',
    ])
  })

  it('diff.levels overrides a level or turns an id off; diff.ignore matches by domain name and base path', () => {
    const revision = {'api.example.com': domain([{api: 'pets', stage: 'prod', basePath: 'v2'}])}
    // Given v1 removed and v2 added
    assert.deepEqual(findings(BASE, revision).list, [
      'info domain-mapping-added api.example.com /v2 apigw.yaml#/domains/api.example.com/mappings/0',
      'error domain-mapping-removed api.example.com /v1 old.yaml#/domains/api.example.com/mappings/0',
    ])
    // When the levels are overridden
    const levels = findings(BASE, revision, 'pets', {levels: {'domain-mapping-removed': 'warning', 'domain-mapping-added': 'off'}})
    assert.deepEqual(levels.list, ['warning domain-mapping-removed api.example.com /v1 old.yaml#/domains/api.example.com/mappings/0'])
    // When the removal is accepted under diff.ignore, by its path
    const ignored = findings(BASE, revision, 'pets', {ignore: [{id: 'domain-mapping-removed', path: '/v1', reason: 'v1 is retired'}]})
    assert.deepEqual(ignored.ignored, ['domain-mapping-removed v1 is retired'])
    assert.deepEqual(ignored.list, ['info domain-mapping-added api.example.com /v2 apigw.yaml#/domains/api.example.com/mappings/0'])
  })
})
