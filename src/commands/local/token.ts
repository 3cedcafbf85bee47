import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'
import type {LocalTokenResult} from '../../services/local.ts'

export default class LocalToken extends BaseCommand<typeof LocalToken> {
  static override summary = "Mint a JWT signed by the emulator's local identity provider (a Cognito user pool or an OpenID issuer)."
  static override description =
    'Prints the token on stdout (and nothing else), for Cognito user-pool authorizers (--pool) or HTTP API JWT authorizers ' +
    "(--issuer). The emulator keeps each pool's and issuer's signing key and publishes it at " +
    '/_aws/identity/{pools|issuers}/NAME/.well-known/jwks.json.'
  static override examples = [
    '<%= config.bin %> local token --pool users --claim email=ana@example.com',
    '<%= config.bin %> local token --pool us-east-1_AbC123 --scope pets/read --expires 15m',
    '<%= config.bin %> local token --issuer main --claim aud=my-client --scope read',
    'curl -H "Authorization: $(<%= config.bin %> local token --pool users)" http://127.0.0.1:4567/_aws/execute-api/ID/dev/pets',
  ]
  static override flags = {
    pool: Flags.string({summary: "A Cognito user pool: a name under apigw.yaml's identity.pools, or a pool id (us-east-1_AbC123)."}),
    issuer: Flags.string({summary: 'A local OpenID issuer name (JWT authorizers of HTTP APIs); needs `apigw local start` running.'}),
    claim: Flags.string({summary: 'A claim, name=value (repeatable; true/false are booleans, [..] and {..} JSON).', multiple: true}),
    scope: Flags.string({summary: 'An OAuth scope (repeatable); with --pool it makes an access token.', multiple: true}),
    expires: Flags.string({summary: 'Lifetime: 30s, 15m, 1h, 7d (default 1h); 0 mints a token that has already expired.'}),
    'token-use': Flags.string({
      summary: 'With --pool: an id or access token (default: access with --scope, else id).',
      options: ['id', 'access'],
    }),
    'data-dir': Flags.string({summary: 'State directory (default: .apigw/local beside apigw.yaml).'}),
  }

  async run(): Promise<LocalTokenResult> {
    const {flags} = await this.parseAll()
    const {mintLocalToken} = await import('../../services/local.ts')
    const result = await mintLocalToken({
      cwd: process.cwd(),
      configPath: flags.config,
      dataDir: flags['data-dir'],
      pool: flags.pool,
      issuer: flags.issuer,
      claims: flags.claim,
      scopes: flags.scope,
      expires: flags.expires,
      tokenUse: flags['token-use'] as 'id' | 'access' | undefined,
    })
    if (!this.jsonEnabled()) {
      process.stdout.write(`${result.token}\n`)
      process.stderr.write(`${result.tokenUse ? `${result.tokenUse} token` : 'token'} for ${result.issuer}, expires ${result.expiresAt}\n`)
    }
    return result
  }
}
