/**
 * The log writer thread of log-ingest.ts: its own connection to the state database, one transaction per request, in
 * the order they come; each answered with its id once committed (or with the error that rolled it back).
 */
import {parentPort, workerData} from 'node:worker_threads'
import {openStore} from '../store/store.ts'
import {type ThreadAnswer, type ThreadRequest, writeLogBatches} from './log-ingest.ts'

const {dataDir, ...scope} = workerData as {dataDir: string; region: string; accountId: string}
const store = openStore(dataDir)
const port = parentPort!

port.on('message', (message: ThreadRequest) => {
  if ('close' in message) {
    void store
      .transaction(() => undefined)
      .finally(() => {
        store.close()
        port.postMessage({id: message.id} satisfies ThreadAnswer)
      })
    return
  }
  store
    .transaction(() => writeLogBatches(store, message.request, scope))
    .then(
      () => port.postMessage({id: message.id} satisfies ThreadAnswer),
      (error: unknown) => port.postMessage({id: message.id, error: (error as Error)?.message ?? String(error)} satisfies ThreadAnswer),
    )
})
