/**
 * The narrow port `apigw invoke` uses: the API's resources (to find the one a path selects) and
 * TestInvokeMethod. SDK errors become CliErrors (src/aws/errors.ts).
 */
import type {AwsClients} from './clients.ts'
import {mapAwsError} from './errors.ts'

export type ResourceRef = {id: string; path: string; methods: string[]}

export type TestInvokeInput = {
  restApiId: string
  resourceId: string
  httpMethod: string
  pathWithQueryString: string
  body?: string | undefined
  multiValueHeaders: Record<string, string[]>
  stageVariables?: Record<string, string> | undefined
}

export type TestInvokeOutput = {status: number; body: string; multiValueHeaders: Record<string, string[]>; log: string; latency: number}

export type InvokePort = {
  getResources(restApiId: string): Promise<ResourceRef[]>
  testInvokeMethod(input: TestInvokeInput): Promise<TestInvokeOutput>
}

export function createInvokePort(clients: AwsClients): InvokePort {
  const load = () => import('@aws-sdk/client-api-gateway')
  return {
    async getResources(restApiId) {
      const [m, client] = await Promise.all([load(), clients.apiGateway()])
      const out: ResourceRef[] = []
      let position: string | undefined
      try {
        do {
          const page = await client.send(new m.GetResourcesCommand({restApiId, limit: 500, position, embed: ['methods']}))
          for (const r of page.items ?? []) out.push({id: r.id ?? '', path: r.path ?? '/', methods: Object.keys(r.resourceMethods ?? {})})
          position = page.position
        } while (position)
      } catch (error) {
        throw mapAwsError(error, {operation: 'GetResources', resource: `REST API ${restApiId}`})
      }
      return out
    },
    async testInvokeMethod(input) {
      const [m, client] = await Promise.all([load(), clients.apiGateway()])
      try {
        const out = await client.send(new m.TestInvokeMethodCommand(input))
        const multi: Record<string, string[]> = {...out.multiValueHeaders}
        for (const [k, v] of Object.entries(out.headers ?? {})) if (!multi[k]) multi[k] = [v]
        return {status: out.status ?? 0, body: out.body ?? '', multiValueHeaders: multi, log: out.log ?? '', latency: out.latency ?? 0}
      } catch (error) {
        throw mapAwsError(error, {operation: 'TestInvokeMethod', resource: `method ${input.httpMethod} ${input.pathWithQueryString}`})
      }
    },
  }
}
