/**
 * One writer at a time per project: `apigw deploy` holds `.apigw/deploy.lock` next to apigw.yaml while
 * it plans and applies, so two deploys started together (two terminals, two CI jobs in one workspace)
 * run one after the other instead of both creating the API. The lock file is made with O_EXCL and names
 * its holder (pid, host, command, start time). A lock whose holder is gone (same host, no such pid) is
 * stale and taken over; a live one is waited for, up to a timeout, then DEPLOY_LOCKED (exit 4).
 */
import {closeSync, constants, mkdirSync, openSync, readFileSync, unlinkSync, writeSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {CliError, EXIT} from './errors.ts'

export type LockHolder = {pid: number; host: string; command: string; started: string}

export type LockOptions = {
  /** The directory of apigw.yaml; the lock is `.apigw/deploy.lock` in it. */
  projectDir: string
  command: string
  /** How long to wait for a live holder (default 120 s, APIGW_LOCK_TIMEOUT seconds). */
  timeoutMs?: number
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  /** Told once when the wait starts. */
  onWait?: (holder: LockHolder | undefined) => void
}

export type ProjectLock = {path: string; release(): void}

export function lockTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.APIGW_LOCK_TIMEOUT)
  return Number.isFinite(s) && s >= 0 && env.APIGW_LOCK_TIMEOUT !== '' && env.APIGW_LOCK_TIMEOUT !== undefined ? s * 1000 : 120_000
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>
    return typeof v.pid === 'number' && typeof v.host === 'string' ? (v as LockHolder) : undefined
  } catch {
    return undefined
  }
}

/** True when the holder is certainly gone: same host and no process with its pid. */
function isStale(holder: LockHolder | undefined): boolean {
  if (!holder) return false
  if (holder.host !== hostname()) return false
  try {
    process.kill(holder.pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/** Take the project lock, waiting for a live holder; throws DEPLOY_LOCKED after the timeout. */
export async function acquireProjectLock(options: LockOptions): Promise<ProjectLock> {
  const dir = join(options.projectDir, '.apigw')
  const path = join(dir, 'deploy.lock')
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const timeout = options.timeoutMs ?? lockTimeoutMs()
  const me: LockHolder = {pid: process.pid, host: hostname(), command: options.command, started: new Date(now()).toISOString()}
  try {
    mkdirSync(dir, {recursive: true, mode: 0o700})
  } catch (error) {
    throw new CliError(
      'FILE_UNWRITABLE',
      `Cannot create ${dir} for the deploy lock: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      {
        hint: 'Check the permissions of the directory that holds apigw.yaml.',
        cause: error,
      },
    )
  }
  const start = now()
  let told = false
  let unreadableSince: number | undefined
  for (;;) {
    try {
      const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600)
      try {
        writeSync(fd, `${JSON.stringify(me)}\n`)
      } finally {
        closeSync(fd)
      }
      let released = false
      return {
        path,
        release: () => {
          if (released) return
          released = true
          // Only our own lock: never remove one a stale-lock takeover gave to someone else.
          if (readHolder(path)?.pid === me.pid && readHolder(path)?.host === me.host) unlinkSync(path)
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new CliError(
          'FILE_UNWRITABLE',
          `Cannot create the deploy lock ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
          {
            hint: 'Check the permissions of the .apigw directory next to apigw.yaml.',
            cause: error,
          },
        )
      }
    }
    const holder = readHolder(path)
    // A lock file being written right now reads as empty for a moment; one unreadable for 10 s is junk.
    if (!holder) unreadableSince ??= now()
    else unreadableSince = undefined
    if (isStale(holder) || (unreadableSince !== undefined && now() - unreadableSince > 10_000)) {
      try {
        unlinkSync(path)
      } catch {}
      continue
    }
    if (now() - start >= timeout) {
      const who = holder ? `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.started})` : 'another apigw process'
      throw new CliError('DEPLOY_LOCKED', `${who} is deploying this project; waited ${Math.round(timeout / 1000)} s for it.`, {
        hint:
          `Wait for it to finish and run the command again, or set APIGW_LOCK_TIMEOUT=SECONDS ` +
          `to wait longer. If no such process runs any more, delete ${path}.`,
        exitCode: EXIT.AWS,
      })
    }
    if (!told) {
      told = true
      options.onWait?.(holder)
    }
    await sleep(200)
  }
}
