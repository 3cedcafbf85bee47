/** What a validate rule sees, and what it is. A rule returns findings; its level lives in the registry. */
import type {Finding, Level} from '../findings.ts'
import type {Spec} from '../spec/load.ts'

export type ApiType = 'rest' | 'http'

export type RuleContext = {
  spec: Spec
  apiType: ApiType
  /** Stage variables defined by any stage in apigw.yaml; undefined when validating without a config. */
  stageVariables: Set<string> | undefined
  /** The variables of each stage that deploys the spec (by stage name); undefined without a config. */
  stages?: Record<string, Set<string>> | undefined
  /** The API's entry in apigw.yaml, for rules that check the config against the spec; undefined without one. */
  project?: ProjectRuleContext | undefined
}

export type ProjectRuleContext = {
  /** Absolute path of apigw.yaml (findings about the config point into it). */
  file: string
  /** The API's key in apigw.yaml. */
  api: string
  usagePlans?: Record<string, {methods?: Record<string, unknown> | undefined}> | undefined
  /** The stages' settings in apigw.yaml (rules that refuse settings the API's type lacks). */
  stageSettings?: Record<string, {caching?: unknown; executionLogs?: unknown; tracing?: unknown} | undefined> | undefined
}

/** A finding before the registry sets its id and level. */
export type RuleFinding = Omit<Finding, 'id' | 'level'> & {level?: Level}

export type Rule = (ctx: RuleContext) => RuleFinding[] | Promise<RuleFinding[]>

export type RuleEntry = {id: string; level: Level; rule: Rule; description: string}
