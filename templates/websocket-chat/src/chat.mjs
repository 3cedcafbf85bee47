// The {{name}} chat: one Lambda handler for every route of the WebSocket API (apigw.yaml routes it by routeKey).
//
// Open connections are kept in an append-only file (`+id` / `-id` lines), which every local execution
// environment of the function sees. On AWS, keep them in a table (DynamoDB) instead: each Lambda instance
// has its own /tmp.
import {appendFileSync, mkdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

const FILE = process.env.CHAT_CONNECTIONS_FILE ?? join(process.env.APIGW_LOCAL_ENDPOINT ? '.apigw' : tmpdir(), '{{name}}-connections.log')

const connections = {
  add: (id) => record(`+${id}`),
  delete: (id) => record(`-${id}`),
  list() {
    const open = new Set()
    let text = ''
    try {
      text = readFileSync(FILE, 'utf8')
    } catch {}
    for (const line of text.split('\n')) {
      if (line.startsWith('+')) open.add(line.slice(1))
      else if (line.startsWith('-')) open.delete(line.slice(1))
    }
    return [...open]
  },
}

function record(line) {
  mkdirSync(dirname(FILE), {recursive: true})
  appendFileSync(FILE, `${line}\n`)
}

export async function handler(event) {
  const {routeKey, connectionId} = event.requestContext
  switch (routeKey) {
    case '$connect':
      connections.add(connectionId)
      return {statusCode: 200}
    case '$disconnect':
      connections.delete(connectionId)
      return {statusCode: 200}
    case 'sendmessage': {
      // {"action": "sendmessage", "message": "hello"} goes to every open connection.
      const message = parse(event.body).message ?? ''
      const data = JSON.stringify({from: connectionId, message})
      for (const id of connections.list()) {
        const delivered = await postToConnection(event.requestContext, id, data)
        if (!delivered) connections.delete(id)
      }
      return {statusCode: 200}
    }
    default:
      // $default is a two-way route (routeResponseSelectionExpression: $default): the body goes back to the sender.
      return {statusCode: 200, body: JSON.stringify({error: 'Unknown action', hint: 'Send {"action":"sendmessage","message":"hi"}'})}
  }
}

function parse(body) {
  try {
    return JSON.parse(body ?? '{}') ?? {}
  } catch {
    return {}
  }
}

/** One client per stage endpoint, reused by later invocations of a warm environment. */
const clients = {}

/** Send data to a connection through the @connections API; false when the connection is gone (410). */
async function postToConnection(ctx, connectionId, data) {
  // The Lambda Node.js runtime ships the AWS SDK v3 (apigw's local runtime too), and it signs the call (SigV4) with
  // the function's credentials. apigw's local emulator sets APIGW_LOCAL_ENDPOINT; on AWS the endpoint is
  // https://{domainName}/{stage}.
  const {ApiGatewayManagementApiClient, PostToConnectionCommand, GoneException} = await import('@aws-sdk/client-apigatewaymanagementapi')
  const local = process.env.APIGW_LOCAL_ENDPOINT
  const endpoint = local ? `${local}/_aws/execute-api/${ctx.apiId}/${ctx.stage}` : `https://${ctx.domainName}/${ctx.stage}`
  clients[endpoint] ??= new ApiGatewayManagementApiClient({endpoint})
  try {
    await clients[endpoint].send(new PostToConnectionCommand({ConnectionId: connectionId, Data: data}))
    return true
  } catch (error) {
    if (error instanceof GoneException) return false
    throw error
  }
}
