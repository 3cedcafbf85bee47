/**
 * What promote, canary and rollback share: their result (a stage moved from one deployment to another),
 * the confirmation they ask for, and the refusal of canaries on HTTP APIs.
 */
import type {DeploymentPlan} from '../../core/plan/types.ts'
import {CliError} from '../../errors.ts'

export type Confirm = (message: string) => Promise<boolean>

/** How a command that changes a live stage may go ahead: --yes, or a question at a terminal. */
export type ConfirmOptions = {
  yes?: boolean | undefined
  /** Asks the user; undefined when nobody can be asked (no TTY, CI, --json). */
  confirm?: Confirm | undefined
  /** The command line as typed, for the hint (so it keeps --local, --region, --config …). */
  again?: string | undefined
}

export type StageMoveResult = {
  api: string
  type: 'rest' | 'http' | 'websocket'
  apiId: string
  stage: string
  action: 'promote' | 'canary-start' | 'canary-percent' | 'canary-promote' | 'canary-abort' | 'rollback'
  /** The deployment the stage ran before. */
  from: string | null
  /** The deployment the stage runs now. */
  to: string | null
  canary: {deploymentId: string | null; percentTraffic: number} | null
  changed: boolean
  /** rollback: the deployment gone back to, and when the stage ran it (from its own history). */
  target?: RollbackTarget | undefined
  plan?: DeploymentPlan
}

export type RollbackTarget = {
  id: string
  createdDate: string | null
  git: string | null
  /** How it was chosen: the stage's own history, a deployment id, or a git commit. */
  by: 'history' | 'id' | 'git'
  /** When the stage started running it before (null when apigw did not record it). */
  ranSince: string | null
  /** When the stage moved off it (null when not recorded). */
  ranUntil: string | null
}

/**
 * A change to a live stage goes ahead with --yes, or when the user says yes at a terminal; with nobody to
 * ask it is refused (NON_INTERACTIVE, exit 2) with the same command and --yes as the hint.
 */
export async function confirmStageChange(options: ConfirmOptions, action: string, question: string, command: string): Promise<void> {
  if (options.yes) return
  if (!options.confirm) {
    throw new CliError(
      'NON_INTERACTIVE',
      `${action} changes a live stage and needs a confirmation, and this ` +
        `session cannot prompt (no TTY, CI or --json); nothing was changed.`,
      {
        hint: `Pass --yes: \`${withYes(options.again ?? command)}\`.`,
      },
    )
  }
  if (!(await options.confirm(question)))
    throw new CliError('CANCELLED', 'Cancelled; nothing was changed.', {hint: 'Pass --yes to skip the question.'})
}

function withYes(line: string): string {
  return /(^|\s)(--yes|-y)(\s|$)/.test(line) ? line : `${line} --yes`
}

export function httpCanaryError(api: string, type: 'http' | 'websocket' = 'http'): CliError {
  return new CliError(
    'NOT_SUPPORTED',
    `${api} is ${type === 'http' ? 'an HTTP' : 'a WebSocket'} API, and canary releases exist only for REST APIs ` +
      '(API Gateway v1 stages have canarySettings; v2 stages do not).',
    {
      hint: 'Promote the whole stage instead (`apigw promote --from S1 --to S2`), or use a REST API for canary releases.',
    },
  )
}
