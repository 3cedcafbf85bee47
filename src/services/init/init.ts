import {relative, resolve} from 'node:path'
import {addApi} from './add.ts'
import {answer, checkGiven, missingFlags} from './answers.ts'
import {
  addGitignoreLine,
  writeRendered,
  checkDirectory,
  existingFiles,
  fileExists,
  refuseExisting,
  shellQuote,
  specPathOf,
} from './files.ts'
import {renderConfig, renderFiles, renderSpec} from './render.ts'
import {loadTemplates} from './templates.ts'
import {CONFIG_FILE, DEFAULT_TEMPLATES_DIR, type InitDeps, type InitOptions, type InitResult} from './types.ts'

/** Scaffold an apigw project in options.dir: ask what the flags left open, then write the files. */
export async function initProject(options: InitOptions, deps: InitDeps): Promise<InitResult> {
  if (options.add !== undefined) return addApi(options, options.add, deps)
  const templates = await loadTemplates(options.templatesDir ?? DEFAULT_TEMPLATES_DIR)
  const dir = resolve(deps.cwd, options.dir ?? '.')
  await checkDirectory(dir)
  // Fail before asking anything when the result could not be written anyway.
  if (!options.force) await refuseExisting(dir, [CONFIG_FILE])

  const given = checkGiven(options, templates)
  const missing = missingFlags(options, given, templates)
  if (missing.length > 0 && !options.yes) deps.requireInteractive(missing)
  const answers = await answer(options, given, templates, dir, options.yes ? undefined : deps.prompter)

  const specPath = specPathOf(answers.name)
  const rendered = [
    {path: CONFIG_FILE, text: renderConfig(answers, specPath)},
    {path: specPath, text: await renderSpec(answers)},
    ...(await renderFiles(answers)),
  ]
  const existing = await existingFiles(
    dir,
    rendered.map((f) => f.path),
  )
  if (existing.length > 0 && !options.force) throw fileExists(dir, existing)

  const files: InitResult['files'] = await writeRendered(dir, rendered, existing)
  const gitignore = await addGitignoreLine(dir)
  if (gitignore) files.push({path: '.gitignore', action: gitignore})

  const rel = relative(deps.cwd, dir)
  const next = [
    ...(rel === '' ? [] : [`cd ${shellQuote(rel)}`]),
    'apigw validate',
    `apigw deploy --local --stage ${shellQuote(answers.stages[0] ?? 'dev')}`,
  ]
  return {
    dir,
    files,
    api: {name: answers.name, type: answers.template.type, template: answers.template.id, stages: answers.stages, auth: answers.auth},
    next,
    notes: answers.notes,
  }
}

// The init service's public face: the command, its output and the tests import from here.
export {
  API_TYPES,
  type ApiType,
  AUTH_KINDS,
  type AuthKind,
  type BackendKind,
  type Choice,
  type FileAction,
  type InitDeps,
  type InitOptions,
  type InitResult,
  type Prompter,
  type TemplateMeta,
} from './types.ts'
export {loadTemplates} from './templates.ts'
export {type Given, missingFlags} from './answers.ts'
export {parseStages, suggestName, validateBackend, validateLambdaArn, validateName} from './inputs.ts'
export {substitute} from './render.ts'
