import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'

export default class LocalStart extends BaseCommand<typeof LocalStart> {
  static override summary = 'Run the embedded API Gateway emulator as a server until Ctrl-C.'
  static override description =
    'Serves API Gateway v1, v2 and CloudWatch Logs on one loopback port. The AWS CLI, boto3 ' +
    'and the SDKs work against it with --endpoint-url; apigw commands with --local attach to it.'
  static override examples = ['<%= config.bin %> local start', '<%= config.bin %> local start --port 0 --json']
  static override flags = {
    port: Flags.integer({summary: 'Port to listen on (0: any free port).', default: 4567, min: 0, max: 65535}),
    host: Flags.string({summary: 'Loopback address to bind.', default: '127.0.0.1'}),
    'data-dir': Flags.string({summary: 'State directory (default: .apigw/local beside apigw.yaml).'}),
    credentials: Flags.string({
      summary: 'AWS credentials file whose key pairs AWS_IAM methods accept (default: access key test, secret test).',
    }),
  }

  async run(): Promise<{endpoint: string; dataDir: string; requests: number}> {
    const {flags} = await this.parseAll()
    const {startLocalServer} = await import('../../services/local.ts')
    const json = this.jsonEnabled()
    let requests = 0
    // The server's own look-up of its stages (below) is not traffic: events start with `ready`.
    let ready = false
    const server = await startLocalServer({
      cwd: process.cwd(),
      configPath: flags.config,
      dataDir: flags['data-dir'],
      port: flags.port,
      host: flags.host,
      lambdaEndpoint: flags['lambda-endpoint'],
      credentialsFile: flags.credentials,
      onRequest: (e) => {
        if (!ready) return
        requests++
        if (json) process.stdout.write(`${JSON.stringify({event: 'request', ...e, ms: Math.round(e.ms)})}\n`)
        else if (e.operation !== 'Health') process.stderr.write(`${e.status} ${e.operation} ${e.method} ${e.path} ${Math.round(e.ms)}ms\n`)
      },
    })
    const {localStageUrls} = await import('../../services/invoke/stage-urls.ts')
    const stages = await localStageUrls(server.endpoint).catch(() => [])
    ready = true
    // Listen for Ctrl-C and SIGTERM before anyone can read `ready`: a client that stops the server at once stops it cleanly.
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'))
      process.once('SIGTERM', () => resolve('SIGTERM'))
    })
    if (json) {
      const event = {
        event: 'ready',
        endpoint: server.endpoint,
        port: server.port,
        dataDir: server.dataDir,
        pid: process.pid,
        functions: server.functions,
        lambdaEndpoint: server.lambdaEndpoint,
        iamProfiles: server.iamProfiles,
      }
      process.stdout.write(`${JSON.stringify(event)}\n`)
      for (const s of stages) process.stdout.write(`${JSON.stringify({event: 'stage', ...s})}\n`)
    } else {
      this.out(`apigw emulator listening on ${server.endpoint} (state: ${server.dataDir})`)
      if (server.functions.length > 0) process.stderr.write(`Lambda functions run locally: ${server.functions.join(', ')}\n`)
      if (server.lambdaEndpoint) process.stderr.write(`Other Lambda functions: ${server.lambdaEndpoint}\n`)
      if (flags.credentials) process.stderr.write(`AWS_IAM methods accept the keys of: ${server.iamProfiles.join(', ')}\n`)
      this.out(`export AWS_ENDPOINT_URL=${server.endpoint}`)
      for (const s of stages) this.out(`${s.api} ${s.stage}: ${s.url}  (or ${s.hostStyleUrl})`)
      process.stderr.write('Commands with --local attach to it. Ctrl-C stops it.\n')
    }
    const signal = await stopped
    await server.close()
    if (json) process.stdout.write(`${JSON.stringify({event: 'stopped', signal})}\n`)
    else process.stderr.write(`Stopped (${signal}).\n`)
    return {endpoint: server.endpoint, dataDir: server.dataDir, requests}
  }

  protected override logJson(json: unknown): void {
    // NDJSON: the final envelope on one line, like the events before it.
    process.stdout.write(`${JSON.stringify(json)}\n`)
  }
}
