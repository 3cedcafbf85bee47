/**
 * The emulator's data model: which `kind` each AWS resource is stored under, its id and parent in the
 * store, and the document shapes shared between control-plane modules. Documents are stored in their
 * wire shape (what the GET operation returns), plus private members prefixed with `_`.
 *
 * | kind               | id                               | parent      | owner module          |
 * |--------------------|----------------------------------|-------------|-----------------------|
 * | restapi            | restApiId                        | -           | rest-apis.ts          |
 * | resource           | `${restApiId}/${resourceId}`     | restApiId   | rest-apis / import    |
 * | model              | `${restApiId}/${modelName}`      | restApiId   | import                |
 * | authorizer         | `${restApiId}/${authorizerId}`   | restApiId   | import                |
 * | requestvalidator   | `${restApiId}/${validatorId}`    | restApiId   | import                |
 * | gatewayresponse    | `${restApiId}/${responseType}`   | restApiId   | import                |
 * | deployment         | `${restApiId}/${deploymentId}`   | restApiId   | deployments.ts        |
 * | stage              | `${restApiId}/${stageName}`      | restApiId   | stages.ts             |
 * | documentationpart  | `${restApiId}/${partId}`         | restApiId   | documentation.ts      |
 * | documentationversion | `${restApiId}/${version}`      | restApiId   | documentation.ts      |
 * | apikey             | apiKeyId                         | -           | api-keys.ts           |
 * | usageplan          | usagePlanId                      | -           | usage-plans.ts        |
 * | usageplankey       | `${usagePlanId}/${keyId}`        | usagePlanId | usage-plans.ts        |
 * | usage              | `${usagePlanId}/${keyId}/${day}` | usagePlanId | data plane (later)    |
 * | account            | 'account'                        | -           | account.ts            |
 * | clientcertificate  | clientCertificateId              | -           | v1/client-certificates.ts |
 * | vpclink            | vpcLinkId                        | -           | v1/vpc-links.ts       |
 * | v2api              | apiId                            | -           | v2/                   |
 * | v2route            | `${apiId}/${routeId}`            | apiId       | v2/                   |
 * | v2integration      | `${apiId}/${integrationId}`      | apiId       | v2/                   |
 * | v2authorizer       | `${apiId}/${authorizerId}`       | apiId       | v2/                   |
 * | v2deployment       | `${apiId}/${deploymentId}`       | apiId       | v2/                   |
 * | v2stage            | `${apiId}/${stageName}`          | apiId       | v2/                   |
 * | v2model            | `${apiId}/${modelId}`            | apiId       | v2/models.ts          |
 * | v2vpclink          | vpcLinkId                        | -           | v2/vpc-links.ts       |
 * | loggroup           | logGroupName                     | -           | logs/                 |
 * | logstream          | `${logGroupName}\n${streamName}` | logGroupName| logs/ (events: table log_events) |
 * | logmetricfilter    | `${logGroupName}\n${filterName}` | logGroupName| logs/filters.ts       |
 * | logsubscriptionfilter | `${logGroupName}\n${filterName}` | logGroupName| logs/filters.ts    |
 * | logresourcepolicy  | policyName                       | -           | logs/filters.ts       |
 *
 * Tags live inside the tagged document as `tags` (a string map), as GetRestApi, GetStage, GetApiKey and
 * GetUsagePlan return them; TagResource finds the document from the ARN.
 */
import {notFound} from '../protocol/aws-error.ts'
import type {Store} from '../store/store.ts'
import {LOCAL_ACCOUNT_ID} from '../types.ts'

export const KIND = {
  restApi: 'restapi',
  resource: 'resource',
  model: 'model',
  authorizer: 'authorizer',
  requestValidator: 'requestvalidator',
  gatewayResponse: 'gatewayresponse',
  deployment: 'deployment',
  stage: 'stage',
  documentationPart: 'documentationpart',
  documentationVersion: 'documentationversion',
  apiKey: 'apikey',
  usagePlan: 'usageplan',
  usagePlanKey: 'usageplankey',
  usage: 'usage',
  account: 'account',
  clientCertificate: 'clientcertificate',
  vpcLink: 'vpclink',
  v2Api: 'v2api',
  v2Route: 'v2route',
  v2Integration: 'v2integration',
  v2Authorizer: 'v2authorizer',
  v2Deployment: 'v2deployment',
  v2Stage: 'v2stage',
  v2RouteResponse: 'v2routeresponse',
  v2IntegrationResponse: 'v2integrationresponse',
  v2Model: 'v2model',
  v2VpcLink: 'v2vpclink',
  logGroup: 'loggroup',
  logStream: 'logstream',
  logMetricFilter: 'logmetricfilter',
  logSubscriptionFilter: 'logsubscriptionfilter',
  logResourcePolicy: 'logresourcepolicy',
} as const

export const childId = (parent: string, id: string): string => `${parent}/${id}`

/** A REST API document (the GetRestApi wire shape). */
export type RestApiDoc = {
  id: string
  name: string
  description?: string
  version?: string
  createdDate: number
  binaryMediaTypes?: string[]
  minimumCompressionSize?: number
  apiKeySource?: 'HEADER' | 'AUTHORIZER'
  endpointConfiguration: {types: string[]; vpcEndpointIds?: string[]; ipAddressType?: string}
  policy?: string
  tags?: Record<string, string>
  disableExecuteApiEndpoint: boolean
  rootResourceId: string
  warnings?: string[]
  /** Extensions and documents kept from the last import that have no resource of their own. */
  _import?: Record<string, unknown>
}

/** Throw AWS's NotFoundException unless the REST API exists. */
export function requireRestApi(store: Store, restApiId: string): RestApiDoc {
  const api = store.get<RestApiDoc>(KIND.restApi, restApiId)
  // AWS: 'Invalid API identifier specified {accountId}:{restApiId}' (corpus/aws-ground-truth/16)
  if (!api) throw notFound(`Invalid API identifier specified ${LOCAL_ACCOUNT_ID}:${restApiId}`)
  return api
}

/** ARN of an API Gateway resource, as AWS shapes them: arn:aws:apigateway:{region}::/restapis/{id}. */
export function apiGatewayArn(region: string, path: string): string {
  return `arn:aws:apigateway:${region}::${path}`
}
