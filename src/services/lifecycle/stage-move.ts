/**
 * What promote, canary and rollback share: their result (a stage moved from one deployment to another),
 * the confirmation they ask for, and the refusal of canaries on HTTP APIs.
 */
import type {DeploymentPlan} from '../../core/plan/types.ts'
import {CliError} from '../../errors.ts'

export type Confirm = (message: string) => Promise<boolean>

export type StageMoveResult = {
  api: string
  type: 'rest' | 'http'
  apiId: string
  stage: string
  action: 'promote' | 'canary-start' | 'canary-percent' | 'canary-promote' | 'canary-abort' | 'rollback'
  /** The deployment the stage ran before. */
  from: string | null
  /** The deployment the stage runs now. */
  to: string | null
  canary: {deploymentId: string | null; percentTraffic: number} | null
  changed: boolean
  plan?: DeploymentPlan
}

export async function confirmOrCancel(confirm: Confirm | undefined, message: string): Promise<void> {
  if (!confirm) return
  if (!(await confirm(message))) throw new CliError('CANCELLED', 'Cancelled; nothing was changed.', {hint: 'Pass --yes to skip the question.'})
}

export function httpCanaryError(api: string): CliError {
  return new CliError('NOT_SUPPORTED', `${api} is an HTTP API, and canary releases exist only for REST APIs (API Gateway v1 stages have canarySettings; v2 stages do not).`, {
    hint: 'Promote the whole stage instead (`apigw promote --from S1 --to S2`), or use a REST API for canary releases.',
  })
}
