/** The invoke URLs of every stage an emulator serves, for `local start`. */
import {createApiGatewayPort} from '../../aws/api-gateway.ts'
import {createAwsClients} from '../../aws/clients.ts'
import {LOCAL_CREDENTIALS} from '../../aws/target.ts'
import {localStageUrl} from './urls.ts'

export type StageUrl = {api: string; apiId: string; stage: string; url: string; hostStyleUrl: string}

/** Every REST API stage an emulator serves, sorted by API name and stage. */
export async function localStageUrls(endpoint: string): Promise<StageUrl[]> {
  const clients = createAwsClients({region: 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 1}, true)
  try {
    const port = createApiGatewayPort(clients)
    const out: StageUrl[] = []
    for (const api of await port.listRestApis()) {
      for (const stage of await port.getStages(api.id ?? '')) {
        out.push({
          api: api.name ?? '',
          apiId: api.id ?? '',
          stage: stage.stageName ?? '',
          ...localStageUrl(endpoint, api.id ?? '', stage.stageName ?? ''),
        })
      }
    }
    return out.sort((a, b) => a.api.localeCompare(b.api) || a.stage.localeCompare(b.stage))
  } finally {
    clients.destroy()
  }
}
