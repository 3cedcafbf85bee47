/** `apigw validate`: load the spec of an API (or --spec), run the rules, locate the findings. */
import {dirname, resolve} from 'node:path'
import type {ApiType} from '../../core/rules/types.ts'
import {CliError} from '../../errors.ts'
import {loadProject, loadSpecFile, refConfinement, selectAnyApi, selectApi} from '../project.ts'
import {type ValidateResult, validateLoaded, variablesOf} from './check-spec.ts'
import {validateWebSocket} from './websocket.ts'

export {validateWebSocket}

export type {ValidateResult} from './check-spec.ts'

export type ValidateOptions = {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  /** Validate this file instead of the API's spec (works without apigw.yaml). */
  specPath?: string | undefined
  type?: ApiType | undefined
  /** Directories outside the project that $refs may read (--allow-ref-outside). */
  allowRefOutside?: string[] | undefined
}

export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath, required: options.specPath === undefined})
  let specPath: string
  let type: ApiType = options.type ?? 'rest'
  let apiName: string | null = null
  let stageVariables: Set<string> | undefined
  if (options.specPath !== undefined) {
    specPath = resolve(options.cwd, options.specPath)
    if (project && !options.type) {
      // A --spec that is one of the config's APIs takes that API's type and stages.
      const match = Object.entries(project.config.apis).find(([, a]) => a.type !== 'websocket' && resolve(project.dir, a.spec) === specPath)
      if (match && match[1].type !== 'websocket') {
        apiName = match[0]
        type = match[1].type
        stageVariables = variablesOf(match[1].stages)
      }
    }
  } else {
    const any = selectAnyApi(project!, options.api)
    if (any.api.type === 'websocket') {
      if (options.type !== undefined)
        throw new CliError('USAGE', `API "${any.name}" is a WebSocket API: --type ${options.type} does not apply.`, {
          hint: 'Drop --type: the type comes from apigw.yaml.',
        })
      return validateWebSocket(project!, any.name, any.api, options.cwd)
    }
    const selected = selectApi(project!, options.api)
    specPath = selected.specPath
    apiName = selected.name
    type = options.type ?? selected.api.type
    stageVariables = variablesOf(selected.api.stages)
  }
  // $refs stay inside the project (or the spec's own directory with --spec) unless --allow-ref-outside.
  const root = options.specPath !== undefined || !project ? dirname(specPath) : project.dir
  const spec = await loadSpecFile(specPath, {confine: refConfinement(root, options.allowRefOutside, options.cwd, specPath)})
  return validateLoaded({spec, project, api: apiName, type, stageVariables, cwd: options.cwd})
}
