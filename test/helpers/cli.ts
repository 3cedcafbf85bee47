/**
 * Run the BUILT apigw binary (`node bin/run.js ...`) as a child process, as a user would.
 * The commands load from dist/ through oclif.manifest.json, so these tests assume a fresh build: the
 * README's test command (`npm test`) runs `npm run build` first. `cliBuilt()` says whether dist/ is there.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export const repoRoot = new URL('../../', import.meta.url).pathname
export const binPath = join(repoRoot, 'bin/run.js')

export type CliRun = {
  /** Exit code; null when the process was killed (timedOut tells why). */
  code: number | null
  stdout: string
  stderr: string
  timedOut: boolean
  /** Wall time in milliseconds. */
  ms: number
}

export type RunCliOptions = {
  cwd?: string
  /** Added to a clean environment (PATH, HOME, NODE_* kept; CI and colour variables dropped unless given). */
  env?: Record<string, string | undefined>
  /** Written to stdin, which is then closed; without it stdin is closed at once (never a TTY). */
  input?: string
  /** Kill the process after this many milliseconds (default 60 s: a bound on a hang, generous for a loaded machine). */
  timeoutMs?: number
}

/** True when dist/ holds a build the binary can run. */
export function cliBuilt(): boolean {
  return existsSync(join(repoRoot, 'dist/commands')) && existsSync(join(repoRoot, 'oclif.manifest.json'))
}

export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliRun> {
  const base: Record<string, string | undefined> = {}
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'NODE_OPTIONS', 'SystemRoot']) base[key] = process.env[key]
  const env: Record<string, string | undefined> = {...base, NO_COLOR: '1', ...options.env}
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
    })
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs ?? 60_000)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout, stderr, timedOut, ms: Date.now() - started})
    })
    child.stdin.on('error', () => {}) // the CLI may exit before reading its input
    child.stdin.end(options.input ?? '')
  })
}

/** What `apigw local start --json` prints once it serves. */
export type ReadyEvent = {event: 'ready'; endpoint: string; port: number; pid: number}

/** The `ready` event on the stdout of `apigw local start --json`; rejects if the child exits first or is silent too long. */
export function readyEvent(child: ChildProcess, timeoutMs = 60_000): Promise<ReadyEvent> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => reject(new Error(`no ready line in ${timeoutMs / 1000} s`)), timeoutMs)
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buffered += d
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines.filter(Boolean)) {
        const event = JSON.parse(line) as Partial<ReadyEvent>
        if (event.event === 'ready') {
          clearTimeout(timer)
          resolve(event as ReadyEvent)
        }
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited (${code}) before ready`))
    })
  })
}

/** `apigw local start` (the built binary) as a process of its own on a state directory, once it is ready. */
export async function localStartProcess(dataDir: string): Promise<{child: ChildProcess; endpoint: string; exited: Promise<unknown>}> {
  const child = spawn(process.execPath, [binPath, 'local', 'start', '--port', '0', '--json', '--data-dir', dataDir], {cwd: tmpdir()})
  const exited = new Promise((resolve) => child.on('exit', resolve))
  const {endpoint} = await readyEvent(child)
  return {child, endpoint, exited}
}
