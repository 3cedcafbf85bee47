/**
 * IAM policy documents as API Gateway evaluates them on the data plane: the policy a Lambda authorizer returns
 * (checked against the method ARN) and the API's resource policy (principal, `execute-api:/…` resources and
 * conditions such as `aws:SourceIp`). Explicit Deny wins over Allow; no matching statement is an implicit deny.
 * CIDR matching is node:net's BlockList.
 */
import {BlockList, isIP} from 'node:net'
import type {InvocationContext} from '../context.ts'

export type PolicyDecision = 'allow' | 'deny' | 'implicit'

/** A policy document that is not one (no Statement, an Effect other than Allow/Deny...). */
export class PolicyMalformed extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PolicyMalformed'
  }
}

/** The caller as policies see it: anonymous, or an IAM principal (AWS_IAM methods). */
export type PolicyPrincipal = {kind: 'anonymous'} | {kind: 'iam'; arn: string; accountId: string}

export type PolicyRequest = {
  action: string
  /** The method ARN being called. */
  resource: string
  principal?: PolicyPrincipal
  /** Condition keys (lower-case names: `aws:sourceip`) and their values; absent keys are absent. */
  conditionKeys?: Record<string, string>
  /** Expands the `execute-api:/stage/METHOD/path` shorthand of resource policies into a full ARN. */
  expandResource?: (resource: string) => string
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path without the leading slash}`. */
export function methodArn(ctx: InvocationContext): string {
  const path = ctx.request.path.startsWith('/') ? ctx.request.path.slice(1) : ctx.request.path
  return `${apiArnPrefix(ctx)}/${ctx.target.stageName ?? ''}/${ctx.request.method}/${path}`
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}`. */
export function apiArnPrefix(ctx: InvocationContext): string {
  return `arn:aws:execute-api:${ctx.deps.region}:${ctx.deps.accountId}:${ctx.target.apiId}`
}

const compiled = new Map<string, RegExp>()

/** IAM's wildcard match: `*` any run of characters (`/` included), `?` any one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`
  let re = compiled.get(key)
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's')
    if (compiled.size > 5000) compiled.clear()
    compiled.set(key, re)
  }
  return re.test(value)
}

function list(v: unknown, what: string): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[]
  throw new PolicyMalformed(`${what} must be a string or a list of strings`)
}

/** The statements of a policy document (a JSON string or an object). Throws PolicyMalformed. */
export function statementsOf(doc: unknown): Array<Record<string, unknown>> {
  let value = doc
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      throw new PolicyMalformed('the policy document is not JSON')
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new PolicyMalformed('the policy document is not an object')
  const raw = (value as Record<string, unknown>).Statement
  const statements = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : undefined
  if (!statements || statements.length === 0) throw new PolicyMalformed('the policy document has no Statement')
  for (const s of statements) {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new PolicyMalformed('a Statement is not an object')
    const effect = (s as Record<string, unknown>).Effect
    if (effect !== 'Allow' && effect !== 'Deny')
      throw new PolicyMalformed(`a Statement's Effect is ${JSON.stringify(effect)}, not Allow or Deny`)
  }
  return statements as Array<Record<string, unknown>>
}

/** Evaluate a policy document for one request. Throws PolicyMalformed for a document that is not one. */
export function evaluatePolicy(doc: unknown, request: PolicyRequest): PolicyDecision {
  let allowed = false
  for (const statement of statementsOf(doc)) {
    if (!statementApplies(statement, request)) continue
    if (statement.Effect === 'Deny') return 'deny'
    allowed = true
  }
  return allowed ? 'allow' : 'implicit'
}

function statementApplies(s: Record<string, unknown>, request: PolicyRequest): boolean {
  // Action / NotAction: service prefixes are case-insensitive (execute-api:invoke = execute-api:Invoke).
  if (s.Action !== undefined) {
    if (!list(s.Action, 'Action').some((a) => wildcardMatch(a, request.action, true))) return false
  } else if (s.NotAction !== undefined) {
    if (list(s.NotAction, 'NotAction').some((a) => wildcardMatch(a, request.action, true))) return false
  } else throw new PolicyMalformed('a Statement has no Action')
  const expand = request.expandResource ?? ((r: string) => r)
  if (s.Resource !== undefined) {
    if (!list(s.Resource, 'Resource').some((r) => wildcardMatch(expand(r), request.resource))) return false
  } else if (s.NotResource !== undefined) {
    if (list(s.NotResource, 'NotResource').some((r) => wildcardMatch(expand(r), request.resource))) return false
  } else throw new PolicyMalformed('a Statement has no Resource')
  if (request.principal) {
    if (s.Principal !== undefined && !principalMatches(s.Principal, request.principal)) return false
    if (s.NotPrincipal !== undefined && principalMatches(s.NotPrincipal, request.principal)) return false
  }
  if (s.Condition !== undefined) return conditionsHold(s.Condition, request.conditionKeys ?? {})
  return true
}

function principalMatches(value: unknown, principal: PolicyPrincipal): boolean {
  if (value === '*') return true
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new PolicyMalformed('Principal must be "*" or an object')
  const aws = (value as Record<string, unknown>).AWS
  if (aws === undefined) return false
  for (const p of list(aws, 'Principal.AWS')) {
    if (p === '*') return true
    if (principal.kind !== 'iam') continue
    if (p === principal.accountId || p === `arn:aws:iam::${principal.accountId}:root` || wildcardMatch(p, principal.arn)) return true
  }
  return false
}

/** Every operator block must hold, every key in it, any of a key's values (IAM's rules). */
function conditionsHold(condition: unknown, keys: Record<string, string>): boolean {
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition))
    throw new PolicyMalformed('Condition must be an object')
  for (const [rawOperator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (block === null || typeof block !== 'object' || Array.isArray(block))
      throw new PolicyMalformed(`Condition ${rawOperator} must be an object`)
    const operator = rawOperator.replace(/^(ForAnyValue|ForAllValues):/, '')
    const ifExists = operator.endsWith('IfExists')
    const op = ifExists ? operator.slice(0, -'IfExists'.length) : operator
    for (const [key, expected] of Object.entries(block as Record<string, unknown>)) {
      const values = list(typeof expected === 'boolean' || typeof expected === 'number' ? String(expected) : expected, `Condition ${key}`)
      const actual = keys[key.toLowerCase()]
      if (op === 'Null') {
        const wantsNull = values.some((v) => v.toLowerCase() === 'true')
        if ((actual === undefined) !== wantsNull) return false
        continue
      }
      if (actual === undefined) {
        // A missing key: IfExists holds; negated operators hold; the others fail (IAM's rules).
        if (ifExists || /^(StringNot|NotIpAddress|ArnNot)/.test(op)) continue
        return false
      }
      if (!operatorHolds(op, actual, values)) return false
    }
  }
  return true
}

function operatorHolds(op: string, actual: string, values: string[]): boolean {
  switch (op) {
    case 'StringEquals':
    case 'ArnEquals':
      return values.includes(actual)
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return !values.includes(actual)
    case 'StringEqualsIgnoreCase':
      return values.some((v) => v.toLowerCase() === actual.toLowerCase())
    case 'StringNotEqualsIgnoreCase':
      return !values.some((v) => v.toLowerCase() === actual.toLowerCase())
    case 'StringLike':
    case 'ArnLike':
      return values.some((v) => wildcardMatch(v, actual))
    case 'StringNotLike':
    case 'ArnNotLike':
      return !values.some((v) => wildcardMatch(v, actual))
    case 'Bool':
      return values.some((v) => v.toLowerCase() === actual.toLowerCase())
    case 'IpAddress':
      return inCidrs(actual, values)
    case 'NotIpAddress':
      return !inCidrs(actual, values)
    case 'DateLessThan':
      return values.some((v) => Date.parse(actual) < Date.parse(v))
    case 'DateGreaterThan':
      return values.some((v) => Date.parse(actual) > Date.parse(v))
    default:
      throw new PolicyMalformed(`the condition operator ${op} is not supported by the apigw local emulator yet`)
  }
}

function inCidrs(ip: string, cidrs: string[]): boolean {
  const family = isIP(ip)
  if (family === 0) return false
  const blocks = new BlockList()
  for (const cidr of cidrs) {
    const [net, bits] = cidr.split('/')
    const netFamily = isIP(net ?? '')
    if (netFamily === 0) throw new PolicyMalformed(`${cidr} is not an IP address or CIDR block`)
    const type = netFamily === 4 ? 'ipv4' : 'ipv6'
    if (bits === undefined) blocks.addAddress(net!, type)
    else blocks.addSubnet(net!, Number(bits), type)
  }
  return blocks.check(ip, family === 4 ? 'ipv4' : 'ipv6')
}
