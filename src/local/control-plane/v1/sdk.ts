/**
 * GetSdk (`GET /restapis/{restapi_id}/stages/{stage_name}/sdks/{sdk_type}`): for `javascript`, a zip with a
 * small working client generated from the stage's deployment snapshot (`apiGateway-js-sdk/apigClient.js`);
 * the other AWS SDK types answer 501. The body is the zip, as AWS sends it (application/octet-stream with a
 * Content-Disposition attachment).
 * AWS docs: https://docs.aws.amazon.com/apigateway/latest/api/API_GetSdk.html
 */
import {zipSync} from 'fflate'
import {renderJavascriptSdk} from '../../../core/sdk/javascript-client.ts'
import {awsMethodName, type SdkOperation} from '../../../core/sdk/operations.ts'
import type {ApiSnapshot} from '../../openapi/types.ts'
import {AwsError, notFound} from '../../protocol/aws-error.ts'
import type {Handler} from '../../types.ts'
import {requireDeployment, requireStage} from './lookup.ts'

const AWS_SDK_TYPES = new Set(['javascript', 'android', 'java', 'objectivec', 'swift', 'ruby'])

/** The operations of a deployment snapshot, named as API Gateway's SDKs name them. */
export function snapshotOperations(snapshot: ApiSnapshot): SdkOperation[] {
  const ops: SdkOperation[] = []
  const resources = [...snapshot.resources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  for (const r of resources) {
    for (const verb of Object.keys(r.resourceMethods ?? {}).sort()) {
      const m = r.resourceMethods![verb]!
      const params = Object.keys(m.requestParameters ?? {})
      const of = (where: string) =>
        params.filter((p) => p.startsWith(`method.request.${where}.`)).map((p) => p.slice(`method.request.${where}.`.length))
      ops.push({
        method: verb,
        path: r.path,
        name: awsMethodName(r.path, verb),
        operationId: m.operationName,
        pathParams: [...new Set([...of('path'), ...[...r.path.matchAll(/\{([^}+]+)\+?\}/g)].map((x) => x[1]!)])],
        queryParams: of('querystring'),
        headerParams: of('header'),
        hasBody: !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(verb),
      })
    }
  }
  return ops
}

export const getSdk: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const stageName = req.params.stage_name!
  const sdkType = req.params.sdk_type ?? req.params.sdktype_id ?? ''
  const stage = requireStage(ctx.store, restApiId, stageName)
  // Same message as GetSdkType for an unknown type.
  if (!AWS_SDK_TYPES.has(sdkType)) throw notFound('Invalid SDK type specified')
  if (sdkType !== 'javascript') {
    throw new AwsError(
      'NotImplementedException',
      `GetSdk for sdkType ${sdkType} is not supported by the apigw local emulator (only javascript is generated ` +
        `locally; see LIMITATIONS.md). Use \`apigw export sdk --language typescript\` for a typed client.`,
      501,
    )
  }
  const deployment = requireDeployment(ctx.store, restApiId, stage.deploymentId)
  const snapshot = deployment._snapshot
  const files = renderJavascriptSdk({
    title: snapshot.settings.name,
    restApiId,
    stageName,
    invokeUrl: `https://${restApiId}.execute-api.${ctx.region}.amazonaws.com/${stageName}`,
    operations: snapshotOperations(snapshot),
    generatedAt: new Date(deployment.createdDate * 1000),
  })
  const entries: Record<string, Uint8Array> = {}
  for (const [path, text] of Object.entries(files)) entries[path] = new TextEncoder().encode(text)
  const zip = zipSync(entries, {level: 6, mtime: new Date(deployment.createdDate * 1000)})
  return {
    status: 200,
    raw: Buffer.from(zip),
    contentType: 'application/octet-stream',
    headers: {'content-disposition': `attachment; filename="${restApiId}-${stageName}-javascript.zip"`},
  }
}
