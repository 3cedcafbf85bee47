/**
 * The Lambda proxy events of WebSocket APIs, as AWS sends them
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-mapping-template-reference.html):
 * CONNECT carries the handshake's headers and query string, MESSAGE the frame's body, DISCONNECT the close code.
 */
import {randomUUID} from 'node:crypto'
import {formatRequestTime} from '../context-vars.ts'
import {randomBase64} from '../random.ts'

export type EventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT'

/** What a connection keeps from its handshake. */
export type ConnectionInfo = {
  connectionId: string
  apiId: string
  stage: string
  domainName: string
  connectedAt: number
  sourceIp: string
  userAgent: string
  headers: Record<string, string>
  multiValueHeaders: Record<string, string[]>
  query: Record<string, string>
  multiValueQuery: Record<string, string[]>
  stageVariables: Record<string, string>
  /** The $connect authorizer's principalId and context, handed to every later event. */
  authorizer?: Record<string, unknown> | undefined
  /** The IAM caller of an AWS_IAM $connect (SigV4 verified), in every event's identity. */
  iam?: {accessKey: string; accountId: string; user: string; userArn: string} | undefined
}

/** A connection id as AWS's look: 12 random bytes in base64 (16 characters, ending in `=`). */
export function newConnectionId(): string {
  return `${randomBase64(11).slice(0, 15)}=`
}

export type EventInput = {
  conn: ConnectionInfo
  routeKey: string
  eventType: EventType
  now: Date
  requestId?: string
  body?: string | undefined
  isBase64Encoded?: boolean
  disconnect?: {statusCode: number; reason: string}
  /** The event's ids, drawn once (eventIdsOf) so its event, $context and access log line show the same ones. */
  ids?: EventIds
}

type EventIds = {extendedRequestId: string; requestId: string; messageId: string | undefined}

function eventIdsOf(input: EventInput): EventIds {
  input.ids ??= {
    extendedRequestId: `${randomBase64(6).slice(0, 7)}=`,
    requestId: input.requestId ?? randomUUID(),
    messageId: input.eventType === 'MESSAGE' ? `${randomBase64(6).slice(0, 7)}=` : undefined,
  }
  return input.ids
}

/** Built once per event, so the event, its templates' $context and its access log line show the same ids. */
const contexts = new WeakMap<EventInput, Record<string, unknown>>()

/** The requestContext of every event (and $context of templates and access logs); callers must not change it. */
export function requestContextOf(input: EventInput): Record<string, unknown> {
  let ctx = contexts.get(input)
  if (!ctx) {
    ctx = buildRequestContext(input)
    contexts.set(input, ctx)
  }
  return ctx
}

function buildRequestContext(input: EventInput): Record<string, unknown> {
  const {conn, now} = input
  const ids = eventIdsOf(input)
  const ctx: Record<string, unknown> = {
    routeKey: input.routeKey,
    eventType: input.eventType,
    extendedRequestId: ids.extendedRequestId,
    requestTime: formatRequestTime(now),
    messageDirection: 'IN',
    stage: conn.stage,
    connectedAt: conn.connectedAt,
    requestTimeEpoch: now.getTime(),
    identity: identityOf(conn),
    requestId: ids.requestId,
    domainName: conn.domainName,
    connectionId: conn.connectionId,
    apiId: conn.apiId,
  }
  if (ids.messageId !== undefined) ctx.messageId = ids.messageId
  if (input.disconnect) {
    ctx.disconnectStatusCode = input.disconnect.statusCode
    ctx.disconnectReason = input.disconnect.reason
  }
  if (conn.authorizer) ctx.authorizer = conn.authorizer
  return ctx
}

function identityOf(conn: ConnectionInfo): Record<string, unknown> {
  return {
    sourceIp: conn.sourceIp,
    userAgent: conn.userAgent,
    ...(conn.iam
      ? {
          accessKey: conn.iam.accessKey,
          accountId: conn.iam.accountId,
          caller: conn.iam.user,
          user: conn.iam.user,
          userArn: conn.iam.userArn,
        }
      : {}),
  }
}

/** A connection's parts of its MESSAGE events' JSON, serialized at its first message (its info is final by then). */
type FixedParts = {afterTime: string; afterEpoch: string; afterRequestId: string; afterMessageId: string; tail: string}
const fixedParts = new WeakMap<ConnectionInfo, FixedParts>()

function fixedPartsOf(conn: ConnectionInfo): FixedParts {
  let parts = fixedParts.get(conn)
  if (!parts) {
    const j = JSON.stringify
    parts = {
      afterTime: `,"messageDirection":"IN","stage":${j(conn.stage)},"connectedAt":${j(conn.connectedAt)}`,
      afterEpoch: `,"identity":${j(identityOf(conn))}`,
      afterRequestId: `,"domainName":${j(conn.domainName)},"connectionId":${j(conn.connectionId)},"apiId":${j(conn.apiId)}`,
      afterMessageId: conn.authorizer ? `,"authorizer":${j(conn.authorizer)}` : '',
      tail: Object.keys(conn.stageVariables).length > 0 ? `,"stageVariables":${j(conn.stageVariables)}` : '',
    }
    fixedParts.set(conn, parts)
  }
  return parts
}

/**
 * The AWS_PROXY event of a route as JSON: `JSON.stringify(proxyEvent(input))`, character for character. A MESSAGE
 * event (one per frame) is written from its connection's parts serialized once and the few members that change.
 */
export function proxyEventJson(input: EventInput): string {
  if (input.eventType !== 'MESSAGE') return JSON.stringify(proxyEvent(input))
  const j = JSON.stringify
  const parts = fixedPartsOf(input.conn)
  const ids = eventIdsOf(input)
  // The ids (base64) and requestTime hold no character JSON escapes, the epoch is an integer: written as they are,
  // without a JSON.stringify call each.
  return (
    `{"requestContext":{"routeKey":${j(input.routeKey)},"eventType":"MESSAGE","extendedRequestId":"${ids.extendedRequestId}",` +
    `"requestTime":"${formatRequestTime(input.now)}"${parts.afterTime},"requestTimeEpoch":${epochJson(input.now)}${parts.afterEpoch},` +
    `"requestId":${j(ids.requestId)}${parts.afterRequestId},"messageId":"${ids.messageId}"${parts.afterMessageId}},` +
    `"body":${j(input.body ?? '')},"isBase64Encoded":${input.isBase64Encoded === true}${parts.tail}}`
  )
}

/** A time's epoch milliseconds as JSON.stringify writes them (an integer; null for an invalid date). */
function epochJson(d: Date): string {
  const t = d.getTime()
  return Number.isFinite(t) ? String(t) : 'null'
}

/** The AWS_PROXY event of a route. */
export function proxyEvent(input: EventInput): Record<string, unknown> {
  const {conn} = input
  const event: Record<string, unknown> = {}
  if (input.eventType !== 'MESSAGE') {
    event.headers = conn.headers
    event.multiValueHeaders = conn.multiValueHeaders
  }
  if (input.eventType === 'CONNECT' && Object.keys(conn.query).length > 0) {
    event.queryStringParameters = conn.query
    event.multiValueQueryStringParameters = conn.multiValueQuery
  }
  event.requestContext = requestContextOf(input)
  if (input.eventType === 'MESSAGE') event.body = input.body ?? ''
  event.isBase64Encoded = input.isBase64Encoded ?? false
  if (Object.keys(conn.stageVariables).length > 0) event.stageVariables = conn.stageVariables
  return event
}
