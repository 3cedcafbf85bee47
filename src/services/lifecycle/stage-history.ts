/**
 * A stage's own history: the deployments apigw pointed it at, oldest first, each with the time it started
 * running there, kept in the stage's tag `apigw:ran` (`id@epochSeconds …`; `id` alone when the time is not
 * known, for a deployment the stage ran before apigw recorded it). Deploy, promote and `canary --promote`
 * push the deployment the stage moves to; rollback pops back to the one before. The deployments of an API
 * are shared by its stages, so only this tag says what *this* stage ran (issue 14 point 1).
 */
import {apiArn} from '../../core/plan/plan.ts'
import type {LifecycleDeps, Ports} from './find-api.ts'

export const TAG_STAGE_HISTORY = 'apigw:ran'

/** AWS's limit on a tag value (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-tagging.html). */
const MAX_TAG_VALUE = 256

export type StageRun = {id: string; since?: Date | undefined}

export function parseStageHistory(tags: Record<string, string> | undefined): StageRun[] {
  const value = tags?.[TAG_STAGE_HISTORY]
  if (!value) return []
  const out: StageRun[] = []
  for (const token of value.trim().split(/\s+/)) {
    const m = /^([A-Za-z0-9_-]+)(?:@(\d+))?$/.exec(token)
    if (m) out.push({id: m[1]!, since: m[2] ? new Date(Number(m[2]) * 1000) : undefined})
  }
  return out
}

/** The tag value, trimmed from the oldest end to fit AWS's 256 characters. */
export function formatStageHistory(runs: StageRun[]): string {
  const tokens = runs.map((r) => (r.since ? `${r.id}@${Math.floor(r.since.getTime() / 1000)}` : r.id))
  while (tokens.length > 1 && tokens.join(' ').length > MAX_TAG_VALUE) tokens.shift()
  return tokens.join(' ')
}

/**
 * The runs with `current` last: a stage moved outside apigw (the console, the AWS CLI) runs a deployment
 * its tag does not end with, and that deployment is added with an unknown start.
 */
export function withCurrent(runs: StageRun[], current: string | undefined): StageRun[] {
  if (!current || runs.at(-1)?.id === current) return runs
  return [...runs, {id: current}]
}

/** After a move to `to` at `now` (deploy, promote, canary promote, rollback --to). */
export function pushRun(runs: StageRun[], current: string | undefined, to: string, now: Date): StageRun[] {
  const known = withCurrent(runs, current)
  return known.at(-1)?.id === to ? known : [...known, {id: to, since: now}]
}

/** The run before the current one (what a rollback goes back to), and the history once it has. */
export function previousRun(
  runs: StageRun[],
  current: string | undefined,
): {previous: StageRun; current: StageRun; after: StageRun[]} | undefined {
  const known = withCurrent(runs, current)
  const now = known.at(-1)
  // Drop entries equal to the current one just before it (a stage moved back and forth keeps one of each run).
  let i = known.length - 2
  while (i >= 0 && known[i]!.id === now?.id) i--
  if (!now || i < 0) return undefined
  return {previous: known[i]!, current: now, after: known.slice(0, i + 1)}
}

export function stageArn(type: 'rest' | 'http', region: string, apiId: string, stage: string): string {
  return `${apiArn(type, region, apiId)}/stages/${stage}`
}

/** Write the stage's history tag (TagResource on the stage). */
export async function writeStageHistory(
  ports: Ports,
  type: 'rest' | 'http',
  region: string,
  apiId: string,
  stage: string,
  runs: StageRun[],
): Promise<void> {
  const arn = stageArn(type, region, apiId, stage)
  const tags = {[TAG_STAGE_HISTORY]: formatStageHistory(runs)}
  if (type === 'rest') await ports.v1.tagResource(arn, tags)
  else await ports.v2.tagResource(arn, tags)
}

/** The stage already moved: a history tag that cannot be written is a warning, not a failure. */
export async function recordQuietly(deps: Pick<LifecycleDeps, 'progress'>, stage: string, write: () => Promise<void>): Promise<void> {
  try {
    await deps.progress.step(`Record the move in the history of stage ${stage} (tag ${TAG_STAGE_HISTORY})`, write)
  } catch (error) {
    deps.progress.warn(
      `Stage ${stage} moved, but its history tag could not be written ` +
        `(${(error as Error).message}); a rollback without --to may not know this move.`,
    )
  }
}
