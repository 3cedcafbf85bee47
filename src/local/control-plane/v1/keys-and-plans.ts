/** API Gateway v1: API keys, usage plans and their keys, usage, tags, account. */
import type {RouteDef} from '../../types.ts'
import {getAccount, updateAccount} from './account.ts'
import {importApiKeys} from './api-key-import.ts'
import {createApiKey, deleteApiKey, getApiKey, getApiKeys, updateApiKey} from './api-keys.ts'
import {getTags, tagResource, untagResource} from './tags.ts'
import {
  createUsagePlan,
  createUsagePlanKey,
  deleteUsagePlan,
  deleteUsagePlanKey,
  getUsage,
  getUsagePlan,
  getUsagePlanKey,
  getUsagePlanKeys,
  getUsagePlans,
  updateUsage,
  updateUsagePlan,
} from './usage-plans.ts'

export const keysAndPlansRoutes: RouteDef[] = [
  {method: 'POST', path: '/apikeys', query: {mode: 'import'}, operation: 'ImportApiKeys', handler: importApiKeys},
  {method: 'POST', path: '/apikeys', operation: 'CreateApiKey', handler: createApiKey},
  {method: 'GET', path: '/apikeys', operation: 'GetApiKeys', handler: getApiKeys},
  {method: 'GET', path: '/apikeys/{api_Key}', operation: 'GetApiKey', handler: getApiKey},
  {method: 'PATCH', path: '/apikeys/{api_Key}', operation: 'UpdateApiKey', handler: updateApiKey},
  {method: 'DELETE', path: '/apikeys/{api_Key}', operation: 'DeleteApiKey', handler: deleteApiKey},

  {method: 'POST', path: '/usageplans', operation: 'CreateUsagePlan', handler: createUsagePlan},
  {method: 'GET', path: '/usageplans', operation: 'GetUsagePlans', handler: getUsagePlans},
  {method: 'GET', path: '/usageplans/{usageplanId}', operation: 'GetUsagePlan', handler: getUsagePlan},
  {method: 'PATCH', path: '/usageplans/{usageplanId}', operation: 'UpdateUsagePlan', handler: updateUsagePlan},
  {method: 'DELETE', path: '/usageplans/{usageplanId}', operation: 'DeleteUsagePlan', handler: deleteUsagePlan},
  {method: 'POST', path: '/usageplans/{usageplanId}/keys', operation: 'CreateUsagePlanKey', handler: createUsagePlanKey},
  {method: 'GET', path: '/usageplans/{usageplanId}/keys', operation: 'GetUsagePlanKeys', handler: getUsagePlanKeys},
  {method: 'GET', path: '/usageplans/{usageplanId}/keys/{keyId}', operation: 'GetUsagePlanKey', handler: getUsagePlanKey},
  {method: 'DELETE', path: '/usageplans/{usageplanId}/keys/{keyId}', operation: 'DeleteUsagePlanKey', handler: deleteUsagePlanKey},
  {method: 'GET', path: '/usageplans/{usageplanId}/usage', operation: 'GetUsage', handler: getUsage},
  // Known, not emulated yet (LIMITATIONS.md): the server answers 501 naming it.
  {method: 'PATCH', path: '/usageplans/{usageplanId}/keys/{keyId}/usage', operation: 'UpdateUsage', handler: updateUsage},

  // The ARN is one URL-encoded segment for the SDKs; greedy so an unencoded ARN still matches.
  {method: 'PUT', path: '/tags/{resource_arn+}', operation: 'TagResource', handler: tagResource},
  {method: 'DELETE', path: '/tags/{resource_arn+}', operation: 'UntagResource', handler: untagResource},
  {method: 'GET', path: '/tags/{resource_arn+}', operation: 'GetTags', handler: getTags},

  {method: 'GET', path: '/account', operation: 'GetAccount', handler: getAccount},
  {method: 'PATCH', path: '/account', operation: 'UpdateAccount', handler: updateAccount},
]
