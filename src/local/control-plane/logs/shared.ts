/**
 * What the CloudWatch Logs operations share: the stored documents (kinds loggroup and logstream, see
 * ../model.ts), AWS's errors with their verbatim messages, input readers that answer wrong shapes the way
 * AWS does, ARNs and log-group identifiers.
 *
 * Messages come from corpus/aws-ground-truth/20-cloudwatch-logs-groups-streams-filter.json and
 * reference/aws-wire-protocol.md §4; API reference: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/
 */
import {AwsError} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {OperationContext} from '../../types.ts'
import {KIND} from '../model.ts'

/** A log group as stored: the DescribeLogGroups members that are state, plus private ones. */
export type LogGroupDoc = {
  logGroupName: string
  creationTime: number
  retentionInDays?: number
  kmsKeyId?: string
  logGroupClass: string
  /** Bytes of every message ingested (AWS reports its compressed storage; close enough locally). */
  storedBytes: number
  deletionProtectionEnabled: boolean
  tags?: Record<string, string>
}

/** A log stream as stored; the event-time members appear once the stream has events. */
export type LogStreamDoc = {
  logGroupName: string
  logStreamName: string
  creationTime: number
  firstEventTimestamp?: number
  lastEventTimestamp?: number
  lastIngestionTime?: number
  uploadSequenceToken?: string
}

export const streamId = (group: string, stream: string): string => `${group}\n${stream}`

// --- errors (all HTTP 400 on the awsJson1_1 wire) -------------------------------------------------------

export const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message, 400)
export const resourceNotFound = (message: string): AwsError => new AwsError('ResourceNotFoundException', message, 400)
export const alreadyExists = (message: string): AwsError => new AwsError('ResourceAlreadyExistsException', message, 400)
export const validation = (message: string): AwsError => new AwsError('ValidationException', message, 400)

// Verbatim AWS messages (recording 20 and localstack's AWS-validated snapshots of test_logs_*.py).
export const MSG = {
  groupNotFound: 'The specified log group does not exist.',
  streamNotFound: 'The specified log stream does not exist.',
  groupExists: 'The specified log group already exists',
  streamExists: 'The specified log stream already exists',
  badToken: 'The specified nextToken is invalid.',
  nameTooLong: 'Invalid LogGroup or LogStream, both must have length less than or equal to 512.',
  prefixAndPattern: 'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
  nameAndArn: 'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
  nameOrArnRequired: 'Should provide either name or ARN of LogGroup.',
  chronological: 'Log events in a single PutLogEvents request must be in chronological order.',
  span24h: 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
  orderByPrefix: 'Cannot order by LastEventTime with a logStreamNamePrefix.',
  streamNamesAndPrefix: 'Cannot specify both logStreamNames and logStreamNamePrefix.',
} as const

/**
 * AWS's constraint messages for Logs ("1 validation error detected: …"). The recording shows Logs sends them
 * as InvalidParameterException (limit 10001 on FilterLogEvents and GetLogEvents), so every one does here.
 */
export function constraintError(value: unknown, member: string, constraint: string): AwsError {
  const shown = value === null || value === undefined ? 'null' : `'${String(value)}'`
  return invalidParameter(`1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`)
}

// --- input readers ----------------------------------------------------------------------------------------

function wrongType(member: string, expected: string): AwsError {
  return new AwsError('SerializationException', `Unexpected value type for '${member}': expected ${expected}`, 400)
}

export function optString(input: Record<string, unknown>, member: string): string | undefined {
  const v = input[member]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw wrongType(member, 'a string')
  return v
}

export function reqString(input: Record<string, unknown>, member: string): string {
  const v = optString(input, member)
  if (v === undefined) throw constraintError(null, member, 'Member must not be null')
  return v
}

export function optNumber(input: Record<string, unknown>, member: string): number | undefined {
  const v = input[member]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongType(member, 'a number')
  return Math.trunc(v)
}

export function optBoolean(input: Record<string, unknown>, member: string): boolean | undefined {
  const v = input[member]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') throw wrongType(member, 'a boolean')
  return v
}

export function optStringList(input: Record<string, unknown>, member: string): string[] | undefined {
  const v = input[member]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw wrongType(member, 'a list of strings')
  return v as string[]
}

export function optStringMap(input: Record<string, unknown>, member: string): Record<string, string> | undefined {
  const v = input[member]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw wrongType(member, 'a map of strings')
  }
  return v as Record<string, string>
}

/** A `limit` member within [1, max], else AWS's constraint message; `fallback` when absent. */
export function limitOf(input: Record<string, unknown>, max: number, fallback: number): number {
  const limit = optNumber(input, 'limit')
  if (limit === undefined) return fallback
  if (limit < 1) throw constraintError(limit, 'limit', 'Member must have value greater than or equal to 1')
  if (limit > max) throw constraintError(limit, 'limit', `Member must have value less than or equal to ${max}`)
  return limit
}

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/
const STREAM_NAME = /^[^:*]*$/

export function checkGroupName(name: string, member = 'logGroupName'): void {
  if (name.length > 512) throw invalidParameter(MSG.nameTooLong)
  if (name.length < 1) throw constraintError(name, member, 'Member must have length greater than or equal to 1')
  if (!GROUP_NAME.test(name)) {
    throw constraintError(name, member, 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+')
  }
}

export function checkStreamName(name: string, member = 'logStreamName'): void {
  if (name.length > 512) throw invalidParameter(MSG.nameTooLong)
  if (name.length < 1) throw constraintError(name, member, 'Member must have length greater than or equal to 1')
  if (!STREAM_NAME.test(name)) throw constraintError(name, member, 'Member must satisfy regular expression pattern: [^:*]*')
}

// --- ARNs and identifiers -----------------------------------------------------------------------------

/** `arn:aws:logs:{region}:{account}:log-group:{name}` (logGroupArn; `arn` adds `:*`). */
export function logGroupArn(ctx: OperationContext, name: string): string {
  return `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}`
}

export function logStreamArn(ctx: OperationContext, group: string, stream: string): string {
  return `${logGroupArn(ctx, group)}:log-stream:${stream}`
}

/** The log group name from a `logGroupIdentifier`: a name, or an ARN with or without `:*`. */
export function groupNameFromIdentifier(identifier: string): string {
  if (!identifier.startsWith('arn:')) return identifier
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::.*)?$/.exec(identifier)
  if (!m) throw invalidParameter(MSG.groupNotFound)
  return m[1]!
}

/**
 * The log group an operation names through `logGroupName` xor `logGroupIdentifier`
 * (both: ValidationException as AWS answers DescribeLogStreams; neither: InvalidParameterException).
 */
export function groupNameOf(input: Record<string, unknown>, required = true): string | undefined {
  const name = optString(input, 'logGroupName')
  const identifier = optString(input, 'logGroupIdentifier')
  if (name !== undefined && identifier !== undefined) throw validation(MSG.nameAndArn)
  if (name !== undefined) return name
  if (identifier !== undefined) return groupNameFromIdentifier(identifier)
  if (required) throw invalidParameter(MSG.nameOrArnRequired)
  return undefined
}

export function requireGroup(store: Store, name: string): LogGroupDoc {
  const group = store.get<LogGroupDoc>(KIND.logGroup, name)
  if (!group) throw resourceNotFound(MSG.groupNotFound)
  return group
}

export function requireStream(store: Store, group: string, stream: string): LogStreamDoc {
  const doc = store.get<LogStreamDoc>(KIND.logStream, streamId(group, stream))
  if (!doc) throw resourceNotFound(MSG.streamNotFound)
  return doc
}

// --- opaque page tokens -------------------------------------------------------------------------------

/** An opaque nextToken: base64url JSON with a version marker. */
export function encodeToken(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({v: 1, ...value})).toString('base64url')
}

/** Decode a token from encodeToken, or throw AWS's InvalidParameterException. */
export function decodeToken(token: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown
    if (value && typeof value === 'object' && !Array.isArray(value) && (value as {v?: unknown}).v === 1) {
      return value as Record<string, unknown>
    }
  } catch {
    // fall through
  }
  throw invalidParameter(MSG.badToken)
}
