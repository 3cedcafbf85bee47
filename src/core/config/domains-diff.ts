/**
 * What changed in apigw.yaml's `domains:` between two versions (files or git revisions), as seen by one API's
 * clients: the domain names that map the API on either side, their endpoint type, certificate and security
 * policy, and the base path / API mappings of the API. `diffDomains` only describes the changes; the checks of
 * DOMAIN_DIFF_REGISTRY judge them (a removed mapping or domain name is breaking, a mapping moved to another API
 * or stage too: clients on that path reach something else; an added one is info), with apigw.yaml's levels.
 */
import {draft} from '../checks/helpers.ts'
import type {Check, Draft, RegistryEntry} from '../checks/types.ts'
import {pointerOf} from '../findings.ts'
import {type DomainConfig, normaliseBasePath} from './domains.ts'

/** One side: the apigw.yaml file (its label in findings) and its `domains:`. */
export type DomainsView = {file: string; domains: Record<string, DomainConfig>}

export type MappingSide = {api: string; stage: string; index: number}

export type DomainsDiff = {
  api: string
  base: DomainsView
  revision: DomainsView
  removedDomains: Array<{name: string; mappings: MappingSide[]}>
  addedDomains: Array<{name: string; mappings: MappingSide[]}>
  settings: Array<{name: string; setting: 'endpointType' | 'certificateArn' | 'securityPolicy'; from: string; to: string}>
  /** Mappings of the API (on either side) on a domain name both sides have. */
  mappings: Array<{domain: string; basePath: string; base?: MappingSide | undefined; revision?: MappingSide | undefined}>
}

const DEFAULTS = {endpointType: 'REGIONAL', securityPolicy: 'TLS_1_2'} as const

function byBasePath(d: DomainConfig): Map<string, MappingSide> {
  const out = new Map<string, MappingSide>()
  ;(d.mappings ?? []).forEach((m, index) => {
    if (m && typeof m === 'object') out.set(normaliseBasePath(m.basePath), {api: String(m.api), stage: String(m.stage), index})
  })
  return out
}

const sorted = <T>(list: T[], key: (x: T) => string): T[] => list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))

/** The changes of `domains:` that concern `api`'s clients. Pure. */
export function diffDomains(base: DomainsView, revision: DomainsView, api: string): DomainsDiff {
  const out: DomainsDiff = {api, base, revision, removedDomains: [], addedDomains: [], settings: [], mappings: []}
  const names = [...new Set([...Object.keys(base.domains), ...Object.keys(revision.domains)])].sort()
  for (const name of names) {
    const b = base.domains[name]
    const r = revision.domains[name]
    const bm = b ? byBasePath(b) : new Map<string, MappingSide>()
    const rm = r ? byBasePath(r) : new Map<string, MappingSide>()
    const ofApi = (m: Map<string, MappingSide>) => [...m.values()].filter((x) => x.api === api)
    if (ofApi(bm).length === 0 && ofApi(rm).length === 0) continue
    if (!r) {
      out.removedDomains.push({name, mappings: ofApi(bm)})
      continue
    }
    if (!b) {
      out.addedDomains.push({name, mappings: ofApi(rm)})
      continue
    }
    for (const setting of ['endpointType', 'certificateArn', 'securityPolicy'] as const) {
      const from = String(b[setting] ?? (setting === 'certificateArn' ? '' : DEFAULTS[setting]))
      const to = String(r[setting] ?? (setting === 'certificateArn' ? '' : DEFAULTS[setting]))
      if (from !== to) out.settings.push({name, setting, from, to})
    }
    for (const basePath of [...new Set([...bm.keys(), ...rm.keys()])].sort()) {
      const was = bm.get(basePath)
      const now = rm.get(basePath)
      if (was?.api !== api && now?.api !== api) continue
      if (was && now && was.api === now.api && was.stage === now.stage) continue
      out.mappings.push({domain: name, basePath, base: was, revision: now})
    }
  }
  sorted(out.mappings, (m) => `${m.domain} ${m.basePath}`)
  return out
}

type DomainCheck = Check<DomainsDiff>

const domainPointer = (name: string, ...rest: Array<string | number>) => pointerOf(['domains', name, ...rest])
const path = (basePath: string) => `/${basePath}`
const target = (m: MappingSide) => `${m.api} ${m.stage}`
const paths = (list: MappingSide[], d: DomainConfig | undefined) => {
  const keys = d ? [...byBasePath(d)].filter(([, m]) => list.includes(m)).map(([k]) => path(k)) : []
  return keys.join(', ')
}

/** Domain names that map the API, removed or added: clients of the removed one lose every path on it. */
export const domainNames: DomainCheck = (diff) => {
  const out: Draft[] = []
  for (const d of diff.removedDomains)
    out.push(
      draft(
        'domain-removed',
        d.name,
        `The domain name ${d.name} was removed: ${diff.api}'s clients there (${paths(d.mappings, diff.base.domains[d.name])}) ` +
          'lose the API once the domain name or its mappings are deleted.',
        diff.base.file,
        domainPointer(d.name),
      ),
    )
  for (const d of diff.addedDomains)
    out.push(
      draft(
        'domain-added',
        d.name,
        `The domain name ${d.name} was added, mapping ${paths(d.mappings, diff.revision.domains[d.name])} to ${diff.api}.`,
        diff.revision.file,
        domainPointer(d.name),
      ),
    )
  return out
}

/** A base path / API mapping of the API removed, added, or moved to another API or stage. */
export const domainMappings: DomainCheck = (diff) => {
  const out: Draft[] = []
  for (const m of diff.mappings) {
    const operation = `${m.domain} ${path(m.basePath)}`
    const where = `${m.domain}${path(m.basePath)}`
    if (m.base && !m.revision)
      out.push(
        draft(
          'domain-mapping-removed',
          operation,
          `The mapping ${where} → ${target(m.base)} was removed: clients calling ${where} no longer reach ${m.base.api} ` +
            '(API Gateway answers 403 Forbidden where no mapping matches).',
          diff.base.file,
          domainPointer(m.domain, 'mappings', m.base.index),
        ),
      )
    else if (!m.base && m.revision)
      out.push(
        draft(
          'domain-mapping-added',
          operation,
          `The mapping ${where} → ${target(m.revision)} was added.`,
          diff.revision.file,
          domainPointer(m.domain, 'mappings', m.revision.index),
        ),
      )
    else if (m.base && m.revision)
      out.push(
        draft(
          'domain-mapping-changed',
          operation,
          `The mapping ${where} moved from ${target(m.base)} to ${target(m.revision)}: clients calling ${where} reach ` +
            `${m.base.api === m.revision.api ? 'another stage' : 'another API'}.`,
          diff.revision.file,
          domainPointer(m.domain, 'mappings', m.revision.index),
        ),
      )
  }
  return out
}

/** The domain name's endpoint type, certificate or security policy changed. */
export const domainSettings: DomainCheck = (diff) => {
  const out: Draft[] = []
  for (const s of diff.settings) {
    const at = domainPointer(s.name, s.setting)
    if (s.setting === 'endpointType')
      out.push(
        draft(
          'domain-endpoint-type-changed',
          s.name,
          `The endpoint type of ${s.name} changed from ${s.from} to ${s.to}: its DNS target changes, so clients fail until the ` +
            `DNS record points at the new one${
              s.from === 'REGIONAL' ? ' (and API Gateway cannot turn a REGIONAL domain name into EDGE)' : ''
            }.`,
          diff.revision.file,
          at,
        ),
      )
    else if (s.setting === 'certificateArn')
      out.push(
        draft(
          'domain-certificate-changed',
          s.name,
          `The certificate of ${s.name} changed from ${s.from || 'none'} to ${s.to}: clients that pin the old certificate, ` +
            'or a certificate that does not cover the name, fail the TLS handshake.',
          diff.revision.file,
          at,
        ),
      )
    else if (s.to === 'TLS_1_2')
      out.push(
        draft(
          'domain-security-policy-tightened',
          s.name,
          `The security policy of ${s.name} changed from ${s.from} to ${s.to}: clients limited to TLS 1.0 or 1.1 are refused.`,
          diff.revision.file,
          at,
        ),
      )
    else
      out.push(
        draft(
          'domain-security-policy-relaxed',
          s.name,
          `The security policy of ${s.name} changed from ${s.from} to ${s.to}: older TLS versions are accepted too.`,
          diff.revision.file,
          at,
        ),
      )
  }
  return out
}

/**
 * The domain checks. A removed or moved mapping and a removed domain name are errors (clients on that path lose
 * the API or reach another one), as a removed path is; an endpoint type change is an error (the DNS target
 * changes); a new certificate or a stricter TLS policy is a warning (some clients may fail); additions are info.
 */
export const DOMAIN_DIFF_REGISTRY: readonly RegistryEntry<DomainsDiff>[] = [
  {id: 'domain-removed', level: 'error', area: 'domains', check: domainNames},
  {id: 'domain-added', level: 'info', area: 'domains', check: domainNames},
  {id: 'domain-mapping-removed', level: 'error', area: 'domains', check: domainMappings},
  {id: 'domain-mapping-changed', level: 'error', area: 'domains', check: domainMappings},
  {id: 'domain-mapping-added', level: 'info', area: 'domains', check: domainMappings},
  {id: 'domain-endpoint-type-changed', level: 'error', area: 'domains', check: domainSettings},
  {id: 'domain-certificate-changed', level: 'warning', area: 'domains', check: domainSettings},
  {id: 'domain-security-policy-tightened', level: 'warning', area: 'domains', check: domainSettings},
  {id: 'domain-security-policy-relaxed', level: 'info', area: 'domains', check: domainSettings},
]
