/** The checks of a WebSocket API declared in apigw.yaml, located in that file (validate and deploy share them). */
import {readFileSync} from 'node:fs'
import type {LoadedConfig} from '../../core/config/config.ts'
import {checkWebSocketApi, type WebSocketApiConfig} from '../../core/config/websocket.ts'
import {countByLevel, sortFindings} from '../../core/findings.ts'
import {createLocator} from '../../core/spec/locate.ts'
import {relativePath} from '../project.ts'
import type {ValidateResult} from './check-spec.ts'

/** A WebSocket API is declared in apigw.yaml: its findings point into that file. */
export function validateWebSocket(project: LoadedConfig, name: string, api: WebSocketApiConfig, cwd: string): ValidateResult {
  const raw = checkWebSocketApi({
    file: project.path,
    name,
    api,
    functions: project.config.functions,
    levels: project.config.validate?.levels,
  })
  const locate = raw.length > 0 ? createLocator(project.path, readFileSync(project.path, 'utf8')) : undefined
  const file = relativePath(project.path, cwd)
  const findings = sortFindings(
    raw.map((f) => {
      const pos = locate?.(f.location.pointer)
      return {...f, location: {...f.location, file, ...(pos ? {line: pos.line, column: pos.column} : {})}}
    }),
  )
  const counts = countByLevel(findings)
  return {api: name, type: 'websocket', spec: file, version: null, valid: counts.error === 0, counts, findings}
}
