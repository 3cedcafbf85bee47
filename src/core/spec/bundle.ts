/**
 * One document from a multi-file spec, for engines that follow local $refs only (the diff): external
 * $refs are inlined into the root by @apidevtools/json-schema-ref-parser's bundle, served from the files
 * already loaded (no I/O here). A single-file spec is returned as it is.
 */
import type {Spec} from './load.ts'

export async function bundleSpec(spec: Spec): Promise<Record<string, unknown>> {
  if (spec.files.size <= 1) return spec.doc
  const {default: $RefParser} = await import('@apidevtools/json-schema-ref-parser')
  const parser = new $RefParser()
  const fromLoaded = (url: string) => {
    const abs = decodeURIComponent(url.replace(/^file:\/\//, ''))
    const source = spec.files.get(abs)
    if (!source) throw new Error(`${abs} was not loaded with the spec`)
    return source
  }
  const bundled = await parser.bundle(
    spec.file,
    structuredClone(spec.doc) as never,
    {
      resolve: {external: true, file: {read: (f: {url: string}) => fromLoaded(f.url).text}, http: false},
      parse: {
        loaded: {order: 1, canParse: true, parse: (f: {url: string}) => structuredClone(fromLoaded(f.url).value)},
        json: false,
        yaml: false,
        text: false,
        binary: false,
      },
    } as never,
  )
  return bundled as unknown as Record<string, unknown>
}
