// The {{name}} API's Lambda function: every route of the HTTP API invokes it with a payload 2.0 event
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
// apigw.yaml's `functions:` runs it locally (`apigw deploy --local`, `apigw local start`); on AWS, deploy it with
// your IaC and put its ARN in the spec's integration URIs.
//
// Items are kept in memory, which is enough for one warm local function. On AWS keep them in a table instead.
const items = new Map()

export async function handler(event) {
  const caller = event.requestContext.authorizer?.jwt?.claims?.sub ?? 'anonymous'
  const id = event.pathParameters?.id
  switch (event.routeKey) {
    case 'GET /items':
      // Payload 2.0: JSON without a statusCode is a 200 application/json answer.
      return [...items.values()]
    case 'POST /items': {
      const input = parse(event.body, event.isBase64Encoded)
      if (typeof input?.name !== 'string' || input.name === '') return answer(400, {message: 'Give the item a name: {"name": "…"}'})
      const item = {id: String(items.size + 1), name: input.name, createdBy: caller}
      items.set(item.id, item)
      return answer(201, item, {location: `/items/${item.id}`})
    }
    case 'GET /items/{id}':
      return items.has(id) ? items.get(id) : answer(404, {message: `No item ${id}`})
    case 'DELETE /items/{id}':
      return items.delete(id) ? answer(204) : answer(404, {message: `No item ${id}`})
    default:
      return answer(404, {message: `No route ${event.routeKey}`})
  }
}

function answer(statusCode, body, headers = {}) {
  return {
    statusCode,
    headers: {'content-type': 'application/json', ...headers},
    body: body === undefined ? '' : JSON.stringify(body),
  }
}

function parse(body, isBase64Encoded) {
  try {
    return JSON.parse(isBase64Encoded ? Buffer.from(body ?? '', 'base64').toString('utf8') : (body ?? ''))
  } catch {
    return undefined
  }
}
