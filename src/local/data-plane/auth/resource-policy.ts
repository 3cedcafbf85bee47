/**
 * The API's resource policy (`x-amazon-apigateway-policy`, UpdateRestApi's `policy`, frozen into the
 * deployment) evaluated for a request: `execute-api:/stage/METHOD/path` resources expanded to the API's ARN,
 * `Principal` against the caller (anonymous, or the IAM user of a verified signature), and the condition keys
 * the emulator knows: `aws:SourceIp` (the client's address), `aws:SourceVpce` (an `x-amzn-vpce-id` header the
 * client sends to act as arriving through that VPC endpoint), `aws:PrincipalAccount`, `aws:PrincipalArn`,
 * `aws:username`, `aws:CurrentTime`, `aws:EpochTime`, `aws:SecureTransport` (false: plain HTTP).
 */
import type {InvocationContext} from '../context.ts'
import {getFirst} from '../headers.ts'
import {apiArnPrefix, evaluatePolicy, methodArn, type PolicyDecision, type PolicyPrincipal} from './policy.ts'

export type ResourcePolicyResult = {decision: PolicyDecision; arn: string; principalName: string}

/** Evaluate the deployment's resource policy, or undefined when the API has none. Throws PolicyMalformed. */
export function evaluateResourcePolicy(ctx: InvocationContext): ResourcePolicyResult | undefined {
  const policy = ctx.deployment?.snapshot.settings.policy
  if (!policy || policy.trim() === '') return undefined
  const arn = methodArn(ctx)
  const caller = ctx.iamCaller
  const principal: PolicyPrincipal = caller ? {kind: 'iam', arn: caller.userArn, accountId: caller.accountId} : {kind: 'anonymous'}
  const now = ctx.deps.now()
  const keys: Record<string, string> = {
    'aws:sourceip': ctx.request.sourceIp,
    'aws:currenttime': now.toISOString(),
    'aws:epochtime': String(Math.floor(now.getTime() / 1000)),
    'aws:securetransport': 'false',
  }
  const vpce = getFirst(ctx.request.headers, 'x-amzn-vpce-id')
  if (vpce) keys['aws:sourcevpce'] = vpce
  if (caller) {
    keys['aws:principalaccount'] = caller.accountId
    keys['aws:principalarn'] = caller.userArn
    keys['aws:username'] = caller.user
    keys['aws:userid'] = caller.caller
    keys['aws:principaltype'] = 'User'
  }
  const prefix = apiArnPrefix(ctx)
  const decision = evaluatePolicy(policy, {
    action: 'execute-api:Invoke',
    resource: arn,
    principal,
    conditionKeys: keys,
    expandResource: (r) => (r.startsWith('execute-api:/') ? `${prefix}/${r.slice('execute-api:/'.length)}` : r),
  })
  return {decision, arn, principalName: caller ? caller.userArn : 'anonymous'}
}
