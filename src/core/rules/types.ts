/** What a validate rule sees, and what it is. A rule returns findings; its level lives in the registry. */
import type {Finding, Level} from '../findings.ts'
import type {Spec} from '../spec/load.ts'

export type ApiType = 'rest' | 'http'

export type RuleContext = {
  spec: Spec
  apiType: ApiType
  /** Stage variables defined by any stage in apigw.yaml; undefined when validating without a config. */
  stageVariables: Set<string> | undefined
}

/** A finding before the registry sets its id and level. */
export type RuleFinding = Omit<Finding, 'id' | 'level'> & {level?: Level}

export type Rule = (ctx: RuleContext) => RuleFinding[] | Promise<RuleFinding[]>

export type RuleEntry = {id: string; level: Level; rule: Rule; description: string}
