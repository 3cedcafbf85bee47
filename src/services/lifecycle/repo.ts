/**
 * The repo side of the lifecycle: apigw.yaml's API and stage, its spec, the exact body apigw sends and
 * its hash; and the spec as it was at a recorded git commit.
 */
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {relative, resolve, sep} from 'node:path'
import {parse as parseYaml} from 'yaml'
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
  if (selected.api.type === 'rest' && (selected.api.policy !== undefined || selected.api.vpcEndpointIds !== undefined)) {
    // The resource policy and the VPC endpoints travel in the spec, as API Gateway's import reads them.
    const doc = specObject(body, spec)
    if (selected.api.policy !== undefined)
      doc['x-amazon-apigateway-policy'] = readPolicy(selected.api.policy, selected.project.dir, selected.name)
    if (selected.api.vpcEndpointIds !== undefined) {
      const current = (doc['x-amazon-apigateway-endpoint-configuration'] ?? {}) as Record<string, unknown>
      doc['x-amazon-apigateway-endpoint-configuration'] = {...current, vpcEndpointIds: selected.api.vpcEndpointIds}
    }
    body = JSON.stringify(doc)
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

/** The body as an object: JSON already (a bundled or documented spec), else the one-file spec's own document. */
function specObject(body: string, spec: Spec): Record<string, unknown> {
  try {
    return JSON.parse(body) as Record<string, unknown>
  } catch {
    return structuredClone(spec.doc) as Record<string, unknown>
  }
}

/** `policy:` of apigw.yaml: an inline policy document, or a JSON or YAML file relative to apigw.yaml. */
function readPolicy(policy: Record<string, unknown> | string, dir: string, api: string): unknown {
  if (typeof policy !== 'string') return policy
  const file = resolve(dir, policy)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new CliError('CONFIG_INVALID', `apis.${api}.policy names ${policy}, which cannot be read (${file}).`, {
      hint: `Write the policy there, or put it inline under apis.${api}.policy in apigw.yaml.`,
    })
  }
  try {
    const doc = parseYaml(text) as unknown
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc
  } catch {
    // reported below
  }
  throw new CliError('CONFIG_INVALID', `apis.${api}.policy: ${policy} is not a policy document (a JSON or YAML mapping).`, {
    hint: 'Write an IAM policy document: {"Version": "2012-10-17", "Statement": [...]}.',
  })
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
