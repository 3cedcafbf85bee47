/** Invoke URLs of stages: the emulator's (path style and host style) and AWS's. Pure helpers. */

/** The path-style and host-style URLs of a stage on an emulator at `endpoint`. */
export function localStageUrl(endpoint: string, apiId: string, stage: string): {url: string; hostStyleUrl: string} {
  const u = new URL(endpoint)
  return {url: `${u.origin}/_aws/execute-api/${apiId}/${stage}`, hostStyleUrl: `http://${apiId}.execute-api.localhost:${u.port}/${stage}`}
}

/** AWS's invoke URL of a REST or HTTP API stage. */
export function awsStageUrl(apiId: string, region: string, stage: string): string {
  return `https://${apiId}.execute-api.${region}.amazonaws.com/${stage === '$default' ? '' : stage}`
}
