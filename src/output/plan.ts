/** The plan as text: spec changes, settings changes, usage plans, and the exact AWS calls. Pure. */
import type {DeploymentPlan, PlanStep} from '../core/plan/types.ts'
import {type Colors, noColors} from './findings.ts'
import {terminalSafeDeep} from './terminal-text.ts'

const show = (v: unknown) => (v === null || v === undefined ? '(unset)' : typeof v === 'string' ? JSON.stringify(v) : String(v))

export function renderStep(step: PlanStep, index: number): string {
  const input = JSON.stringify(step.input)
  return `${String(index + 1).padStart(2)}. ${step.operation} ${input}\n      ${step.why}`
}

export function renderPlan(raw: DeploymentPlan & {spec?: string}, c: Colors = noColors): string {
  const plan = terminalSafeDeep(raw)
  const head =
    `${c.bold(`${plan.api}`)} (${plan.type === 'rest' ? 'REST' : 'HTTP'} ` +
    `API${plan.apiId ? ` ${plan.apiId}` : ', not created yet'}) → stage ${c.bold(plan.stage)}`
  const lines = [head]
  if (plan.upToDate) {
    lines.push(
      `Up to date: the stage runs spec ${plan.specHash.repo} with the settings ` +
        `of apigw.yaml. deploy would make no new deployment (--force makes one).`,
    )
    lines.push(...renderAlarmPlan(plan, c))
    return lines.join('\n')
  }
  const why: Record<DeploymentPlan['reason'], string> = {
    'api-missing': 'the API does not exist yet',
    'stage-missing': 'the stage does not exist yet',
    'spec-changed': `the spec changed (${plan.specHash.stage} → ${plan.specHash.repo})`,
    'not-recorded': 'the stage runs a deployment apigw did not record',
    forced: '--force',
    'settings-changed':
      `only ${plan.settings.length === 0 && plan.apiChanges.length > 0 ? 'API' : 'stage'} ` + `settings changed: no new deployment`,
    'up-to-date': 'up to date',
    promote: 'promote: the stage moves to an existing deployment',
  }
  lines.push(`Why: ${why[plan.reason]}`)
  const ops = plan.operations
  if (ops.added.length + ops.removed.length + ops.changed.length > 0) {
    lines.push('', c.bold('Operations'))
    for (const o of ops.added) lines.push(`  ${c.blue('+')} ${o}`)
    for (const o of ops.removed) lines.push(`  ${c.red('-')} ${o}`)
    for (const o of ops.changed) lines.push(`  ${c.yellow('~')} ${o}`)
    if (ops.basis === 'export')
      lines.push(
        c.dim("  (compared with the stage's export; changed operations are listed only when the deployed commit is in this repository)"),
      )
  }
  if (plan.apiChanges.length > 0) {
    lines.push('', c.bold('API settings'))
    for (const s of plan.apiChanges) lines.push(`  ${c.yellow('~')} ${s.setting}: ${show(s.from)} → ${show(s.to)}`)
  }
  if (plan.settings.length > 0) {
    lines.push('', c.bold('Stage settings'))
    for (const s of plan.settings) lines.push(`  ${c.yellow('~')} ${s.setting}: ${show(s.from)} → ${show(s.to)}`)
  }
  if (plan.usagePlans.length > 0) {
    lines.push('', c.bold('Usage plans'))
    for (const u of plan.usagePlans) lines.push(`  ${u.action} ${u.name}: ${u.changes.join(', ')}`)
  }
  if (plan.documentation) {
    const d = plan.documentation
    const what = {publish: 'publish as a new version', 'point-stage': 'the stage publishes it', 'up-to-date': 'published'}[d.action]
    lines.push('', c.bold('Documentation'), `  version ${d.version} (${d.parts} parts): ${what}`)
  }
  lines.push('', c.bold(`AWS calls (${plan.steps.length})`))
  for (const [i, s] of plan.steps.entries()) lines.push(renderStep(s, i))
  lines.push(...renderAlarmPlan(plan, c))
  return readablePlaceholders(lines.join('\n'), plan)
}

/**
 * The plan's placeholders as what they will be: the API's id when it exists, else "<id of the new API>", the new
 * deployment's id, and the ARN of the log group the plan creates (AWS gives the ids when the calls run).
 */
function readablePlaceholders(text: string, plan: DeploymentPlan): string {
  const group = plan.steps.find((s): s is Extract<PlanStep, {operation: 'CreateLogGroup'}> => s.operation === 'CreateLogGroup')?.input
    .logGroupName
  const names: Record<string, string> = {
    restApiId: plan.apiId ?? `<id of the new ${plan.type === 'rest' ? 'REST' : 'HTTP'} API>`,
    deploymentId: '<id of the new deployment>',
    logGroupArn: group ? `<ARN of log group ${group}>` : '<ARN of the log group>',
  }
  return text.replace(/\$\{(restApiId|deploymentId|logGroupArn)\}/g, (m, k: string) => names[k] ?? m)
}

/** The alarms of the stage: what deploy does to each, and the CloudWatch calls. */
export function renderAlarmPlan(plan: DeploymentPlan, c: Colors = noColors): string[] {
  const alarms = plan.alarms
  if (!alarms || alarms.changes.length === 0) return []
  const sign = {create: c.blue('+'), update: c.yellow('~'), delete: c.red('-'), unchanged: ' '}
  const lines = ['', c.bold('Alarms')]
  for (const a of alarms.changes) {
    const what = a.action === 'unchanged' && !a.fields ? 'up to date' : a.action
    lines.push(`  ${sign[a.action]} ${a.name}: ${what}${a.fields ? ` (${a.fields.join(', ')})` : ''}`)
  }
  if (alarms.steps.length > 0) {
    lines.push('', c.bold(`CloudWatch calls (${alarms.steps.length})`))
    for (const [i, s] of alarms.steps.entries()) lines.push(`  ${i + 1}. cloudwatch ${s.operation} — ${s.why}`)
  }
  return lines
}
