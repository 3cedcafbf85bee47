/**
 * IAM authorization (`AWS_IAM`) of HTTP API routes: the SigV4 signature (service `execute-api`) checked by the
 * same verifier as REST methods (protocol/sigv4.ts) against the credentials the emulator knows (`local start
 * --credentials`, default `test`/`test`). HTTP APIs answer 403 for every failure: `{"message":"Forbidden"}`
 * without a signature, else the verifier's message (`The request signature we calculated does not match …`),
 * and no `x-amzn-ErrorType`. The caller goes to `requestContext.authorizer.iam` (2.0) / `identity` (1.0).
 */
import {verifySigV4} from '../../protocol/sigv4.ts'
import {iamCallerOf} from '../handlers/authorize.ts'
import type {HttpApiContext} from './context.ts'
import {HttpApiError} from './errors.ts'

/** Verify the request's signature; `target` is the path and query as the client sent them (what it signed). */
export async function authorizeIam(ctx: HttpApiContext, target: string): Promise<void> {
  const outcome = await verifySigV4(
    {method: ctx.method, target, headers: ctx.headers, body: ctx.body},
    ctx.deps.credentials,
    ctx.deps.now(),
  )
  if (outcome.ok) {
    ctx.iamCaller = iamCallerOf(outcome.credential, ctx.deps.accountId)
    return
  }
  const reason = `SigV4 check failed (${outcome.problem}): ${outcome.message}`
  ctx.authorizer = {error: reason}
  if (outcome.problem === 'missing') throw new HttpApiError('FORBIDDEN', reason)
  throw new HttpApiError('FORBIDDEN', reason, outcome.message)
}
