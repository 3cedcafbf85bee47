import {CliError} from '../../errors.ts'
import {type ApiType, type BackendKind, LAMBDA_ARN, NAME_PATTERN, STAGE_PATTERN, type TemplateMeta} from './types.ts'

const MAX_STAGES = 10

type Parsed<T> = {ok: true; value: T} | {ok: false; error: string}

export function validateName(value: string): true | string {
  if (NAME_PATTERN.test(value)) return true
  return `'${value}' is not a valid API name: use letters, digits, - and _ (starting with a letter or digit, 128 characters at most).`
}

export function parseStages(value: string, type?: ApiType): Parsed<string[]> {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (names.length === 0) return {ok: false, error: 'Give at least one stage name, e.g. dev,prod.'}
  for (const n of names) {
    if (n === '$default' && type !== 'rest') continue
    if (!STAGE_PATTERN.test(n)) {
      const extra = n === '$default' ? ' ($default exists only for HTTP APIs)' : ''
      return {ok: false, error: `'${n}' is not a valid stage name: use letters, digits, - and _ (128 characters at most)${extra}.`}
    }
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i)
  if (dup) return {ok: false, error: `Stage '${dup}' is listed twice.`}
  if (names.length > MAX_STAGES) return {ok: false, error: `An API has at most ${MAX_STAGES} stages; ${names.length} were given.`}
  return {ok: true, value: names}
}

export function validateLambdaArn(value: string): true | string {
  if (LAMBDA_ARN.test(value)) return true
  return `'${value}' is not a Lambda function ARN (arn:aws:lambda:<region>:<account-id>:function:<name>[:<alias>]).`
}

export function validateBackend(value: string, kind: BackendKind): true | string {
  if (kind === 'lambda') return validateLambdaArn(value)
  if (kind === 'none') return true
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `'${value}' is not a URL (e.g. https://api.example.com or http://localhost:3000).`
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `'${value}' must be an http:// or https:// URL.`
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return `'${value}' must be a plain base URL, without query, fragment or credentials.`
  }
  return true
}

export function validateIssuer(value: string): true | string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `'${value}' is not a URL (e.g. https://cognito-idp.us-east-1.amazonaws.com/<user-pool-id>).`
  }
  // JWT authorizers fetch the issuer's discovery document over HTTPS only (the emulator's local issuers: http on loopback).
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return `The JWT issuer '${value}' must be an https:// URL.`
  return true
}

export function parseList(value: string, what: string): Parsed<string[]> {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  return items.length === 0 ? {ok: false, error: `Give at least one ${what}.`} : {ok: true, value: items}
}

export function errorOf<T>(parsed: Parsed<T>): true | string {
  return parsed.ok ? true : parsed.error
}

export function unwrap<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw usage(parsed.error, 'See `apigw init --help` for the flags.')
  return parsed.value
}

export function usageIfError(result: true | string | Parsed<unknown>, flag: string): void {
  const error = typeof result === 'object' ? (result.ok ? undefined : result.error) : result === true ? undefined : result
  if (error !== undefined) throw usage(error, `Fix ${flag}; see \`apigw init --help\`.`)
}

export function usage(message: string, hint: string): CliError {
  return new CliError('USAGE', message, {hint})
}

export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value)
}

export function typeLabel(type: ApiType): string {
  return type === 'rest' ? 'a REST API' : 'an HTTP API'
}

export function templateIds(templates: TemplateMeta[], type: ApiType | undefined): string {
  return templates
    .filter((t) => !type || t.type === type)
    .map((t) => t.id)
    .join('|')
}

/** A valid API name from a folder name: `My API!` → `My-API`. */
export function suggestName(folder: string, fallback = 'my-api'): string {
  const cleaned = folder
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .replace(/-+$/, '')
    .slice(0, 128)
  return cleaned === '' ? fallback : cleaned
}
