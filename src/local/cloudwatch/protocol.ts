/**
 * CloudWatch's two wire protocols on the emulator's port, as its clients send them:
 * - JSON 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.<Operation>`, application/x-amz-json-1.0): the current
 *   @aws-sdk/client-cloudwatch. Timestamps are epoch seconds; errors `{"__type","message"}` with the awsQuery
 *   code in `x-amzn-query-error: Code;Sender` (the service is awsQueryCompatible).
 * - awsQuery (form-encoded `Action=<Operation>&Version=2010-08-01`, XML answers): the AWS CLI v2 up to 2.2x and
 *   older SDKs. Lists are `Name.member.N`, timestamps ISO 8601, errors `<ErrorResponse>`.
 * The XML is built with @aws-sdk/xml-builder (the SDK's own, escaping included).
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import {XmlNode, XmlText} from '@aws-sdk/xml-builder'
import {AwsError, notImplemented} from '../protocol/aws-error.ts'
import {parseJson} from '../protocol/json.ts'
import type {Store} from '../store/store.ts'
import {CLOUDWATCH_READ_ONLY, type CloudWatchContext, cloudWatchOperations} from './operations.ts'

export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.'
const XML_NAMESPACE = 'http://monitoring.amazonaws.com/doc/2010-08-01/'

export type CloudWatchWire = 'json' | 'query'

/** CloudWatch operations the emulator does not serve yet: a 501 naming them (src/local/LIMITATIONS.md). */
const KNOWN_OPERATIONS = new Set([
  'PutMetricData',
  'PutCompositeAlarm',
  'DescribeAlarmHistory',
  'DescribeAlarmsForMetric',
  'DisableAlarmActions',
  'EnableAlarmActions',
  'GetMetricWidgetImage',
  'PutDashboard',
  'GetDashboard',
  'ListDashboards',
  'DeleteDashboards',
  'PutAnomalyDetector',
  'DescribeAnomalyDetectors',
  'DeleteAnomalyDetector',
  'PutMetricStream',
  'ListMetricStreams',
  'PutInsightRule',
  'DescribeInsightRules',
  'GetInsightRuleReport',
  'PutManagedInsightRules',
  'ListManagedInsightRules',
])

/** Which CloudWatch protocol a control-plane request speaks, or undefined when it is not CloudWatch. */
export function cloudWatchWire(req: IncomingMessage, pathname: string): CloudWatchWire | undefined {
  const target = req.headers['x-amz-target']
  if (typeof target === 'string') return target.startsWith(CLOUDWATCH_TARGET_PREFIX) ? 'json' : undefined
  const type = req.headers['content-type'] ?? ''
  return req.method === 'POST' && pathname === '/' && type.startsWith('application/x-www-form-urlencoded') ? 'query' : undefined
}

/** The awsQuery form as nested members: `A.member.1.B=x` → `{A: [{B: 'x'}]}`; every value a string. */
export function parseQueryForm(body: string): {action: string; input: Record<string, unknown>} {
  const input: Record<string, unknown> = {}
  let action = ''
  for (const [key, value] of new URLSearchParams(body)) {
    if (key === 'Action') {
      action = value
      continue
    }
    if (key === 'Version') continue
    const parts = key.split('.')
    let node: Record<string, unknown> | unknown[] = input
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!
      const last = i === parts.length - 1
      if (part === 'member' && Array.isArray(node)) continue
      const isIndex = /^\d+$/.test(part) && Array.isArray(node)
      const slot = isIndex ? Number(part) - 1 : part
      const nextIsList = parts[i + 1] === 'member'
      const holder = node as Record<string | number, unknown>
      if (last) {
        holder[slot] = value
        break
      }
      if (holder[slot] === undefined) holder[slot] = nextIsList ? [] : {}
      node = holder[slot] as Record<string, unknown> | unknown[]
    }
  }
  return {action, input: compact(input) as Record<string, unknown>}
}

/** Sparse arrays (member indexes with gaps) made dense. */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compact)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]))
  return value
}

/** JSON 1.0 values: Dates as epoch seconds, Maps as objects. */
function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, toJson(v)]))
  if (Array.isArray(value)) return value.map(toJson)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]))
  return value
}

/** awsQuery XML members: lists as `<member>`, maps as `<entry><key/><value/></entry>`, timestamps ISO 8601. */
function toXml(name: string, value: unknown): XmlNode {
  const node = new XmlNode(name)
  if (value instanceof Date) return node.c(new XmlText(value.toISOString()))
  if (value instanceof Map) {
    for (const [k, v] of value) node.c(new XmlNode('entry').c(toXml('key', k)).c(toXml('value', v)))
    return node
  }
  if (Array.isArray(value)) {
    for (const item of value) node.c(toXml('member', item))
    return node
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) node.c(toXml(k, v))
    return node
  }
  return node.c(new XmlText(String(value)))
}

/** The awsQuery error code of an error (`x-amzn-query-error`) and the JSON 1.0 shape name (`__type`). */
const SHAPE_OF_CODE: Record<string, string> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  InvalidFormat: 'InvalidFormatFault',
  LimitExceeded: 'LimitExceededFault',
  InternalServiceError: 'InternalServiceFault',
}

export function writeCloudWatchError(res: ServerResponse, wire: CloudWatchWire, error: AwsError, requestId: string): void {
  const sender = error.status < 500 ? 'Sender' : 'Receiver'
  if (wire === 'json') {
    const text = JSON.stringify({__type: SHAPE_OF_CODE[error.code] ?? error.code, message: error.message})
    res.writeHead(error.status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': requestId,
      'x-amzn-query-error': `${error.code};${sender}`,
      'content-length': Buffer.byteLength(text),
    })
    res.end(text)
    return
  }
  const xml = new XmlNode('ErrorResponse')
    .a('xmlns', XML_NAMESPACE)
    .c(toXml('Error', {Type: sender, Code: error.code, Message: error.message}))
    .c(toXml('RequestId', requestId))
  const text = xml.toString()
  res.writeHead(error.status, {'content-type': 'text/xml', 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(text)})
  res.end(text)
}

/**
 * Serve one CloudWatch request (its body already read): resolves with the operation's name. Reads run in a
 * read transaction, the rest (DescribeAlarms writes the states it evaluates) in one write transaction.
 */
export async function serveCloudWatch(
  wire: CloudWatchWire,
  req: IncomingMessage,
  rawBody: Buffer,
  res: ServerResponse,
  ctx: CloudWatchContext,
  requestId: string,
): Promise<string> {
  let operation = 'Unknown'
  try {
    let input: Record<string, unknown>
    if (wire === 'json') {
      operation = String(req.headers['x-amz-target']).slice(CLOUDWATCH_TARGET_PREFIX.length)
      input = parseJson(rawBody)
    } else {
      const form = parseQueryForm(rawBody.toString('utf8'))
      if (!form.action) throw new AwsError('MissingAction', 'Could not find operation to perform: the Action parameter is missing.', 400)
      operation = form.action
      input = form.input
    }
    const op = Object.hasOwn(cloudWatchOperations, operation) ? cloudWatchOperations[operation] : undefined
    if (!op && KNOWN_OPERATIONS.has(operation)) throw notImplemented(operation)
    if (!op) {
      throw wire === 'json'
        ? new AwsError('UnknownOperationException', `Unknown operation ${CLOUDWATCH_TARGET_PREFIX}${operation}`, 400)
        : new AwsError('InvalidAction', `The action ${operation} is not valid for this web service.`, 400)
    }
    const store: Store = ctx.store
    const output = await (CLOUDWATCH_READ_ONLY.has(operation) ? store.read(() => op(input, ctx)) : store.transaction(() => op(input, ctx)))
    if (wire === 'json') {
      const text = JSON.stringify(toJson(output ?? {}))
      res.writeHead(200, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': requestId,
        'content-length': Buffer.byteLength(text),
      })
      res.end(text)
    } else {
      const xml = new XmlNode(`${operation}Response`).a('xmlns', XML_NAMESPACE)
      const result = output as Record<string, unknown>
      if (result && Object.keys(result).length > 0) xml.c(toXml(`${operation}Result`, result))
      xml.c(toXml('ResponseMetadata', {RequestId: requestId}))
      const text = xml.toString()
      res.writeHead(200, {'content-type': 'text/xml', 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(text)})
      res.end(text)
    }
  } catch (error) {
    const aws = error instanceof AwsError ? error : new AwsError('InternalServiceError', `Internal error: ${(error as Error).message}`, 500)
    if (!(error instanceof AwsError) && process.env.APIGW_LOCAL_DEBUG) process.stderr.write(`${(error as Error).stack}\n`)
    writeCloudWatchError(res, wire, aws, requestId)
  }
  return operation
}
