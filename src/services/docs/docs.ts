/**
 * `apigw docs`: a static HTML reference of a deployed stage, built from the stage's export (REST: GetExport oas30
 * with `extensions=documentation`, so the published documentation version is in it; HTTP: ExportApi) and rendered
 * by Swagger UI (swagger-ui-dist, copied into the output directory). The page works offline from a file URL: the
 * spec is a script beside it, and nothing is loaded from the network.
 */
import {mkdirSync, readFileSync, statSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, resolve} from 'node:path'
import {indexHtml, prepareSpec, RENDERER_FILES, specScript} from '../../core/docs/page.ts'
import {findLocalServer, localStateDir} from '../../aws/local-state.ts'
import {CliError} from '../../errors.ts'
import {assertWritable, writeFileSafely} from '../../safe-files.ts'
import {type ExportDeps, resolveExportTarget} from '../export/shared.ts'
import {localStageUrl} from '../invoke/urls.ts'
import {stageDocument} from '../lifecycle/stage-export.ts'
import {loadProject, relativePath, selectApi} from '../project.ts'

export type DocsOptions = {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  /** Default: the API's one stage in apigw.yaml. */
  stage?: string | undefined
  output: string
}

export type DocsResult = {
  api: string
  apiId: string
  type: 'rest' | 'http'
  stage: string
  invokeUrl: string
  /** The output directory (relative to the working directory when inside it). */
  output: string
  /** The page to open. */
  index: string
  /** Every file written, relative to the output directory, sorted. */
  files: string[]
  operations: string[]
  /** Operations that need an API key in `x-api-key`. */
  apiKeyRequired: string[]
  /** The stage's documentation version (REST), when one is published. */
  documentationVersion?: string | undefined
  renderer: {name: 'swagger-ui-dist'; version: string}
}

/** Where swagger-ui-dist is installed, and its version. */
function renderer(): {dir: string; version: string} {
  const pkg = createRequire(import.meta.url).resolve('swagger-ui-dist/package.json')
  const {version} = JSON.parse(readFileSync(pkg, 'utf8')) as {version: string}
  return {dir: dirname(pkg), version}
}

/** The stage asked for, or the API's only declared stage. */
function pickStage(api: string, declared: string[], stage: string | undefined): string {
  if (stage) return stage
  if (declared.length === 1) return declared[0]!
  throw new CliError(
    'USAGE',
    `${api} declares ${declared.length === 0 ? 'no stages' : `stages ${declared.sort().join(', ')}`}; say which one.`,
    {
      hint: `Pass --stage, e.g. \`apigw docs ${api} --stage ${declared[0] ?? 'dev'} --output docs\`.`,
    },
  )
}

/** Make `dir` (and parents) and check a file can be created in it, before anything is written. */
function prepareOutput(dir: string): void {
  let st: ReturnType<typeof statSync> | undefined
  try {
    st = statSync(dir)
  } catch {}
  if (st && !st.isDirectory()) {
    throw new CliError('DIR_NOT_DIRECTORY', `Cannot write the page into ${dir}: it is a file, not a directory.`, {
      hint: 'Pass --output with a directory (new or existing).',
    })
  }
  try {
    mkdirSync(dir, {recursive: true})
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    throw new CliError('FILE_UNWRITABLE', `Cannot create the output directory ${dir}: ${code === 'EACCES' ? 'permission denied' : code}.`, {
      hint: 'Pass --output with a directory you can write to.',
      cause: error,
    })
  }
  assertWritable(join(dir, 'index.html'), {force: true})
}

/** `apigw local start` listens here unless told otherwise. */
const LOCAL_START_ORIGIN = 'http://127.0.0.1:4567'

/**
 * The stage's URL on the emulator. An emulator this command started in-process stops with it, so the page then
 * points where `apigw local start` listens by default, and says so.
 */
async function localInvokeUrl(options: DocsOptions, apiId: string, stage: string, deps: ExportDeps): Promise<string> {
  const running = await findLocalServer(localStateDir(options.cwd, options.configPath))
  if (running) return localStageUrl(running.endpoint, apiId, stage).url
  const url = localStageUrl(LOCAL_START_ORIGIN, apiId, stage).url
  deps.progress.warn(`No \`apigw local start\` serves this project now: the page's server is ${url}, where it listens by default.`)
  return url
}

export async function buildDocs(options: DocsOptions, deps: ExportDeps): Promise<DocsResult> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectApi(project!, options.api, 'apigw docs')
  const stage = pickStage(selected.name, Object.keys(selected.api.stages), options.stage)
  const out = resolve(options.cwd, options.output)
  const {dir: assets, version} = renderer()
  const target = await resolveExportTarget({...options, stage}, deps)
  const invokeUrl = deps.aws.local ? await localInvokeUrl(options, target.apiId, stage, deps) : target.invokeUrl
  const exported = await stageDocument(target.ports, {
    type: target.type,
    apiId: target.apiId,
    stage,
    extensions: target.type === 'rest' ? ['documentation'] : [],
    includeExtensions: true,
  })
  const documentation = exported['x-amazon-apigateway-documentation'] as {version?: string} | undefined
  if (target.type === 'rest' && !documentation) {
    deps.progress.warn(
      `Stage ${stage} of ${selected.name} has no documentation version: the page shows the operations without the spec's ` +
        'descriptions. Add `docs: {publish: true}` to the API in apigw.yaml and deploy to publish them.',
    )
  }
  const prepared = prepareSpec({spec: exported, api: selected.name, stage, invokeUrl})
  const info = (prepared.spec.info ?? {}) as {title?: string}
  const files: Array<{name: string; data: string | Buffer}> = [
    {name: 'index.html', data: indexHtml({title: info.title ?? selected.name, stage})},
    {name: 'spec.js', data: specScript(prepared.spec)},
    {name: 'openapi.json', data: `${JSON.stringify(prepared.spec, null, 2)}\n`},
    ...RENDERER_FILES.map((name) => ({name, data: readFileSync(join(assets, name))})),
  ]
  prepareOutput(out)
  for (const f of files) writeFileSafely(join(out, f.name), f.data, {force: true})
  return {
    api: selected.name,
    apiId: target.apiId,
    type: target.type,
    stage,
    invokeUrl,
    output: relativePath(out, options.cwd),
    index: join(relativePath(out, options.cwd), 'index.html'),
    files: files.map((f) => f.name).sort(),
    operations: prepared.operations,
    apiKeyRequired: prepared.apiKeyRequired,
    ...(documentation?.version ? {documentationVersion: documentation.version} : {}),
    renderer: {name: 'swagger-ui-dist', version},
  }
}
