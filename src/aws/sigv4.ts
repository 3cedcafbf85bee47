/**
 * SigV4 for `apigw invoke --sign`: the credentials the command resolved (AWS: the SDK's own chain with
 * --profile; the emulator: the `test`/`test` pair `apigw local start` accepts by default, or AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY when set), and @smithy/signature-v4 signing the request for `execute-api` (with the node:crypto
 * adapter the emulator verifies with).
 */
import {SignatureV4} from '@smithy/signature-v4'
import {NodeSha256} from '../core/sigv4-hash.ts'
import type {AwsClients} from './clients.ts'

export type SigningCredentials = {accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined}

/** The emulator's default key pair for AWS_IAM methods (README). */
export const LOCAL_IAM_CREDENTIALS: SigningCredentials = {accessKeyId: 'test', secretAccessKey: 'test'}

/** The credentials `invoke --sign` signs with. */
export async function signingCredentials(aws: AwsClients): Promise<SigningCredentials> {
  let resolved: SigningCredentials
  if (aws.local) {
    const id = process.env.AWS_ACCESS_KEY_ID
    const secret = process.env.AWS_SECRET_ACCESS_KEY
    if (!aws.options.profile && id && secret) return {accessKeyId: id, secretAccessKey: secret, sessionToken: process.env.AWS_SESSION_TOKEN}
    if (!aws.options.profile) return LOCAL_IAM_CREDENTIALS
    // The local clients carry the emulator's static pair: the profile's own keys come from the SDK's chain.
    const {APIGatewayClient} = await import('@aws-sdk/client-api-gateway')
    const client = new APIGatewayClient({region: aws.options.region ?? 'us-east-1', profile: aws.options.profile})
    try {
      resolved = await client.config.credentials()
    } finally {
      client.destroy()
    }
  } else resolved = await (await aws.apiGateway()).config.credentials()
  return {accessKeyId: resolved.accessKeyId, secretAccessKey: resolved.secretAccessKey, sessionToken: resolved.sessionToken}
}

/** The request's headers with SigV4's (`authorization`, `x-amz-date`, `x-amz-content-sha256`, token) added. */
export async function signExecuteApi(input: {
  method: string
  url: string
  headers: Array<[string, string]>
  body?: Uint8Array | undefined
  region: string
  credentials: SigningCredentials
  /** When the request is signed (default: now). */
  signingDate?: Date | undefined
}): Promise<Array<[string, string]>> {
  const url = new URL(input.url)
  const headers: Record<string, string> = {host: url.host}
  for (const [k, v] of input.headers) headers[k.toLowerCase()] = headers[k.toLowerCase()] ? `${headers[k.toLowerCase()]},${v}` : v
  const query: Record<string, string | string[]> = {}
  for (const [k, v] of url.searchParams) {
    const prev = query[k]
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
  }
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: input.credentials.accessKeyId,
      secretAccessKey: input.credentials.secretAccessKey,
      ...(input.credentials.sessionToken ? {sessionToken: input.credentials.sessionToken} : {}),
    },
    region: input.region,
    service: 'execute-api',
    sha256: NodeSha256,
  })
  const signed = await signer.sign(
    {
      method: input.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? {port: Number(url.port)} : {}),
      path: url.pathname,
      query,
      headers,
      ...(input.body ? {body: input.body} : {}),
    },
    input.signingDate ? {signingDate: input.signingDate} : undefined,
  )
  return Object.entries(signed.headers as Record<string, string>).filter(([k]) => k.toLowerCase() !== 'host')
}
