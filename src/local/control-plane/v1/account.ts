/**
 * API Gateway v1 account settings: GetAccount (`GET /account`) and UpdateAccount (`PATCH /account`).
 * https://docs.aws.amazon.com/apigateway/latest/api/API_GetAccount.html
 */
import type {Account} from '@aws-sdk/client-api-gateway'
import {badRequest} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {OperationContext, OperationRequest, OperationResult} from '../../types.ts'
import {KIND} from '../model.ts'
import {invalidPatchPath, readPatchOperations} from './common.ts'

/** The account document (kind account, id 'account'), in the GetAccount wire shape. */
export type AccountDoc = {
  cloudwatchRoleArn?: string
  throttleSettings: {burstLimit: number; rateLimit: number}
  features: string[]
  apiKeyVersion: string
}

export const ACCOUNT_ID = 'account'

/**
 * A fresh account: AWS's default account-level throttle (10,000 rps, burst 5,000; developer guide,
 * limits.html), usage plans enabled, API key version 4.
 */
export function defaultAccount(): AccountDoc {
  return {throttleSettings: {burstLimit: 5000, rateLimit: 10000}, features: ['UsagePlans'], apiKeyVersion: '4'}
}

/** The stored account settings, or the defaults; the data plane reads the throttle from here. */
export function readAccount(store: Store): AccountDoc {
  return store.get<AccountDoc>(KIND.account, ACCOUNT_ID) ?? defaultAccount()
}

function render(doc: AccountDoc): Account {
  const out: Account = {}
  if (doc.cloudwatchRoleArn) out.cloudwatchRoleArn = doc.cloudwatchRoleArn
  out.throttleSettings = {...doc.throttleSettings}
  out.features = [...doc.features]
  out.apiKeyVersion = doc.apiKeyVersion
  return out
}

/** GetAccount. */
export function getAccount(_req: OperationRequest, ctx: OperationContext): OperationResult {
  return {status: 200, body: render(readAccount(ctx.store))}
}

const REPLACE_PATHS = ['/cloudwatchRoleArn', '/throttle/burstLimit', '/throttle/rateLimit']
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/

function limitValue(value: string | undefined, integer: boolean): number {
  const n = Number(value)
  if (value === undefined || value.trim() === '' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw badRequest(`Invalid throttle value specified: ${value ?? 'null'}`)
  }
  return n
}

/**
 * UpdateAccount: replace /cloudwatchRoleArn (the role is not assumed locally: any well-formed IAM role ARN is
 * accepted, an empty value clears it); add|remove /features (e.g. `UsagePlans`). On AWS the account throttle
 * is a service quota; the emulator also lets replace /throttle/burstLimit and /throttle/rateLimit set it, so
 * local data-plane tests can lower it (LIMITATIONS.md).
 */
export function updateAccount(req: OperationRequest, ctx: OperationContext): OperationResult {
  const ops = readPatchOperations(req, 'updateAccountInput')
  const doc = readAccount(ctx.store)
  for (const op of ops) {
    if (op.op === 'replace' && op.path === '/cloudwatchRoleArn') {
      if (!op.value) delete doc.cloudwatchRoleArn
      else if (!ROLE_ARN.test(op.value)) throw badRequest(`The role ARN is not well formed: ${op.value}`)
      else doc.cloudwatchRoleArn = op.value
    } else if (op.op === 'replace' && op.path === '/throttle/burstLimit') {
      doc.throttleSettings.burstLimit = limitValue(op.value, true)
    } else if (op.op === 'replace' && op.path === '/throttle/rateLimit') {
      doc.throttleSettings.rateLimit = limitValue(op.value, false)
    } else if ((op.op === 'add' || op.op === 'remove') && op.path === '/features') {
      const feature = op.value ?? ''
      if (feature === '') throw badRequest('Invalid feature specified: null')
      if (op.op === 'add' && !doc.features.includes(feature)) doc.features.push(feature)
      if (op.op === 'remove') doc.features = doc.features.filter((f) => f !== feature)
    } else {
      throw invalidPatchPath(
        op.path,
        op.op,
        op.op === 'replace' ? REPLACE_PATHS : op.op === 'add' || op.op === 'remove' ? ['/features'] : undefined,
      )
    }
  }
  ctx.store.put(KIND.account, ACCOUNT_ID, doc)
  return {status: 200, body: render(doc)}
}
