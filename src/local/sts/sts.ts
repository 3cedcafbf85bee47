/**
 * STS on the emulator's port, so SDKs and tools that look up their account first work: GetCallerIdentity answers
 * the local account, the caller's access key as `UserId` and an IAM user ARN named after it. Told apart from the
 * other services as AWS's clients send it:
 * - awsQuery (what @aws-sdk/client-sts, botocore and the AWS CLI send): `POST /` with the form
 *   `Action=GetCallerIdentity&Version=2011-06-15`, or `GET /?Action=…&Version=…` (presigned URLs); XML answers;
 * - JSON 1.0 (`X-Amz-Target: AWSSecurityTokenServiceV20110615.GetCallerIdentity`), for clients generated that way.
 * A request is STS's when its SigV4 credential scope names the `sts` service, or its form or query carries STS's
 * `Version=2011-06-15`. Other STS actions answer 501 NotImplemented (src/local/LIMITATIONS.md).
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import {XmlNode, XmlText} from '@aws-sdk/xml-builder'

const VERSION = '2011-06-15'
const TARGET_PREFIX = 'AWSSecurityTokenServiceV20110615.'
const XML_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/'

export type StsWire = {wire: 'query' | 'json'; action: string}

/** The SigV4 scope's service (`Credential=AKID/20260101/us-east-1/sts/aws4_request`), from the header or a presigned URL. */
function scopeOf(req: IncomingMessage, url: URL): {accessKeyId: string; service: string} | undefined {
  const auth = req.headers.authorization ?? ''
  const credential = /Credential=([^,\s]+)/.exec(auth)?.[1] ?? url.searchParams.get('X-Amz-Credential') ?? ''
  const [accessKeyId, , , service] = credential.split('/')
  return accessKeyId && service ? {accessKeyId, service} : undefined
}

/** Whether a control-plane request is STS's, and which action it asks for; undefined when it is another service's. */
export function stsRequest(req: IncomingMessage, url: URL, rawBody: Buffer): StsWire | undefined {
  const target = req.headers['x-amz-target']
  if (typeof target === 'string')
    return target.startsWith(TARGET_PREFIX) ? {wire: 'json', action: target.slice(TARGET_PREFIX.length)} : undefined
  if (url.pathname !== '/') return undefined
  const isSts = scopeOf(req, url)?.service === 'sts'
  if (req.method === 'GET') {
    const version = url.searchParams.get('Version')
    const action = url.searchParams.get('Action')
    return action && (isSts || version === VERSION) ? {wire: 'query', action} : undefined
  }
  const type = req.headers['content-type'] ?? ''
  if (req.method !== 'POST' || !type.startsWith('application/x-www-form-urlencoded')) return undefined
  const form = new URLSearchParams(rawBody.toString('utf8'))
  if (!isSts && form.get('Version') !== VERSION) return undefined
  return {wire: 'query', action: form.get('Action') ?? ''}
}

function xmlOf(name: string, members: Record<string, string>): XmlNode {
  const node = new XmlNode(name)
  for (const [k, v] of Object.entries(members)) node.c(new XmlNode(k).c(new XmlText(v)))
  return node
}

function send(res: ServerResponse, status: number, type: string, text: string, requestId: string): void {
  res.writeHead(status, {'content-type': type, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(text)})
  res.end(text)
}

/** Answer one STS request; returns the operation's name (for the request log). */
export function serveSts(sts: StsWire, req: IncomingMessage, url: URL, res: ServerResponse, accountId: string, requestId: string): string {
  const operation = sts.action || 'Unknown'
  if (sts.action !== 'GetCallerIdentity') {
    const [code, status, message] = !sts.action
      ? ['MissingAction', 400, 'Missing Action']
      : ['NotImplemented', 501, `The operation ${sts.action} is not supported by the apigw local emulator yet (see LIMITATIONS.md).`]
    if (sts.wire === 'json') {
      send(res, status, 'application/x-amz-json-1.0', JSON.stringify({__type: code, message}), requestId)
    } else {
      const xml = new XmlNode('ErrorResponse')
        .a('xmlns', XML_NAMESPACE)
        .c(xmlOf('Error', {Type: status < 500 ? 'Sender' : 'Receiver', Code: code, Message: message}))
        .c(xmlOf('RequestId', {}).c(new XmlText(requestId)))
      send(res, status, 'text/xml', xml.toString(), requestId)
    }
    return operation
  }
  const accessKeyId = scopeOf(req, url)?.accessKeyId ?? 'anonymous'
  const identity = {UserId: accessKeyId, Account: accountId, Arn: `arn:aws:iam::${accountId}:user/${accessKeyId}`}
  if (sts.wire === 'json') {
    send(res, 200, 'application/x-amz-json-1.0', JSON.stringify(identity), requestId)
    return operation
  }
  const xml = new XmlNode('GetCallerIdentityResponse')
    .a('xmlns', XML_NAMESPACE)
    .c(xmlOf('GetCallerIdentityResult', {Arn: identity.Arn, UserId: identity.UserId, Account: identity.Account}))
    .c(xmlOf('ResponseMetadata', {RequestId: requestId}))
  send(res, 200, 'text/xml', xml.toString(), requestId)
  return operation
}
