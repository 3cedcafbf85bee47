/**
 * The one OpenAPI entry point. `loadSpec` reads a file set: the root file and every file its $refs reach
 * (through an injected reader, so each file gets the same checks: regular files only, a size cap), with
 * $refs confined to the project's directories and remote $refs refused; `parseSpecText` reads one body
 * (the emulator's importers: no file set, nothing followed outside the document). Both return a typed
 * document and throw `InputProblem`s (never CLI errors). A resolver follows a $ref to the file and node
 * where it lands, so findings point into the file where the node really is. Cycles are left as $refs:
 * walkers keep a visited set.
 */
import {dirname, isAbsolute, relative, resolve as resolvePath, sep} from 'node:path'
import {parsePointer, pointerOf} from '../findings.ts'
import {createLocator, type Locator, locateManyJson, type Position} from './locate.ts'
import {InputProblem, MAX_SOURCE_BYTES} from './problem.ts'
import {decodeSource, parseSource, type SourceFile, type SourceReader} from './source.ts'

export type SpecVersion = '2.0' | '3.0' | '3.1'

/** An OpenAPI 3.x or Swagger 2.0 document (its top level; the rest is read by the rules and importers). */
export type OpenApiDocument = Record<string, unknown> & {openapi?: string; swagger?: string; paths?: Record<string, unknown>}

export type ResolvedRef = {file: string; pointer: string; value: unknown}

export type Spec = {
  /** Absolute path of the root file. */
  file: string
  version: SpecVersion
  doc: OpenApiDocument
  /** Every file read, by absolute path (the root included). */
  files: Map<string, SourceFile>
  /** Size of the root file in bytes. */
  bytes: number
  /** Follow a $ref written in `fromFile`; undefined when it lands nowhere. */
  resolveRef(ref: string, fromFile: string): ResolvedRef | undefined
  /** Line and column of a pointer in one of the files (computed on demand, cached). */
  locate(file: string, pointer: string): Position | undefined
  /** Line and column of many pointers of one file at once (one streaming pass over a JSON file). */
  locateMany(file: string, pointers: readonly string[]): Map<string, Position>
}

/** Where $refs may lead: inside `roots` (absolute directories), compared after `realpath` (symlinks followed). */
export type RefConfinement = {roots: readonly string[]; realpath: (path: string) => string}

export type LoadSpecOptions = {
  read: SourceReader
  /** Confine $refs to these directories (unset: any local file the reader accepts). */
  confine?: RefConfinement
  /** Scan JSON for duplicate keys (on by default; diff of huge specs turns it off). */
  checkDuplicates?: boolean
}

/**
 * Read one OpenAPI body (YAML or JSON) into a typed document; only local (`#/...`) $refs are meaningful.
 * Strict (the CLI): a version apigw does not read is SPEC_VERSION. Lenient (the emulator's importers, which
 * answer with AWS's own errors): duplicate keys allowed, and such a version comes back as undefined.
 */
export function parseSpecText(
  text: string,
  options: {path?: string; lenient?: boolean} = {},
): {doc: OpenApiDocument; version: SpecVersion | undefined} {
  const path = options.path ?? 'body'
  const lenient = options.lenient ?? false
  const source = parseSource(path, text, {what: 'spec', lenient})
  const doc = asDocument(path, source.value)
  try {
    return {doc, version: specVersion(path, doc, lenient)}
  } catch (error) {
    if (lenient && error instanceof InputProblem && error.code === 'SPEC_VERSION') return {doc, version: undefined}
    throw error
  }
}

export async function loadSpec(path: string, options: LoadSpecOptions): Promise<Spec> {
  const file = resolvePath(path)
  const files = new Map<string, SourceFile>()
  const readFile = (abs: string, what: string, from?: string): SourceFile => {
    const cached = files.get(abs)
    if (cached) return cached
    let bytes: Buffer
    try {
      bytes = options.read(abs)
    } catch (error) {
      throw fileError(abs, error, what, from)
    }
    const text = decodeSource(abs, bytes, what)
    const source = parseSource(abs, text, {checkDuplicates: options.checkDuplicates ?? true, what})
    files.set(abs, source)
    return source
  }
  const root = readFile(file, 'spec')
  const doc = asDocument(file, root.value)
  const version = specVersion(file, doc)
  loadReferencedFiles(root, options, readFile)
  const locators = new Map<string, Locator>()
  const spec: Spec = {
    file,
    version,
    doc,
    files,
    bytes: Buffer.byteLength(root.text),
    resolveRef: (ref, fromFile) => resolveRef(files, ref, fromFile),
    locate: (f, pointer) => {
      const source = files.get(f)
      if (!source) return undefined
      let locator = locators.get(f)
      if (!locator) {
        locator = createLocator(f, source.text)
        locators.set(f, locator)
      }
      return locator(pointer)
    },
    locateMany: (f, pointers) => {
      const source = files.get(f)
      const out = new Map<string, Position>()
      if (!source) return out
      if (source.format === 'json') {
        const found = locateManyJson(source.text, pointers)
        // A pointer to something missing (a dangling target) falls back to its nearest parent.
        for (const p of pointers)
          if (!found.has(p)) {
            const pos = spec.locate(f, p)
            if (pos) found.set(p, pos)
          }
        return found
      }
      for (const p of pointers) {
        const pos = spec.locate(f, p)
        if (pos) out.set(p, pos)
      }
      return out
    },
  }
  return spec
}

function asDocument(file: string, value: unknown): OpenApiDocument {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputProblem('SPEC_INVALID', `${file}:1:1: the spec is not an OpenAPI document (its top level is not a mapping).`, {
      hint: 'An OpenAPI file starts with `openapi: 3.0.3` (or `swagger: "2.0"`), `info` and `paths`.',
      details: {file, line: 1, column: 1},
    })
  }
  return value as OpenApiDocument
}

/** The version a document declares, or SPEC_VERSION. */
export function specVersion(file: string, doc: Record<string, unknown>, lenient = false): SpecVersion {
  if (doc.swagger !== undefined) {
    if (String(doc.swagger) === '2.0') return '2.0'
    throw new InputProblem('SPEC_VERSION', `${file}: swagger: ${String(doc.swagger)} is not a version apigw reads.`, {
      hint: 'Use Swagger 2.0, or OpenAPI 3.0 or 3.1.',
    })
  }
  const v = doc.openapi
  // The emulator's importers also read `openapi: "3.0"` (no patch number); the CLI wants the full version.
  const patch = lenient ? '(\\.\\d+)?' : '\\.\\d+'
  if (typeof v === 'string' && new RegExp(`^3\\.0${patch}$`).test(v.trim())) return '3.0'
  if (typeof v === 'string' && new RegExp(`^3\\.1${patch}$`).test(v.trim())) return '3.1'
  throw new InputProblem(
    'SPEC_VERSION',
    v === undefined
      ? `${file}: the spec has no \`openapi\` or \`swagger\` field, so it is not an OpenAPI document.`
      : `${file}: openapi: ${String(v)} is not a version apigw reads.`,
    {hint: 'Start the document with `openapi: 3.0.3` (3.0.x and 3.1.x are read; Swagger 2.0 with `swagger: "2.0"`).'},
  )
}

/** Every distinct $ref value of a document that points outside it (another file or a URL). */
function collectExternalRefs(root: unknown): string[] {
  const found = new Set<string>()
  walkRefs(root, (ref) => {
    if (!ref.startsWith('#')) found.add(ref)
    return false
  })
  return [...found]
}

/** Visit every `$ref` string outside example data; stop when `visit` returns true (answers the pointer then). */
function walkRefs(root: unknown, visit: (ref: string) => boolean): string | undefined {
  const stack: Array<{node: unknown; path: string[]}> = [{node: root, path: []}]
  const seen = new Set<object>()
  while (stack.length > 0) {
    const {node, path} = stack.pop()!
    if (node === null || typeof node !== 'object' || seen.has(node)) continue
    seen.add(node)
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        if (item !== null && typeof item === 'object') stack.push({node: item, path: [...path, String(i)]})
      })
      continue
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        if (visit(value)) return pointerOf([...path, key])
      } else if (value !== null && typeof value === 'object' && !isExampleData(node, key)) stack.push({node: value, path: [...path, key]})
    }
  }
  return undefined
}

/**
 * Example payloads are data, not OpenAPI: a `$ref` inside them (SCIM resources have one) is a value to show,
 * not a reference to follow. `example` holds data; so does `value` of an Example Object.
 */
export function isExampleData(parent: object, key: string): boolean {
  return (
    key === 'example' ||
    (key === 'value' &&
      ('summary' in parent ||
        'externalValue' in parent ||
        Object.keys(parent).every((k) => k === 'value' || k === 'description' || k.startsWith('x-'))))
  )
}

const isRemote = (ref: string) => /^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^[a-z]:[\\/]/i.test(ref) && !ref.startsWith('file:')

/** The file a $ref names, absolute (its `#...` part dropped). */
function refTarget(ref: string, fromFile: string): string {
  const hash = ref.indexOf('#')
  let filePart = hash === -1 ? ref : ref.slice(0, hash)
  if (filePart.startsWith('file://')) filePart = filePart.slice('file://'.length)
  const decoded = decodeURIComponent(filePart)
  return isAbsolute(decoded) ? decoded : resolvePath(dirname(fromFile), decoded)
}

const inside = (dir: string, path: string) => {
  const rel = relative(dir, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

/** Read every file the $refs reach, breadth first, each checked for confinement before it is read. */
function loadReferencedFiles(
  root: SourceFile,
  options: LoadSpecOptions,
  readFile: (abs: string, what: string, from?: string) => SourceFile,
): void {
  const queue = [root]
  const done = new Set<string>([root.path])
  const roots = options.confine?.roots.map((r) => safeRealpath(options.confine!, r))
  while (queue.length > 0) {
    const from = queue.shift()!
    for (const ref of collectExternalRefs(from.value)) {
      const where = () => refLocation(from, ref)
      if (isRemote(ref)) {
        throw new InputProblem(
          'SPEC_REMOTE_REF',
          `${where().text}: the $ref "${ref}" points to the network; apigw reads local files only.`,
          {
            hint:
              'Download the referenced file into the repository and point ' +
              'the $ref at it (a path relative to the file that refers to it).',
            details: {...where().details, ref},
          },
        )
      }
      const target = refTarget(ref, from.path)
      if (done.has(target)) continue
      if (options.confine && roots) {
        const real = safeRealpath(options.confine, target)
        if (!roots.some((dir) => inside(dir, real))) {
          throw new InputProblem(
            'SPEC_REF_OUTSIDE',
            `${where().text}: the $ref "${ref}" points outside ` +
              `${roots.length === 1 ? roots[0] : `the allowed directories (${roots.join(', ')})`}, to ${real}.`,
            {
              hint: `Move the file into the project, or allow that directory explicitly with --allow-ref-outside ${dirname(real)}.`,
              details: {...where().details, ref},
            },
          )
        }
      }
      done.add(target)
      queue.push(readFile(target, 'referenced file', where().text))
    }
  }
}

function safeRealpath(confine: RefConfinement, path: string): string {
  try {
    return confine.realpath(path)
  } catch {
    // A missing file is reported by the read that follows; compare the path as written.
    return path
  }
}

/** file:line:column of the first `$ref` with this value in a file, for messages. */
function refLocation(source: SourceFile, ref: string): {text: string; details: {file: string; line?: number; column?: number}} {
  const pointer = walkRefs(source.value, (r) => r === ref)
  const pos = pointer ? createLocator(source.path, source.text)(pointer) : undefined
  return pos
    ? {text: `${source.path}:${pos.line}:${pos.column}`, details: {file: source.path, line: pos.line, column: pos.column}}
    : {text: source.path, details: {file: source.path}}
}

function resolveRef(files: Map<string, SourceFile>, ref: string, fromFile: string): ResolvedRef | undefined {
  const hash = ref.indexOf('#')
  const filePart = hash === -1 ? ref : ref.slice(0, hash)
  const pointer = hash === -1 ? '#' : ref.slice(hash)
  const file = filePart === '' ? fromFile : isAbsolute(filePart) ? filePart : resolvePath(dirname(fromFile), decodeURIComponent(filePart))
  const source = files.get(file)
  if (!source) return undefined
  let node: unknown = source.value
  for (const token of parsePointer(pointer)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[token]
    if (node === undefined) return undefined
  }
  return {file, pointer: pointer === '#' ? '#' : pointer, value: node}
}

function fileError(abs: string, error: unknown, what: string, from?: string): InputProblem {
  if (error instanceof InputProblem) return error
  const code = (error as NodeJS.ErrnoException).code
  const via = from ? ` (referenced from ${from})` : ''
  if (code === 'ENOENT') {
    return new InputProblem(what === 'spec' ? 'SPEC_NOT_FOUND' : 'SPEC_REF_NOT_FOUND', `No ${what} at ${abs}${via}.`, {
      details: {file: abs},
      hint:
        what === 'spec'
          ? 'Pass --spec <file>, fix `spec:` in apigw.yaml, or run `apigw init` to scaffold one.'
          : 'Check the path in the $ref; it is relative to the file it is written in.',
    })
  }
  if (code === 'EISDIR') {
    return new InputProblem('FILE_IS_DIRECTORY', `${abs} is a directory, not a ${what}.`, {
      hint: 'Point to the OpenAPI YAML or JSON file inside it.',
    })
  }
  if (code === 'ENOTREG') {
    return new InputProblem(
      'FILE_NOT_REGULAR',
      `The ${what} ${abs}${via} is not a regular file (a device, a FIFO or a socket), so apigw does not read it.`,
      {
        hint: 'Point to a YAML or JSON file.',
        details: {file: abs},
      },
    )
  }
  if (code === 'EFBIG') {
    return new InputProblem(
      'FILE_TOO_LARGE',
      `The ${what} ${abs}${via} is larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MB, the most apigw reads.`,
      {
        hint: 'Split the spec into files joined by $refs, or check that the path names the file you meant.',
        details: {file: abs},
      },
    )
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new InputProblem('FILE_UNREADABLE', `The ${what} ${abs} cannot be read (permission denied).`, {
      hint: 'Check the file permissions.',
    })
  }
  return new InputProblem('FILE_UNREADABLE', `The ${what} ${abs} cannot be read: ${(error as Error).message}`, {
    hint: 'Check the path and try again.',
    cause: error,
  })
}
