/**
 * The shapes of a REST API's configuration as the emulator keeps it: the GET wire shapes of API Gateway v1
 * (GetResource with embedded methods, GetModel, GetAuthorizer, ...). A deployment freezes one `ApiSnapshot`;
 * import builds one, export reads one, and the data plane will read the same thing.
 */

export type IntegrationResponseDoc = {
  statusCode: string
  selectionPattern?: string
  responseParameters?: Record<string, string>
  responseTemplates?: Record<string, string>
  contentHandling?: string
}

export type IntegrationDoc = {
  type: string
  httpMethod?: string
  uri?: string
  connectionType?: string
  connectionId?: string
  credentials?: string
  requestParameters?: Record<string, string>
  requestTemplates?: Record<string, string>
  passthroughBehavior?: string
  contentHandling?: string
  timeoutInMillis: number
  cacheNamespace?: string
  cacheKeyParameters: string[]
  integrationResponses?: Record<string, IntegrationResponseDoc>
  tlsConfig?: {insecureSkipVerification?: boolean}
  integrationTarget?: string
  responseTransferMode?: string
}

export type MethodResponseDoc = {
  statusCode: string
  responseParameters?: Record<string, boolean>
  responseModels?: Record<string, string>
}

export type MethodDoc = {
  httpMethod: string
  authorizationType: string
  authorizerId?: string
  apiKeyRequired: boolean
  requestValidatorId?: string
  operationName?: string
  requestParameters?: Record<string, boolean>
  requestModels?: Record<string, string>
  methodResponses?: Record<string, MethodResponseDoc>
  methodIntegration?: IntegrationDoc
  authorizationScopes?: string[]
}

export type ResourceDoc = {
  id: string
  parentId?: string
  pathPart?: string
  path: string
  resourceMethods?: Record<string, MethodDoc>
}

export type ModelDoc = {id: string; name: string; description?: string; schema?: string; contentType: string}

export type AuthorizerDoc = {
  id: string
  name: string
  type: string
  providerARNs?: string[]
  authType?: string
  authorizerUri?: string
  authorizerCredentials?: string
  identitySource?: string
  identityValidationExpression?: string
  authorizerResultTtlInSeconds?: number
}

export type RequestValidatorDoc = {id: string; name: string; validateRequestBody: boolean; validateRequestParameters: boolean}

export type GatewayResponseDoc = {
  responseType: string
  statusCode?: string
  responseParameters?: Record<string, string>
  responseTemplates?: Record<string, string>
  defaultResponse: boolean
}

/** The API-level settings an import may set (the RestApi members other than ids and dates). */
export type ApiSettings = {
  name: string
  description?: string
  version?: string
  binaryMediaTypes?: string[]
  minimumCompressionSize?: number
  apiKeySource?: 'HEADER' | 'AUTHORIZER'
  policy?: string
  disableExecuteApiEndpoint?: boolean
  endpointConfiguration?: {types: string[]; vpcEndpointIds?: string[]; ipAddressType?: string}
}

/** Everything under one REST API that a deployment freezes and an export reads. */
export type ApiSnapshot = {
  restApiId: string
  settings: ApiSettings
  rootResourceId: string
  resources: ResourceDoc[]
  models: ModelDoc[]
  authorizers: AuthorizerDoc[]
  requestValidators: RequestValidatorDoc[]
  gatewayResponses: GatewayResponseDoc[]
}
