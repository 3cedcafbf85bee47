/** `apigw init --add NAME`: one more API in an existing apigw.yaml. */
import {mkdir, stat, writeFile} from 'node:fs/promises'
import {dirname, join, relative, resolve} from 'node:path'
import {isMap, parseDocument} from 'yaml'
import {parseConfig} from '../../core/config/config.ts'
import {CliError, notSupported} from '../../errors.ts'
import {readSourceBytes, writeFileSafely} from '../../safe-files.ts'
import {asCliError, loadProject} from '../project.ts'
import {answer, checkGiven, missingFlags} from './answers.ts'
import {addGitignoreLine, existingFiles, shellQuote, specPathOf} from './files.ts'
import {usage, usageIfError, validateName} from './inputs.ts'
import {apiEntry, functionsEntry, renderFiles, renderSpec} from './render.ts'
import {loadTemplates} from './templates.ts'
import {CONFIG_FILE, DEFAULT_TEMPLATES_DIR, type InitDeps, type InitOptions, type InitResult} from './types.ts'

// init --add NAME: one more API in an existing apigw.yaml

/**
 * Add API `name` to an existing apigw.yaml, asking (or taking from the flags) what `init` asks, and write its spec.
 * apigw.yaml is edited through the yaml library's Document API, so its comments, key order and formatting stay;
 * the result is checked as a config before anything is written, and apigw.yaml is written last.
 */
export async function addApi(options: InitOptions, name: string, deps: InitDeps): Promise<InitResult> {
  if (options.name !== undefined && options.name !== name)
    throw usage(`--add ${name} and --name ${options.name} name two different APIs.`, `Drop --name: \`apigw init --add ${name}\` names it.`)
  usageIfError(validateName(name), '--add')
  if (options.type === 'websocket')
    throw notSupported(
      'init --add with --type websocket',
      `Scaffold it apart with \`apigw init <dir> --type websocket\` and copy its apis entry into apigw.yaml; see LIMITATIONS.md.`,
    )
  const templates = await loadTemplates(options.templatesDir ?? DEFAULT_TEMPLATES_DIR)
  const configPath = resolve(deps.cwd, options.configPath ?? join(options.dir ?? '.', CONFIG_FILE))
  const dir = dirname(configPath)
  const shown = relative(deps.cwd, configPath) || configPath
  if (!(await stat(configPath).catch(() => undefined))) {
    const initDir = options.dir && options.dir !== '.' ? ` ${shellQuote(options.dir)}` : ''
    const where = options.configPath ? `No config file at ${shown}` : `No apigw.yaml in ${relative(deps.cwd, dir) || 'this directory'}`
    throw new CliError('CONFIG_NOT_FOUND', `${where} to add ${name} to.`, {
      hint: `Run \`apigw init${initDir}\` (without --add) to make one, or pass --config <file>.`,
    })
  }
  // Read and checked as every command reads it (regular file, size cap, schema), with the same errors.
  const current = await loadProject({cwd: deps.cwd, configPath})
  const text = readSourceBytes(configPath).toString('utf8')
  const names = Object.keys(current?.config.apis ?? {}).sort()
  if (names.includes(name)) {
    throw new CliError('API_EXISTS', `${shown} already has an API named ${name}; nothing was changed.`, {
      hint: `Pick another name for --add (the APIs there: ${names.join(', ')}), or edit apis.${name} in ${shown}.`,
    })
  }
  const withName = {...options, name}
  const given = checkGiven(withName, templates)
  const missing = missingFlags(withName, given, templates)
  if (missing.length > 0 && !options.yes) deps.requireInteractive(missing)
  const answers = await answer(withName, given, templates, dir, options.yes ? undefined : deps.prompter)

  const specPath = specPathOf(name)
  const doc = parseDocument(text)
  if (!isMap(doc.get('apis', true))) doc.set('apis', doc.createNode({}))
  doc.setIn(['apis', name], doc.createNode(apiEntry(answers, specPath), {aliasDuplicateObjects: false}))
  // A Lambda template's function, unless apigw.yaml already defines one of that name.
  for (const [fn, definition] of Object.entries(functionsEntry(answers) ?? {})) {
    if (!doc.hasIn(['functions', fn])) doc.setIn(['functions', fn], doc.createNode(definition))
  }
  // The house style of apigw.yaml ({format: json}, not { format: json }); comments and key order are the Document's.
  const updated = doc.toString({lineWidth: 0, flowCollectionPadding: false})
  // What is written must load: checked before the first file is touched.
  await parseConfig(configPath, Buffer.from(updated)).catch((error: unknown) => {
    throw asCliError(error)
  })

  const specFull = join(dir, specPath)
  const specExisted = (await existingFiles(dir, [specPath])).length > 0
  await mkdir(dirname(specFull), {recursive: true})
  await writeFile(specFull, await renderSpec(answers), 'utf8')
  // The template's own files (a handler), where no file of that name is there yet.
  const templateFiles = await renderFiles(answers)
  const kept = new Set(
    await existingFiles(
      dir,
      templateFiles.map((f) => f.path),
    ),
  )
  for (const f of templateFiles.filter((f) => !kept.has(f.path))) {
    await mkdir(dirname(join(dir, f.path)), {recursive: true})
    await writeFile(join(dir, f.path), f.text, 'utf8')
  }
  writeFileSafely(configPath, updated, {force: true})
  const files: InitResult['files'] = [
    {path: specPath, action: specExisted ? 'overwritten' : 'created'},
    ...templateFiles.filter((f) => !kept.has(f.path)).map((f) => ({path: f.path, action: 'created' as const})),
    {path: relative(dir, configPath), action: 'updated'},
  ]
  const gitignore = await addGitignoreLine(dir)
  if (gitignore) files.push({path: '.gitignore', action: gitignore})
  const rel = relative(deps.cwd, dir)
  return {
    dir,
    files,
    api: {name, type: answers.template.type, template: answers.template.id, stages: answers.stages, auth: answers.auth},
    next: [
      ...(rel === '' ? [] : [`cd ${shellQuote(rel)}`]),
      `apigw validate ${name}`,
      `apigw deploy ${name} --local --stage ${shellQuote(answers.stages[0] ?? 'dev')}`,
    ],
    notes: answers.notes,
  }
}
