/**
 * `apigw dev`: the emulator in-process, the project's APIs deployed to one stage on it, and a watch loop that
 * deploys again on every save of apigw.yaml, a spec file (with the files its $refs read) or a Lambda handler's
 * directory. A deploy that fails (validation errors, a spec that does not parse) is reported and changes nothing:
 * the stage keeps serving its last good deployment. Every request to a stage is reported as it is answered.
 */
import {type FSWatcher, watch} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {createAwsClients} from '../../aws/clients.ts'
import {LOCAL_CREDENTIALS} from '../../aws/target.ts'
import type {LoadedConfig} from '../../core/config/config.ts'
import {silentProgress} from '../../deps.ts'
import {CliError, isCliError} from '../../errors.ts'
import {localStageUrl} from '../invoke/urls.ts'
import type {DeployResult, deploy} from '../lifecycle/deploy.ts'
import {readRepo} from '../lifecycle/repo.ts'
import type {startLocalServer} from '../local.ts'
import {loadProject, relativePath, selectAnyApi, selectStage} from '../project.ts'

export type DevDeployed = {
  event: 'deployed'
  api: string
  stage: string
  apiId: string
  deploymentId: string | undefined
  /** False when the stage already ran this spec with these settings (nothing was deployed). */
  changed: boolean
  url: string
  hostStyleUrl: string
  warnings: string[]
}

export type DevEvent =
  | {event: 'ready'; endpoint: string; dataDir: string; stage: string; apis: string[]; functions: string[]}
  | DevDeployed
  | {event: 'deploy-failed'; api: string; stage: string; error: CliError; servingDeploymentId: string | undefined}
  | {event: 'watching'; files: string[]}
  | {event: 'changed'; files: string[]}
  | {event: 'request'; api: string | undefined; stage: string | undefined; method: string; path: string; status: number; ms: number}

export type DevOptions = {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  stage: string
  port: number
  dataDir?: string | undefined
  lambdaEndpoint?: string | undefined
  /** Changes closer together than this make one deploy (ms; default 150). */
  debounceMs?: number | undefined
  /** Ends the loop (Ctrl-C). */
  signal: AbortSignal
  onEvent(event: DevEvent): void
}

/** The deploy and the emulator of their own commands, passed in by the command (one service never calls another's). */
export type DevDeps = {deploy: typeof deploy; startLocalServer: typeof startLocalServer}

export type DevResult = {endpoint: string; stage: string; apis: string[]; deploys: number; failedDeploys: number; requests: number}

/** Files that are never a reason to deploy again: editor swap and backup files, the emulator's own state. */
const IGNORED = /(^\.|~$|\.swp$|\.swx$|\.tmp$|^4913$|\.sqlite(-wal|-shm|-journal)?$)/

export async function dev(options: DevOptions, use: DevDeps): Promise<DevResult> {
  const project = (await loadProject({cwd: options.cwd, configPath: options.configPath}))!
  const apis = devApis(project, options.api, options.stage)
  const counts = {deploys: 0, failedDeploys: 0, requests: 0}
  const apiNames = new Map<string, string>()
  const serving = new Map<string, string | undefined>()
  const server = await use.startLocalServer({
    cwd: options.cwd,
    configPath: options.configPath,
    dataDir: options.dataDir,
    port: options.port,
    host: '127.0.0.1',
    lambdaEndpoint: options.lambdaEndpoint,
    onRequest: (e) => {
      if (!e.stage) return
      counts.requests++
      options.onEvent({
        event: 'request',
        api: apiNames.get(e.stage.apiId),
        stage: e.stage.stageName,
        method: e.method,
        path: `/${e.stage.stageName ?? ''}${e.stage.path === '/' && e.stage.stageName ? '' : e.stage.path}`,
        status: e.status,
        ms: e.ms,
      })
    },
  })
  const clients = createAwsClients({region: 'us-east-1', endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 1}, true)
  const deps = {aws: clients, clock: () => new Date(), progress: silentProgress, interactive: false, cwd: options.cwd}
  const watchers = new Map<string, FSWatcher>()
  let watched = {files: new Set<string>(), dirs: new Set<string>()}

  const deployAll = async (): Promise<void> => {
    for (const api of apis) {
      if (options.signal.aborted) return
      let result: DeployResult
      try {
        result = await use.deploy(
          {
            cwd: options.cwd,
            configPath: options.configPath,
            api,
            stage: options.stage,
            mode: 'overwrite',
            allowWarnings: true,
            docsVersionConflict: 'keep',
          },
          deps,
        )
      } catch (error) {
        if (options.signal.aborted) return
        if (!isCliError(error)) throw error
        counts.failedDeploys++
        options.onEvent({event: 'deploy-failed', api, stage: options.stage, error, servingDeploymentId: serving.get(api)})
        continue
      }
      if (!result.upToDate) counts.deploys++
      apiNames.set(result.apiId, api)
      serving.set(api, result.deploymentId)
      options.onEvent({
        event: 'deployed',
        api,
        stage: options.stage,
        apiId: result.apiId,
        deploymentId: result.deploymentId,
        changed: !result.upToDate,
        ...localStageUrl(server.endpoint, result.apiId, options.stage),
        warnings: result.warnings,
      })
    }
  }

  /** What to watch now: apigw.yaml, each spec and the files its $refs read, each handler's directory. */
  const watchSet = async (): Promise<{files: Set<string>; dirs: Set<string>}> => {
    const files = new Set<string>(watched.files)
    const dirs = new Set<string>()
    const current = await loadProject({cwd: options.cwd, configPath: options.configPath}).catch(() => undefined)
    const root = current ?? project
    files.add(root.path)
    for (const api of apis) {
      const config = root.config.apis[api]
      if (config && 'spec' in config && typeof config.spec === 'string') files.add(resolve(root.dir, config.spec))
      try {
        const repo = await readRepo({cwd: options.cwd, configPath: options.configPath, api})
        for (const file of repo.spec.files.keys()) files.add(file)
      } catch {
        // A spec that does not load now: keep watching the files it had, to deploy again once it is fixed.
      }
    }
    for (const fn of Object.values(root.config.functions ?? {})) {
      if (typeof fn.handler === 'string') {
        const dot = fn.handler.lastIndexOf('.')
        dirs.add(dirname(resolve(root.dir, dot > 0 ? fn.handler.slice(0, dot) : fn.handler)))
      }
    }
    return {files, dirs}
  }

  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  // Changes wait in `queued` until the debounce ends, then in `pending` until a cycle takes them.
  let queued = new Set<string>()
  let pending = new Set<string>()
  const changed = (file: string) => {
    if (options.signal.aborted) return
    queued.add(file)
    clearTimeout(timer)
    timer = setTimeout(() => {
      for (const f of queued) pending.add(f)
      queued = new Set()
      if (!running) running = cycle().finally(() => (running = undefined))
    }, options.debounceMs ?? 150)
  }
  const cycle = async (): Promise<void> => {
    while (pending.size > 0 && !options.signal.aborted) {
      const files = [...pending].sort()
      pending = new Set()
      options.onEvent({event: 'changed', files: files.map((f) => relativePath(f, options.cwd))})
      try {
        if (files.includes(project.path)) await server.reloadFunctions().catch(() => undefined)
        await deployAll()
        await rewatch()
      } catch (error) {
        // A bug must not end the loop that serves the last good deployment: report it as a failed deploy.
        counts.failedDeploys++
        const failure = new CliError('INTERNAL', `Deploying again failed: ${(error as Error).message}`, {cause: error})
        for (const api of apis)
          options.onEvent({event: 'deploy-failed', api, stage: options.stage, error: failure, servingDeploymentId: serving.get(api)})
      }
    }
  }

  const rewatch = async (): Promise<void> => {
    const next = await watchSet()
    const dirs = new Set<string>([...[...next.files].map((f) => dirname(f)), ...next.dirs])
    for (const [dir, watcher] of watchers) {
      if (dirs.has(dir)) continue
      watcher.close()
      watchers.delete(dir)
    }
    for (const dir of dirs) {
      if (watchers.has(dir) || options.signal.aborted) continue
      try {
        // The directory, not the file: editors that save by writing a new file and renaming it replace the file.
        const watcher = watch(dir, {persistent: false}, (_event, name) => {
          if (!name || IGNORED.test(basename(name))) return
          const file = join(dir, name)
          if (watched.files.has(file) || watched.dirs.has(dir)) changed(file)
        })
        watcher.on('error', () => {
          watcher.close()
          watchers.delete(dir)
        })
        watchers.set(dir, watcher)
      } catch {
        // A directory that does not exist (yet): watched again after the next deploy.
      }
    }
    const added = [...next.files, ...next.dirs].filter((f) => !watched.files.has(f) && !watched.dirs.has(f))
    watched = next
    if (added.length > 0)
      options.onEvent({
        event: 'watching',
        files: [...next.files, ...[...next.dirs].map((d) => `${d}/`)].map((f) => relativePath(f, options.cwd)),
      })
  }

  try {
    await deployAll()
    await rewatch()
    options.onEvent({
      event: 'ready',
      endpoint: server.endpoint,
      dataDir: server.dataDir,
      stage: options.stage,
      apis,
      functions: server.functions,
    })
    if (!options.signal.aborted) await new Promise<void>((r) => options.signal.addEventListener('abort', () => r(), {once: true}))
  } finally {
    clearTimeout(timer)
    for (const watcher of watchers.values()) watcher.close()
    await running?.catch(() => undefined)
    clients.destroy()
    await server.close()
  }
  return {endpoint: server.endpoint, stage: options.stage, apis, ...counts}
}

/** The APIs `apigw dev` serves: the one named, else every REST and HTTP API that has the stage. */
export function devApis(project: LoadedConfig, api: string | undefined, stage: string): string[] {
  if (api !== undefined) {
    const selected = selectAnyApi(project, api)
    if (selected.api.type === 'websocket') {
      throw new CliError('NOT_SUPPORTED', `apigw dev does not serve WebSocket APIs yet (API "${selected.name}").`, {
        hint: 'Run `apigw dev` with a REST or HTTP API of apigw.yaml.',
      })
    }
    selectStage(selected, stage)
    return [selected.name]
  }
  const names = Object.keys(project.config.apis)
    .sort()
    .filter((name) => {
      const config = project.config.apis[name]!
      return config.type !== 'websocket' && config.stages?.[stage] !== undefined
    })
  if (names.length === 0) {
    throw new CliError('UNKNOWN_STAGE', `No REST or HTTP API in ${relativePath(project.path)} has a stage "${stage}".`, {
      hint: `Pass --stage with a stage of apigw.yaml, or add ${stage} under apis.<name>.stages.`,
    })
  }
  return names
}
