/**
 * The contract between the emulator's server (protocol/, routes.ts) and its operation handlers
 * (control-plane/*). A handler is a plain function of (request, context) → result; it throws AwsError.
 * The server runs every handler inside one store transaction.
 */
import type {Store} from './store/store.ts'

export type OperationRequest = {
  method: string
  /** Path without the query string, percent-decoded per segment. */
  path: string
  /** Path parameters from the route pattern, percent-decoded: `{restapi_id}` → params.restapi_id. */
  params: Record<string, string>
  /** First value of each query parameter. */
  query: Record<string, string>
  /** Every query parameter with all its values (ImportRestApi spreads `parameters` as raw query keys). */
  queryAll: URLSearchParams
  /** Header names in lower case. */
  headers: Record<string, string | undefined>
  rawBody: Buffer
  /** The body parsed as JSON ({} when empty); throws SerializationException when it is not JSON. */
  json(): Record<string, unknown>
}

export type OperationContext = {
  store: Store
  /** The clock; injected so tests can fix it. */
  now(): Date
  /** A fresh id of the given length from [a-z0-9]; injected so tests can make ids predictable. */
  newId(length?: number): string
  /** From the SigV4 credential scope, else the server's default region. */
  region: string
  /** The fixed local account id. */
  accountId: string
  requestId: string
}

export type OperationResult = {
  status: number
  /** A JSON body (serialised by the protocol layer). */
  body?: unknown
  /** A raw body (exports, SDK zips); takes precedence over `body`. */
  raw?: Buffer | string
  contentType?: string
  headers?: Record<string, string>
}

export type Handler = (req: OperationRequest, ctx: OperationContext) => OperationResult | Promise<OperationResult>

/** One REST-style operation of API Gateway v1 or v2: method + path pattern → operation name + handler. */
export type RouteDef = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD'
  /** Path pattern with `{name}` segments, e.g. '/restapis/{restapi_id}/stages/{stage_name}'. A `{name+}` segment is greedy. */
  path: string
  operation: string
  /** Optional extra match on a query parameter, e.g. ImportRestApi is `POST /restapis?mode=import`. */
  query?: Record<string, string>
  /** Missing handler: the server answers 501 NotImplemented naming the operation. */
  handler?: Handler
  /** Run without the store transaction around it (the handler opens its own; TestInvokeMethod calls backends). */
  outsideTransaction?: boolean
}

/** A JSON-protocol operation (CloudWatch Logs, awsJson1_1): input object → output object. */
export type JsonOperation = (input: Record<string, unknown>, ctx: OperationContext) => unknown | Promise<unknown>

export const LOCAL_ACCOUNT_ID = '000000000000'
export const DEFAULT_REGION = 'us-east-1'
