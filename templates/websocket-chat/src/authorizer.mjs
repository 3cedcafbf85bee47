// The {{name}} authorizer: a Lambda REQUEST authorizer on $connect. It allows a connection whose ?token=
// equals CHAT_TOKEN (set under functions: in apigw.yaml; replace this check with your own before deploying).
export async function handler(event) {
  const token = event.queryStringParameters?.token
  const effect = token !== undefined && token === process.env.CHAT_TOKEN ? 'Allow' : 'Deny'
  return {
    principalId: 'chat-user',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn}],
    },
    context: {user: 'chat-user'},
  }
}
