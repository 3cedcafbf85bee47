/**
 * `apigw metrics`: API Gateway's CloudWatch metrics of one stage over a window (requests, 4xx and 5xx rates,
 * latency p50/p99, integration latency, cache hit ratio), for the stage and, with `by`, per method (REST,
 * detailed metrics) or per route (HTTP APIs); each row with its requests per period for a sparkline. Read through
 * GetMetricData, from the emulator's local traffic or from CloudWatch on AWS. `watch` reads again every
 * `refreshMs` until the signal aborts.
 */
import {type CloudWatchPort, createCloudWatchPort} from '../../aws/cloudwatch.ts'
import {CliError} from '../../errors.ts'
import {type LifecycleDeps, portsFor, requireApi} from '../lifecycle/find-api.ts'
import {loadProject, selectApi} from '../project.ts'
import {type MetricsResult, parsePeriod, readMetrics} from './read.ts'

export type {MetricsResult, MetricsRow} from './read.ts'

export type MetricsOptions = {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  stage: string
  since?: string | undefined
  period?: string | undefined
  by?: 'method' | 'route' | undefined
  watch?: boolean | undefined
  signal?: AbortSignal | undefined
  /** Called with every reading of `watch` (the first included). */
  onUpdate?: ((result: MetricsResult) => void) | undefined
}

export type MetricsDeps = LifecycleDeps & {
  cloudWatch?: CloudWatchPort
  /** Wait between readings of `watch`; resolves early when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** Time between readings of `watch` (default 5 s against the emulator, 60 s on AWS). */
  refreshMs?: number
}

export async function metrics(options: MetricsOptions, deps: MetricsDeps): Promise<MetricsResult> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectApi(project!, options.api, 'apigw metrics')
  if (options.by === 'method' && selected.api.type !== 'rest')
    throw new CliError('USAGE', `--by method is for REST APIs; ${selected.name} is an HTTP API.`, {hint: 'Use --by route.'})
  if (options.by === 'route' && selected.api.type !== 'http')
    throw new CliError('USAGE', `--by route is for HTTP APIs; ${selected.name} is a REST API.`, {hint: 'Use --by method.'})
  const period = parsePeriod(options.period ?? '1m')
  const ports = portsFor(deps)
  const found = await requireApi(ports, selected.api.type, selected.name)
  const cw = deps.cloudWatch ?? createCloudWatchPort(deps.aws, ports.scheduler)
  const read = () =>
    readMetrics(cw, {
      api: selected.name,
      apiId: found.id,
      apiName: found.name,
      type: selected.api.type,
      stage: options.stage,
      since: options.since ?? '1h',
      period,
      by: options.by,
      now: deps.clock(),
    })
  let result = await read()
  options.onUpdate?.(result)
  if (!options.watch) return result
  const refreshMs = deps.refreshMs ?? (deps.aws.local ? 5000 : 60_000)
  const sleep = deps.sleep ?? abortableSleep
  while (!options.signal?.aborted) {
    await sleep(refreshMs, options.signal)
    if (options.signal?.aborted) break
    result = await read()
    options.onUpdate?.(result)
  }
  return result
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, {once: true})
  })
}
