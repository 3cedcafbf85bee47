/**
 * Loading an OpenAPI spec: the root file and every file its $refs reach (through
 * @apidevtools/json-schema-ref-parser, with our own reader so each file gets the same checks), remote
 * $refs refused unless allowed, and a resolver that follows a $ref to the file and node where it lands,
 * so findings point into the file where the node really is. Cycles are left as $refs: walkers keep a
 * visited set.
 */
import {dirname, isAbsolute, resolve as resolvePath} from 'node:path'
import {CliError} from '../../errors.ts'
import {parsePointer} from '../findings.ts'
import {createLocator, type Locator, locateManyJson, type Position, preloadLocators} from './locate.ts'
import {decodeSource, parseSource, type SourceFile, type SourceReader} from './source.ts'

export type SpecVersion = '2.0' | '3.0' | '3.1'

export type ResolvedRef = {file: string; pointer: string; value: unknown}

export type Spec = {
  /** Absolute path of the root file. */
  file: string
  version: SpecVersion
  doc: Record<string, unknown>
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

export type LoadSpecOptions = {
  read: SourceReader
  allowRemoteRefs?: boolean
  /** Scan JSON for duplicate keys (on by default; diff of huge specs turns it off). */
  checkDuplicates?: boolean
}

export async function loadSpec(path: string, options: LoadSpecOptions): Promise<Spec> {
  const file = resolvePath(path)
  const files = new Map<string, SourceFile>()
  const readFile = async (abs: string, what: string, from?: string): Promise<SourceFile> => {
    const cached = files.get(abs)
    if (cached) return cached
    let bytes: Buffer
    try {
      bytes = options.read(abs)
    } catch (error) {
      throw fileError(abs, error, what, from)
    }
    const text = decodeSource(abs, bytes, what)
    const source = await parseSource(abs, text, {checkDuplicates: options.checkDuplicates ?? true, what})
    files.set(abs, source)
    return source
  }
  const root = await readFile(file, 'spec')
  const doc = root.value
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new CliError('SPEC_INVALID', `${file}:1:1: the spec is not an OpenAPI document (its top level is not a mapping).`, {
      hint: 'An OpenAPI file starts with `openapi: 3.0.3` (or `swagger: "2.0"`), `info` and `paths`.',
    })
  }
  const version = specVersion(file, doc as Record<string, unknown>)
  const external = collectExternalRefs(doc)
  if (external.length > 0) await loadExternalFiles(file, external, options, readFile)
  await preloadLocators()
  const locators = new Map<string, Locator>()
  const spec: Spec = {
    file,
    version,
    doc: doc as Record<string, unknown>,
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
        for (const p of pointers) if (!found.has(p)) {
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

function specVersion(file: string, doc: Record<string, unknown>): SpecVersion {
  if (doc.swagger !== undefined) {
    if (String(doc.swagger) === '2.0') return '2.0'
    throw new CliError('SPEC_VERSION', `${file}: swagger: ${String(doc.swagger)} is not a version apigw reads.`, {hint: 'Use Swagger 2.0, or OpenAPI 3.0 or 3.1.'})
  }
  const v = doc.openapi
  if (typeof v === 'string' && /^3\.0\.\d+$/.test(v)) return '3.0'
  if (typeof v === 'string' && /^3\.1\.\d+$/.test(v)) return '3.1'
  throw new CliError(
    'SPEC_VERSION',
    v === undefined ? `${file}: the spec has no \`openapi\` or \`swagger\` field, so it is not an OpenAPI document.` : `${file}: openapi: ${String(v)} is not a version apigw reads.`,
    {hint: 'Start the document with `openapi: 3.0.3` (3.0.x and 3.1.x are read; Swagger 2.0 with `swagger: "2.0"`).'},
  )
}

/** Every distinct $ref value that points outside the document (another file or a URL). */
function collectExternalRefs(root: unknown): string[] {
  const found = new Set<string>()
  const stack: unknown[] = [root]
  const seen = new Set<object>()
  while (stack.length > 0) {
    const node = stack.pop()
    if (node === null || typeof node !== 'object' || seen.has(node)) continue
    seen.add(node)
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item)
      continue
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) found.add(value)
      else if (value !== null && typeof value === 'object' && !isExampleData(node, key)) stack.push(value)
    }
  }
  return [...found]
}

/**
 * Example payloads are data, not OpenAPI: a `$ref` inside them (SCIM resources have one) is a value to show,
 * not a reference to follow. `example` holds data; so does `value` of an Example Object.
 */
export function isExampleData(parent: object, key: string): boolean {
  return key === 'example' || (key === 'value' && ('summary' in parent || 'externalValue' in parent || Object.keys(parent).every((k) => k === 'value' || k === 'description' || k.startsWith('x-'))))
}

const isRemote = (ref: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) && !ref.startsWith('file://')

async function loadExternalFiles(
  rootFile: string,
  external: string[],
  options: LoadSpecOptions,
  readFile: (abs: string, what: string, from?: string) => Promise<SourceFile>,
): Promise<void> {
  const remote = external.find(isRemote)
  if (remote && !options.allowRemoteRefs) {
    throw new CliError('SPEC_REMOTE_REF', `${rootFile}: the spec has a remote $ref (${remote}); apigw does not reach the network by default.`, {
      hint: 'Vendor the referenced file into the repository and point the $ref at it, or pass --allow-remote-refs.',
    })
  }
  const {default: $RefParser} = await import('@apidevtools/json-schema-ref-parser')
  const parser = new $RefParser()
  try {
    await parser.resolve(rootFile, {
      resolve: {
        external: true,
        file: {
          read: async (f: {url: string}) => {
            const abs = decodeURIComponent(f.url.replace(/^file:\/\//, ''))
            return (await readFile(abs, 'referenced file')).text
          },
        },
        http: options.allowRemoteRefs ? {timeout: 10_000, redirects: 3} : false,
      },
      parse: {
        // Our own parse already ran in readFile (with its checks); reuse its value.
        apigw: {
          order: 1,
          canParse: true,
          parse: async (f: {url: string; data: Buffer | string}) => {
            const abs = decodeURIComponent(f.url.replace(/^file:\/\//, ''))
            const text = typeof f.data === 'string' ? f.data : f.data.toString('utf8')
            return (await parseSource(abs, text, {what: 'referenced file', checkDuplicates: options.checkDuplicates ?? true})).value
          },
        },
        json: false,
        yaml: false,
        text: false,
        binary: false,
      },
    } as never)
  } catch (error) {
    if (error instanceof CliError) throw error
    const inner = (error as {errors?: unknown[]}).errors?.[0] ?? error
    if (inner instanceof CliError) throw inner
    throw new CliError('SPEC_REF_NOT_FOUND', `${rootFile}: a $ref cannot be resolved: ${(inner as Error).message}`, {
      hint: 'Check the path in the $ref (relative to the file it is written in) and that the file exists.',
      cause: error,
    })
  }
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

function fileError(abs: string, error: unknown, what: string, from?: string): CliError {
  const code = (error as NodeJS.ErrnoException).code
  const via = from ? ` (referenced from ${from})` : ''
  if (code === 'ENOENT') {
    return new CliError(what === 'spec' ? 'SPEC_NOT_FOUND' : 'SPEC_REF_NOT_FOUND', `No ${what} at ${abs}${via}.`, {
      hint: what === 'spec' ? 'Pass --spec <file>, fix `spec:` in apigw.yaml, or run `apigw init` to scaffold one.' : 'Check the path in the $ref; it is relative to the file it is written in.',
    })
  }
  if (code === 'EISDIR') {
    return new CliError('FILE_IS_DIRECTORY', `${abs} is a directory, not a ${what}.`, {hint: 'Point to the OpenAPI YAML or JSON file inside it.'})
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new CliError('FILE_UNREADABLE', `The ${what} ${abs} cannot be read (permission denied).`, {hint: 'Check the file permissions.'})
  }
  return new CliError('FILE_UNREADABLE', `The ${what} ${abs} cannot be read: ${(error as Error).message}`, {hint: 'Check the path and try again.', cause: error})
}
