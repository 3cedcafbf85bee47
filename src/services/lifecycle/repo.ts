/**
 * The repo side of the lifecycle: apigw.yaml's API and stage, its spec, the exact body apigw sends and
 * its hash; and the spec as it was at a recorded git commit.
 */
import {execFileSync} from 'node:child_process'
import {relative, sep} from 'node:path'
import type {StageConfig} from '../../core/config/config.ts'
import {withDocumentation} from '../../core/docs/parts.ts'
import type {DesiredDocumentation} from '../../core/plan/types.ts'
import {CliError} from '../../errors.ts'
import {parseSpecText, type Spec} from '../../core/spec/load.ts'
import {loadProject, loadSpecFile, refConfinement, type SelectedApi, selectApi, selectStage} from '../project.ts'
import {shortHash, specBody} from './deployment-record.ts'

/** The repo side: the project, the API and the stage, the spec and the exact body apigw sends. */
export type RepoSide = {
  selected: SelectedApi
  stageConfig: StageConfig
  spec: Spec
  body: string
  specHash: string
  /** `docs:` in apigw.yaml (REST): the parts the body carries, and whether deploy publishes them. */
  documentation?: (DesiredDocumentation & {publish: boolean}) | undefined
}

export async function readRepo(options: {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  stage?: string | undefined
  /** Directories outside the project that the spec's $refs may read (--allow-ref-outside). */
  allowRefOutside?: string[] | undefined
}): Promise<RepoSide> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectApi(project!, options.api)
  if (options.stage !== undefined) selectStage(selected, options.stage)
  const spec = await loadSpecFile(selected.specPath, {
    confine: refConfinement(project!.dir, options.allowRefOutside, options.cwd, selected.specPath),
  })
  let body = await specBody(spec)
  let documentation: RepoSide['documentation']
  const docs = selected.api.docs
  if (docs && selected.api.type !== 'rest') {
    throw new CliError('CONFIG_INVALID', `apis.${selected.name}.docs is for REST APIs: HTTP APIs have no documentation parts.`, {
      hint: `Remove docs from ${selected.name} in apigw.yaml.`,
    })
  }
  if (docs) {
    // The spec's descriptions travel as x-amazon-apigateway-documentation, so the import makes them parts (AWS too).
    const doc = (spec.files.size <= 1 ? spec.doc : JSON.parse(body)) as Record<string, unknown>
    const info = (doc.info ?? {}) as {version?: unknown}
    const version = docs.version ?? String(info.version ?? '1.0.0')
    const documented = withDocumentation(doc, version)
    body = JSON.stringify(documented.doc)
    documentation = {version, hash: documented.hash, parts: documented.parts.length, publish: docs.publish === true}
  }
  return {
    selected,
    stageConfig: options.stage === undefined ? {} : (selected.api.stages[options.stage] ?? {}),
    spec,
    body,
    specHash: shortHash(body),
    documentation,
  }
}

/** The spec file as it was at `commit`, when it hashes to the recorded spec hash (one-file specs only). */
export async function specAtCommit(repo: RepoSide, commit: string, hash: string): Promise<unknown> {
  if (repo.spec.files.size > 1) return undefined
  try {
    const dir = repo.selected.project.dir
    const rel = relative(dir, repo.spec.file).split(sep).join('/')
    const text = execFileSync('git', ['show', `${commit}:./${rel}`], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
      maxBuffer: 64 * 1024 * 1024,
    })
    if (shortHash(text) !== hash) return undefined
    return parseSpecText(text, {path: repo.spec.file}).doc
  } catch {
    return undefined
  }
}
