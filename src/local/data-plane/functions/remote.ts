/**
 * Functions not defined locally, invoked through the Lambda Invoke API at --lambda-endpoint (for example
 * `sam local start-lambda`, or LocalStack): `POST /2015-03-31/functions/{name}/invocations[?Qualifier=]`
 * with `X-Amz-Invocation-Type`; a function error comes back as 200 with `X-Amz-Function-Error`.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import type {FunctionRef} from './ref.ts'
import {FunctionEndpointError, FunctionNotFoundError, type InvocationType, type InvokeResult} from './types.ts'

/** Lambda's own limit on a synchronous invocation (15 minutes). */
const MAX_INVOKE_MS = 900_000

export async function invokeRemote(
  endpoint: string,
  ref: FunctionRef,
  payload: Buffer,
  invocationType: InvocationType,
): Promise<InvokeResult> {
  const base = endpoint.replace(/\/+$/, '')
  const query = ref.qualifier ? `?Qualifier=${encodeURIComponent(ref.qualifier)}` : ''
  const url = `${base}/2015-03-31/functions/${encodeURIComponent(ref.name)}/invocations${query}`
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {'content-type': 'application/json', 'x-amz-invocation-type': invocationType, 'x-amz-log-type': 'None'},
      body: new Uint8Array(payload),
      signal: AbortSignal.timeout(MAX_INVOKE_MS),
    })
  } catch (error) {
    const reason = (error as {cause?: {code?: string}}).cause?.code ?? (error as Error).message
    throw new FunctionEndpointError(
      ref.name,
      `Lambda function ${ref.name} could not be invoked: --lambda-endpoint ${base} did not answer (${reason}).`,
      `Start the Lambda endpoint (for example \`sam local start-lambda\`), or define ${ref.name} under functions: in apigw.yaml.`,
      {cause: error},
    )
  }
  const body = Buffer.from(await res.arrayBuffer())
  if (res.status === 200 || res.status === 202 || res.status === 204) {
    const functionError = res.headers.get('x-amz-function-error')
    const logResult = res.headers.get('x-amz-log-result')
    const result: InvokeResult = {statusCode: res.status, payload: body}
    if (functionError) result.functionError = functionError === 'Handled' ? 'Handled' : 'Unhandled'
    if (logResult) result.logs = Buffer.from(logResult, 'base64').toString('utf8')
    return result
  }
  const type = errorTypeOf(res, body)
  if (res.status === 404 || type === 'ResourceNotFoundException') {
    throw new FunctionNotFoundError(
      ref.name,
      `Lambda function ${ref.name} is not defined under functions: in apigw.yaml, and --lambda-endpoint ${base} does not know it either.`,
      `Define it under functions: in apigw.yaml (for example \`${ref.name}: {handler: ` +
        `src/${ref.name}.handler}\`), or deploy it to the Lambda endpoint at ${base}.`,
    )
  }
  throw new FunctionEndpointError(
    ref.name,
    `Lambda function ${ref.name}: --lambda-endpoint ${base} answered ` +
      `${res.status}${type ? ` ${type}` : ''}: ${body.toString('utf8').slice(0, 300)}`,
    "Check the Lambda endpoint's own log for the cause.",
  )
}

function errorTypeOf(res: Response, body: Buffer): string | undefined {
  const header = res.headers.get('x-amzn-errortype')
  if (header) return header.split(':')[0]
  try {
    const json = JSON.parse(body.toString('utf8')) as {__type?: string; Type?: string; type?: string}
    return json.__type?.split('#').pop() ?? undefined
  } catch {
    return undefined
  }
}
