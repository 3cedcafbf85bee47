/** The templates in templates/: each folder's template.yaml, read and checked. */
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parse} from 'yaml'
import {CliError} from '../../errors.ts'
import {isOneOf} from './inputs.ts'
import {API_TYPES, AUTH_BY_TYPE, type AuthKind, DEFAULT_TEMPLATES_DIR, type TemplateMeta} from './types.ts'

/** Read every templates/<id>/template.yaml, sorted by their `order`. */
export async function loadTemplates(templatesDir: string = DEFAULT_TEMPLATES_DIR): Promise<TemplateMeta[]> {
  let names: string[]
  try {
    names = (await readdir(templatesDir, {withFileTypes: true})).filter((e) => e.isDirectory()).map((e) => e.name)
  } catch (cause) {
    throw new CliError('TEMPLATE_NOT_FOUND', `No templates folder at ${templatesDir}.`, {
      hint: 'Reinstall apigw: the package ships its templates/ folder.',
      cause,
    })
  }
  const out: TemplateMeta[] = []
  for (const name of names) {
    const file = join(templatesDir, name, 'template.yaml')
    let raw: unknown
    try {
      raw = parse(await readFile(file, 'utf8'))
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw templateInvalid(file, `it is not valid YAML (${(cause as Error).message.split('\n')[0]})`, cause)
    }
    out.push(toTemplateMeta(raw, file, join(templatesDir, name)))
  }
  if (out.length === 0) {
    throw new CliError('TEMPLATE_NOT_FOUND', `No templates in ${templatesDir}.`, {
      hint: 'Reinstall apigw: the package ships its templates/ folder.',
    })
  }
  return out.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
}

function toTemplateMeta(raw: unknown, file: string, dir: string): TemplateMeta {
  const m = (raw ?? {}) as Record<string, unknown>
  const str = (key: string): string => {
    const v = m[key]
    if (typeof v !== 'string' || v === '') throw templateInvalid(file, `\`${key}\` must be a non-empty string`)
    return v
  }
  const type = str('type')
  if (!isOneOf(API_TYPES, type)) throw templateInvalid(file, '`type` must be rest or http')
  const backend = str('backend')
  if (backend !== 'lambda' && backend !== 'url' && backend !== 'none') throw templateInvalid(file, '`backend` must be lambda, url or none')
  const auth = m.auth
  if (!Array.isArray(auth) || auth.length === 0 || !auth.every((a) => isOneOf(AUTH_BY_TYPE[type], a))) {
    throw templateInvalid(file, `\`auth\` must list auth kinds a ${type} API can have: ${AUTH_BY_TYPE[type].join(', ')}`)
  }
  const kinds = auth as AuthKind[]
  const defaultAuth = m.defaultAuth ?? kinds[0]
  if (!isOneOf(kinds, defaultAuth)) throw templateInvalid(file, '`defaultAuth` must be one of `auth`')
  const vars = m.stageVariables ?? {}
  if (typeof vars !== 'object' || Array.isArray(vars) || !Object.values(vars as object).every((v) => typeof v === 'string')) {
    throw templateInvalid(file, '`stageVariables` must map names to strings')
  }
  const files = m.files ?? []
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string' && f !== '' && !f.startsWith('/') && !f.split('/').includes('..')))
    throw templateInvalid(file, '`files` must list relative paths inside the template folder')
  const handler = m.handler
  if (handler !== undefined && (typeof handler !== 'string' || !/^[\w./-]+\.[A-Za-z_$][\w$]*$/.test(handler)))
    throw templateInvalid(file, '`handler` must be a file.export reference such as src/handler.handler')
  return {
    files: files as string[],
    ...(handler === undefined ? {} : {handler: handler as string}),
    id: str('id'),
    type,
    title: str('title'),
    description: str('description'),
    order: typeof m.order === 'number' ? m.order : 100,
    backend,
    auth: kinds,
    defaultAuth,
    stageVariables: vars as Record<string, string>,
    dir,
  }
}

export function templateInvalid(file: string, why: string, cause?: unknown): CliError {
  return new CliError('TEMPLATE_INVALID', `The template metadata ${file} is invalid: ${why}.`, {
    hint: 'Fix the file (templates are data: see the other templates/<id>/template.yaml), or reinstall apigw.',
    cause,
  })
}
