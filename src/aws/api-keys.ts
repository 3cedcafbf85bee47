/**
 * The narrow port over API Gateway v1 API keys, usage plans, usage plan keys, GetUsage and tags on keys:
 * only what `apigw keys` uses, pagination inside, every call through the scheduler (CreateApiKey 5/s,
 * UpdateUsagePlan 1 per 20 s against AWS), every SDK error turned into a CliError (src/aws/errors.ts).
 * Key values travel only in the results of createApiKey and of the `includeValues` reads; no message built
 * here ever carries one.
 */
import type {ApiKey, UsagePlan} from '@aws-sdk/client-api-gateway'
import {CliError, EXIT} from '../errors.ts'
import type {AwsClients} from './clients.ts'
import {type AwsErrorContext, mapAwsError} from './errors.ts'
import {passThrough, type Scheduler} from './scheduler.ts'

export type {ApiKey, UsagePlan}

export type CreateApiKeyInput = {
  name: string
  value?: string | undefined
  description?: string | undefined
  enabled: boolean
  tags: Record<string, string>
}

/** Daily usage of one key in one plan: `[used, remaining]` per day, oldest first. */
export type KeyUsage = Array<[number, number]>

export type ApiKeysPort = {
  /** Every API key of the account and Region (values only when asked). */
  listApiKeys(options?: {includeValues?: boolean}): Promise<ApiKey[]>
  /** The tags of one key (GetApiKey always returns them). */
  getApiKeyTags(keyId: string): Promise<Record<string, string>>
  /** One key with its value (for the one-time display of a resumed rotation). */
  getApiKeyValue(keyId: string): Promise<string | undefined>
  createApiKey(input: CreateApiKeyInput): Promise<ApiKey>
  setApiKeyEnabled(keyId: string, enabled: boolean): Promise<void>
  deleteApiKey(keyId: string): Promise<void>
  /** ImportApiKeys with a CSV body in AWS's key file format. */
  importApiKeys(csv: string, failOnWarnings: boolean): Promise<{ids: string[]; warnings: string[]}>
  listUsagePlans(): Promise<UsagePlan[]>
  /** Ids of the keys in a usage plan. */
  listUsagePlanKeyIds(usagePlanId: string): Promise<string[]>
  /** Attach a key to a plan; true when it was attached now, false when it already was. */
  createUsagePlanKey(usagePlanId: string, keyId: string): Promise<boolean>
  /** Detach a key from a plan; false when it was not attached. */
  deleteUsagePlanKey(usagePlanId: string, keyId: string): Promise<boolean>
  /** GetUsage of one key in one plan over whole days (yyyy-MM-dd, UTC). */
  getUsage(usagePlanId: string, keyId: string, startDate: string, endDate: string): Promise<KeyUsage>
  tagApiKey(keyId: string, tags: Record<string, string>): Promise<void>
  untagApiKey(keyId: string, tagKeys: string[]): Promise<void>
  /** The ARN TagResource takes for an API key. */
  apiKeyArn(keyId: string): string
}

type Sdk = typeof import('@aws-sdk/client-api-gateway')

/** The account's 10,000-keys quota (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html, not increasable). */
export const MAX_API_KEYS = 10_000

/**
 * True for a LimitExceeded that is a quota, not throttling: AWS answers both with LimitExceededException,
 * and only the text tells them apart. A quota must not be retried.
 */
export function isQuotaError(error: unknown): boolean {
  const e = error as {name?: string; message?: string}
  if (e?.name !== 'LimitExceededException') return false
  const text = (e.message ?? '').toLowerCase()
  return /api ?keys?|usage plans?/.test(text) && /limit|more than|maximum|quota|cannot/.test(text) && !/rate|too many requests/.test(text)
}

function quotaError(error: unknown, operation: string): CliError {
  const message = String((error as Error).message ?? '')
  if (/usage plans?/i.test(message) && operation === 'CreateUsagePlanKey') {
    return new CliError('AWS_LIMIT_EXCEEDED', `${operation}: a key can be in at most 10 usage plans (${message.replace(/\.$/, '')}).`, {
      hint: 'Detach the key from a plan it no longer needs, or use fewer --plan flags.',
      cause: error,
      details: {operation, awsError: 'LimitExceededException'},
    })
  }
  return new CliError(
    'AWS_LIMIT_EXCEEDED',
    `${operation}: the account has reached the limit of ` +
      `${MAX_API_KEYS.toLocaleString('en-US')} API keys in this Region, which AWS does not raise.`,
    {
      hint: 'Delete keys no longer in use (`apigw keys retire --now --delete` removes old generations), then run the command again.',
      cause: error,
      details: {operation, awsError: 'LimitExceededException'},
    },
  )
}

/** The keys port over the clients; share the lifecycle scheduler so every call counts against one account quota. */
export function createApiKeysPort(clients: AwsClients, scheduler: Scheduler = passThrough): ApiKeysPort {
  let sdk: Promise<Sdk> | undefined
  const load = () => (sdk ??= import('@aws-sdk/client-api-gateway'))
  const region = clients.options.region ?? 'us-east-1'
  const call = async <T>(ctx: AwsErrorContext, make: (m: Sdk) => object): Promise<T> => {
    const [m, client] = await Promise.all([load(), clients.apiGateway()])
    try {
      return (await scheduler.run(ctx.operation, async () => {
        try {
          return await client.send(make(m) as never)
        } catch (error) {
          // A quota is final: turn it into a CliError here, so the scheduler does not retry it as throttling.
          if (isQuotaError(error)) throw quotaError(error, ctx.operation)
          throw error
        }
      })) as T
    } catch (error) {
      throw mapAwsError(error, ctx)
    }
  }
  const keyRes = (id: string) => `API key ${id}`
  const planRes = (id: string) => `usage plan ${id}`
  const pages = async <T>(fetch: (position: string | undefined) => Promise<{items?: T[]; position?: string}>): Promise<T[]> => {
    const out: T[] = []
    let position: string | undefined
    do {
      const page = await fetch(position)
      out.push(...(page.items ?? []))
      position = page.position
    } while (position)
    return out
  }
  const arn = (keyId: string) => `arn:aws:apigateway:${region}::/apikeys/${keyId}`
  return {
    apiKeyArn: arn,
    listApiKeys: (options = {}) =>
      pages<ApiKey>((position) =>
        call(
          {operation: 'GetApiKeys'},
          (m) => new m.GetApiKeysCommand({limit: 500, position, includeValues: options.includeValues ?? false}),
        ),
      ),
    async getApiKeyTags(apiKey) {
      const key = await call<ApiKey>(
        {operation: 'GetApiKey', resource: keyRes(apiKey)},
        (m) => new m.GetApiKeyCommand({apiKey, includeValue: false}),
      )
      return key.tags ?? {}
    },
    async getApiKeyValue(apiKey) {
      const key = await call<ApiKey>(
        {operation: 'GetApiKey', resource: keyRes(apiKey)},
        (m) => new m.GetApiKeyCommand({apiKey, includeValue: true}),
      )
      return key.value
    },
    async createApiKey(input) {
      try {
        return await call<ApiKey>(
          {operation: 'CreateApiKey', resource: `API key ${input.name}`},
          (m) =>
            new m.CreateApiKeyCommand({
              name: input.name,
              enabled: input.enabled,
              tags: input.tags,
              ...(input.value ? {value: input.value} : {}),
              ...(input.description ? {description: input.description} : {}),
            }),
        )
      } catch (error) {
        // Values are unique per account and Region: 409 `API Key already exists`. The value is never repeated.
        if ((error as CliError).code === 'AWS_CONFLICT' && input.value) {
          throw new CliError(
            'KEY_VALUE_EXISTS',
            `CreateApiKey (${input.name}): an API key with the value given exists already; values are unique in an account and Region.`,
            {
              hint: 'Pass another --value, or leave --value out to let API Gateway generate one.',
              cause: error,
              exitCode: EXIT.USAGE,
            },
          )
        }
        throw error
      }
    },
    async setApiKeyEnabled(apiKey, enabled) {
      await call(
        {operation: 'UpdateApiKey', resource: keyRes(apiKey)},
        (m) => new m.UpdateApiKeyCommand({apiKey, patchOperations: [{op: 'replace', path: '/enabled', value: String(enabled)}]}),
      )
    },
    async deleteApiKey(apiKey) {
      await call({operation: 'DeleteApiKey', resource: keyRes(apiKey)}, (m) => new m.DeleteApiKeyCommand({apiKey}))
    },
    async importApiKeys(csv, failOnWarnings) {
      const out = await call<{ids?: string[]; warnings?: string[]}>(
        {operation: 'ImportApiKeys'},
        (m) => new m.ImportApiKeysCommand({body: new TextEncoder().encode(csv), format: 'csv', failOnWarnings}),
      )
      return {ids: out.ids ?? [], warnings: out.warnings ?? []}
    },
    listUsagePlans: () =>
      pages<UsagePlan>((position) => call({operation: 'GetUsagePlans'}, (m) => new m.GetUsagePlansCommand({limit: 500, position}))),
    async listUsagePlanKeyIds(usagePlanId) {
      const keys = await pages<{id?: string}>((position) =>
        call(
          {operation: 'GetUsagePlanKeys', resource: planRes(usagePlanId)},
          (m) => new m.GetUsagePlanKeysCommand({usagePlanId, limit: 500, position}),
        ),
      )
      return keys.map((k) => k.id ?? '').filter(Boolean)
    },
    async createUsagePlanKey(usagePlanId, keyId) {
      try {
        await call(
          {operation: 'CreateUsagePlanKey', resource: `${keyRes(keyId)} in ${planRes(usagePlanId)}`},
          (m) => new m.CreateUsagePlanKeyCommand({usagePlanId, keyId, keyType: 'API_KEY'}),
        )
        return true
      } catch (error) {
        // Already attached (a resumed step): 409 ConflictException saying so. Other conflicts (two plans of the
        // key on the same API stage) are real errors.
        if ((error as CliError).code === 'AWS_CONFLICT' && /already/i.test((error as Error).message)) return false
        throw error
      }
    },
    async deleteUsagePlanKey(usagePlanId, keyId) {
      try {
        await call(
          {operation: 'DeleteUsagePlanKey', resource: `${keyRes(keyId)} in ${planRes(usagePlanId)}`},
          (m) => new m.DeleteUsagePlanKeyCommand({usagePlanId, keyId}),
        )
        return true
      } catch (error) {
        if ((error as CliError).code === 'AWS_NOT_FOUND') return false
        throw error
      }
    },
    async getUsage(usagePlanId, keyId, startDate, endDate) {
      const out = await call<{items?: Record<string, number[][]>}>(
        {operation: 'GetUsage', resource: `${keyRes(keyId)} in ${planRes(usagePlanId)}`},
        (m) => new m.GetUsageCommand({usagePlanId, keyId, startDate, endDate}),
      )
      return (out.items?.[keyId] ?? []).map((d) => [d[0] ?? 0, d[1] ?? 0] as [number, number])
    },
    async tagApiKey(keyId, tags) {
      await call({operation: 'TagResource', resource: keyRes(keyId)}, (m) => new m.TagResourceCommand({resourceArn: arn(keyId), tags}))
    },
    async untagApiKey(keyId, tagKeys) {
      if (tagKeys.length === 0) return
      await call(
        {operation: 'UntagResource', resource: keyRes(keyId)},
        (m) => new m.UntagResourceCommand({resourceArn: arn(keyId), tagKeys}),
      )
    },
  }
}
