/**
 * API Gateway v1: REST APIs, resources, methods, import/export, deployments, stages, client certificates,
 * VPC links. Operations listed without a handler are known to AWS but not emulated yet: the server answers 501
 * naming them (LIMITATIONS.md, "REST APIs (v1)").
 */
import type {Handler, RouteDef} from '../../types.ts'
import {createDeployment, deleteDeployment, getDeployment, getDeployments, updateDeployment} from './deployments.ts'
import {
  createAuthorizer,
  createModel,
  createRequestValidator,
  createResource,
  deleteAuthorizer,
  deleteGatewayResponse,
  deleteIntegration,
  deleteIntegrationResponse,
  deleteMethod,
  deleteMethodResponse,
  deleteModel,
  deleteRequestValidator,
  deleteResource,
  putGatewayResponse,
  putIntegration,
  putIntegrationResponse,
  putMethod,
  putMethodResponse,
} from './edits.ts'
import {
  createDocumentationPart,
  createDocumentationVersion,
  deleteDocumentationPart,
  deleteDocumentationVersion,
  getDocumentationPart,
  getDocumentationParts,
  getDocumentationVersion,
  getDocumentationVersions,
  importDocumentationParts,
  updateDocumentationPart,
  updateDocumentationVersion,
} from './documentation.ts'
import {
  deleteClientCertificate,
  generateClientCertificate,
  getClientCertificate,
  getClientCertificates,
  updateClientCertificate,
} from './client-certificates.ts'
import {getExport, getSdkType, getSdkTypes} from './exports.ts'
import {getModelTemplate} from './model-template.ts'
import {getSdk} from './sdk.ts'
import {flushStageCache} from './stage-cache.ts'
import {
  getAuthorizer,
  getAuthorizers,
  getGatewayResponse,
  getGatewayResponses,
  getIntegration,
  getIntegrationResponse,
  getMethod,
  getMethodResponse,
  getModel,
  getModels,
  getRequestValidator,
  getRequestValidators,
  getResource,
  getResources,
} from './resources.ts'
import {createRestApi, deleteRestApi, getRestApi, getRestApis, importRestApi, putRestApi, updateRestApi} from './rest-apis.ts'
import {createStage, deleteStage, getStage, getStages, updateStage} from './stages.ts'
import {
  updateAuthorizer,
  updateGatewayResponse,
  updateIntegration,
  updateIntegrationResponse,
  updateMethod,
  updateMethodResponse,
  updateModel,
  updateRequestValidator,
  updateResource,
} from './updates.ts'
import {createVpcLink, deleteVpcLink, getVpcLink, getVpcLinks, updateVpcLink} from './vpc-links.ts'
import {testInvokeMethod} from '../../data-plane/test-invoke.ts'
import {flushStageAuthorizersCache, testInvokeAuthorizer} from '../../data-plane/auth/operations.ts'

const API = '/restapis/{restapi_id}'
const RESOURCE = `${API}/resources/{resource_id}`
const METHOD = `${RESOURCE}/methods/{http_method}`

const route = (
  method: RouteDef['method'],
  path: string,
  operation: string,
  handler?: Handler,
  query?: Record<string, string>,
): RouteDef => ({
  method,
  path,
  operation,
  ...(handler ? {handler} : {}),
  ...(query ? {query} : {}),
})

export const restApiRoutes: RouteDef[] = [
  // REST APIs and import.
  route('POST', '/restapis', 'ImportRestApi', importRestApi, {mode: 'import'}),
  route('POST', '/restapis', 'CreateRestApi', createRestApi),
  route('GET', '/restapis', 'GetRestApis', getRestApis),
  route('GET', API, 'GetRestApi', getRestApi),
  route('PUT', API, 'PutRestApi', putRestApi),
  route('PATCH', API, 'UpdateRestApi', updateRestApi),
  route('DELETE', API, 'DeleteRestApi', deleteRestApi),

  // Resources, methods, integrations.
  route('GET', `${API}/resources`, 'GetResources', getResources),
  route('GET', RESOURCE, 'GetResource', getResource),
  route('POST', `${API}/resources/{parent_id}`, 'CreateResource', createResource),
  route('PATCH', RESOURCE, 'UpdateResource', updateResource),
  route('DELETE', RESOURCE, 'DeleteResource', deleteResource),
  route('GET', METHOD, 'GetMethod', getMethod),
  route('PUT', METHOD, 'PutMethod', putMethod),
  route('PATCH', METHOD, 'UpdateMethod', updateMethod),
  route('DELETE', METHOD, 'DeleteMethod', deleteMethod),
  {...route('POST', METHOD, 'TestInvokeMethod', testInvokeMethod), outsideTransaction: true},
  route('GET', `${METHOD}/responses/{status_code}`, 'GetMethodResponse', getMethodResponse),
  route('PUT', `${METHOD}/responses/{status_code}`, 'PutMethodResponse', putMethodResponse),
  route('PATCH', `${METHOD}/responses/{status_code}`, 'UpdateMethodResponse', updateMethodResponse),
  route('DELETE', `${METHOD}/responses/{status_code}`, 'DeleteMethodResponse', deleteMethodResponse),
  route('GET', `${METHOD}/integration`, 'GetIntegration', getIntegration),
  route('PUT', `${METHOD}/integration`, 'PutIntegration', putIntegration),
  route('PATCH', `${METHOD}/integration`, 'UpdateIntegration', updateIntegration),
  route('DELETE', `${METHOD}/integration`, 'DeleteIntegration', deleteIntegration),
  route('GET', `${METHOD}/integration/responses/{status_code}`, 'GetIntegrationResponse', getIntegrationResponse),
  route('PUT', `${METHOD}/integration/responses/{status_code}`, 'PutIntegrationResponse', putIntegrationResponse),
  route('PATCH', `${METHOD}/integration/responses/{status_code}`, 'UpdateIntegrationResponse', updateIntegrationResponse),
  route('DELETE', `${METHOD}/integration/responses/{status_code}`, 'DeleteIntegrationResponse', deleteIntegrationResponse),

  // Models, authorizers, request validators, gateway responses.
  route('GET', `${API}/models`, 'GetModels', getModels),
  route('POST', `${API}/models`, 'CreateModel', createModel),
  route('GET', `${API}/models/{model_name}`, 'GetModel', getModel),
  route('PATCH', `${API}/models/{model_name}`, 'UpdateModel', updateModel),
  route('DELETE', `${API}/models/{model_name}`, 'DeleteModel', deleteModel),
  route('GET', `${API}/models/{model_name}/default_template`, 'GetModelTemplate', getModelTemplate),
  route('GET', `${API}/authorizers`, 'GetAuthorizers', getAuthorizers),
  route('POST', `${API}/authorizers`, 'CreateAuthorizer', createAuthorizer),
  route('GET', `${API}/authorizers/{authorizer_id}`, 'GetAuthorizer', getAuthorizer),
  route('PATCH', `${API}/authorizers/{authorizer_id}`, 'UpdateAuthorizer', updateAuthorizer),
  route('DELETE', `${API}/authorizers/{authorizer_id}`, 'DeleteAuthorizer', deleteAuthorizer),
  {...route('POST', `${API}/authorizers/{authorizer_id}`, 'TestInvokeAuthorizer', testInvokeAuthorizer), outsideTransaction: true},
  route('GET', `${API}/requestvalidators`, 'GetRequestValidators', getRequestValidators),
  route('POST', `${API}/requestvalidators`, 'CreateRequestValidator', createRequestValidator),
  route('GET', `${API}/requestvalidators/{requestvalidator_id}`, 'GetRequestValidator', getRequestValidator),
  route('PATCH', `${API}/requestvalidators/{requestvalidator_id}`, 'UpdateRequestValidator', updateRequestValidator),
  route('DELETE', `${API}/requestvalidators/{requestvalidator_id}`, 'DeleteRequestValidator', deleteRequestValidator),
  route('GET', `${API}/gatewayresponses`, 'GetGatewayResponses', getGatewayResponses),
  route('GET', `${API}/gatewayresponses/{response_type}`, 'GetGatewayResponse', getGatewayResponse),
  route('PUT', `${API}/gatewayresponses/{response_type}`, 'PutGatewayResponse', putGatewayResponse),
  route('PATCH', `${API}/gatewayresponses/{response_type}`, 'UpdateGatewayResponse', updateGatewayResponse),
  route('DELETE', `${API}/gatewayresponses/{response_type}`, 'DeleteGatewayResponse', deleteGatewayResponse),

  // Deployments and stages.
  route('POST', `${API}/deployments`, 'CreateDeployment', createDeployment),
  route('GET', `${API}/deployments`, 'GetDeployments', getDeployments),
  route('GET', `${API}/deployments/{deployment_id}`, 'GetDeployment', getDeployment),
  route('PATCH', `${API}/deployments/{deployment_id}`, 'UpdateDeployment', updateDeployment),
  route('DELETE', `${API}/deployments/{deployment_id}`, 'DeleteDeployment', deleteDeployment),
  route('POST', `${API}/stages`, 'CreateStage', createStage),
  route('GET', `${API}/stages`, 'GetStages', getStages),
  route('GET', `${API}/stages/{stage_name}`, 'GetStage', getStage),
  route('PATCH', `${API}/stages/{stage_name}`, 'UpdateStage', updateStage),
  route('DELETE', `${API}/stages/{stage_name}`, 'DeleteStage', deleteStage),
  route('DELETE', `${API}/stages/{stage_name}/cache/data`, 'FlushStageCache', flushStageCache),
  route('DELETE', `${API}/stages/{stage_name}/cache/authorizers`, 'FlushStageAuthorizersCache', flushStageAuthorizersCache),

  // Export and SDKs.
  route('GET', `${API}/stages/{stage_name}/exports/{export_type}`, 'GetExport', getExport),
  route('GET', `${API}/stages/{stage_name}/sdks/{sdk_type}`, 'GetSdk', getSdk),
  route('GET', '/sdktypes', 'GetSdkTypes', getSdkTypes),
  route('GET', '/sdktypes/{sdktype_id}', 'GetSdkType', getSdkType),

  // Documentation.
  route('GET', `${API}/documentation/parts`, 'GetDocumentationParts', getDocumentationParts),
  route('POST', `${API}/documentation/parts`, 'CreateDocumentationPart', createDocumentationPart),
  route('PUT', `${API}/documentation/parts`, 'ImportDocumentationParts', importDocumentationParts),
  route('GET', `${API}/documentation/parts/{part_id}`, 'GetDocumentationPart', getDocumentationPart),
  route('PATCH', `${API}/documentation/parts/{part_id}`, 'UpdateDocumentationPart', updateDocumentationPart),
  route('DELETE', `${API}/documentation/parts/{part_id}`, 'DeleteDocumentationPart', deleteDocumentationPart),
  route('GET', `${API}/documentation/versions`, 'GetDocumentationVersions', getDocumentationVersions),
  route('POST', `${API}/documentation/versions`, 'CreateDocumentationVersion', createDocumentationVersion),
  route('GET', `${API}/documentation/versions/{doc_version}`, 'GetDocumentationVersion', getDocumentationVersion),
  route('PATCH', `${API}/documentation/versions/{doc_version}`, 'UpdateDocumentationVersion', updateDocumentationVersion),
  route('DELETE', `${API}/documentation/versions/{doc_version}`, 'DeleteDocumentationVersion', deleteDocumentationVersion),

  // Client certificates, VPC links (custom domain names: domain-names.ts).
  route('GET', '/clientcertificates', 'GetClientCertificates', getClientCertificates),
  route('POST', '/clientcertificates', 'GenerateClientCertificate', generateClientCertificate),
  route('GET', '/clientcertificates/{clientcertificate_id}', 'GetClientCertificate', getClientCertificate),
  route('PATCH', '/clientcertificates/{clientcertificate_id}', 'UpdateClientCertificate', updateClientCertificate),
  route('DELETE', '/clientcertificates/{clientcertificate_id}', 'DeleteClientCertificate', deleteClientCertificate),
  route('GET', '/vpclinks', 'GetVpcLinks', getVpcLinks),
  route('POST', '/vpclinks', 'CreateVpcLink', createVpcLink),
  route('GET', '/vpclinks/{vpclink_id}', 'GetVpcLink', getVpcLink),
  route('PATCH', '/vpclinks/{vpclink_id}', 'UpdateVpcLink', updateVpcLink),
  route('DELETE', '/vpclinks/{vpclink_id}', 'DeleteVpcLink', deleteVpcLink),
]
