/**
 * The documents the data plane reads on every request (stages, APIs, the account, API keys and usage plans),
 * kept in memory and dropped whenever the store's generation changes (store.ts `generation`: any write of this
 * process, a rolled-back transaction, a commit of another process). A control-plane write therefore takes effect
 * on the next request, as reading the store each time did, without the SQLite read and JSON parse per request.
 * Documents handed out are shared between requests: callers never mutate them.
 */
import type {Store} from '../store/store.ts'

const MISSING = Symbol('missing')
/** Documents kept at most between two changes of the store: requests naming random stages must not grow it without bound. */
const MAX_DOCS = 10_000

export class DocumentCache {
  private readonly store: Store
  private generation = -1
  /** Kind → id → document: no key string is built per lookup. */
  private readonly docs = new Map<string, Map<string, unknown>>()
  private size = 0
  private readonly derived = new Map<string, unknown>()

  constructor(store: Store) {
    this.store = store
  }

  /** The stored document, or undefined; the same object until the store changes. */
  get<T>(kind: string, id: string): T | undefined {
    this.check()
    let ofKind = this.docs.get(kind)
    if (ofKind === undefined) {
      ofKind = new Map()
      this.docs.set(kind, ofKind)
    }
    let doc = ofKind.get(id)
    if (doc === undefined) {
      doc = this.store.get<T>(kind, id) ?? MISSING
      if (this.size >= MAX_DOCS) {
        for (const m of this.docs.values()) m.clear()
        this.size = 0
      }
      ofKind.set(id, doc)
      this.size++
    }
    return doc === MISSING ? undefined : (doc as T)
  }

  /** A value computed from documents (an index), built by `build` on first use after each change of the store. */
  derive<T>(name: string, build: (store: Store) => T): T {
    this.check()
    if (this.derived.has(name)) return this.derived.get(name) as T
    const value = build(this.store)
    this.derived.set(name, value)
    return value
  }

  private check(): void {
    const generation = this.store.generation()
    if (generation === this.generation) return
    this.generation = generation
    this.docs.clear()
    this.size = 0
    this.derived.clear()
  }
}
