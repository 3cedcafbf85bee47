/**
 * Client certificates: GenerateClientCertificate (201), GetClientCertificates, GetClientCertificate,
 * UpdateClientCertificate (`replace /description`, the one path AWS's Patch Operations table lists) and
 * DeleteClientCertificate (202). The certificate is a real self-signed X.509 certificate (RSA 2048, SHA-256,
 * valid 365 days from the emulator's clock, as AWS's are) built with node-forge on a key node:crypto makes; its
 * private key is not kept, as a backend only needs the PEM to trust API Gateway's calls. Stages name one in
 * `clientCertificateId` (stages.ts checks it exists).
 * https://docs.aws.amazon.com/apigateway/latest/api/API_GenerateClientCertificate.html
 */
import {generateKeyPairSync, randomBytes} from 'node:crypto'
import forge from 'node-forge'
import {badRequest, notFound} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {Handler} from '../../types.ts'
import {KIND} from '../model.ts'
import {epochSeconds, matchPatch, type PatchPaths, page, readPatchOperations, readStringMap} from './common.ts'

/** The GetClientCertificate wire shape. */
export type ClientCertificateDoc = {
  clientCertificateId: string
  description?: string
  pemEncodedCertificate: string
  createdDate: number
  expirationDate: number
  tags?: Record<string, string>
}

const VALIDITY_DAYS = 365

/** A self-signed PEM certificate valid from `now` for 365 days; `random` (16 bytes) is the serial's source. */
export function selfSignedCertificate(now: Date, random: Buffer = randomBytes(16)): string {
  const {publicKey, privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({type: 'spki', format: 'pem'}).toString())
  // A positive serial number in minimal DER form, as RFC 5280 asks: the first byte 0x01-0x7f (a leading 0x00, or an
  // odd number of hex digits that forge pads with one, is a non-minimal INTEGER that OpenSSL refuses to parse).
  const serial = Buffer.from(random)
  serial[0] = (serial[0]! & 0x7f) | 0x01
  cert.serialNumber = serial.toString('hex')
  cert.validity.notBefore = now
  cert.validity.notAfter = new Date(now.getTime() + VALIDITY_DAYS * 86_400_000)
  const name = [{shortName: 'CN', value: 'ApiGateway'}]
  cert.setSubject(name)
  cert.setIssuer(name)
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({type: 'pkcs1', format: 'pem'}).toString()), forge.md.sha256.create())
  // forge ends lines with CRLF; PEM as AWS and OpenSSL write it uses LF.
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n')
}

/** Throw NotFoundException unless the client certificate exists (wording not recorded; AWS's style). */
export function requireClientCertificate(store: Store, id: string): ClientCertificateDoc {
  const doc = store.get<ClientCertificateDoc>(KIND.clientCertificate, id)
  if (!doc) throw notFound('Invalid Client Certificate identifier specified')
  return doc
}

export const generateClientCertificate: Handler = (req, ctx) => {
  const body = req.json()
  const tags = readStringMap(body.tags, 'tags')
  const now = ctx.now()
  const doc: ClientCertificateDoc = {
    clientCertificateId: ctx.newId(6),
    pemEncodedCertificate: selfSignedCertificate(now),
    createdDate: epochSeconds(now),
    expirationDate: epochSeconds(now) + VALIDITY_DAYS * 86_400,
  }
  if (typeof body.description === 'string' && body.description !== '') doc.description = body.description
  if (tags) doc.tags = tags
  ctx.store.put(KIND.clientCertificate, doc.clientCertificateId, doc)
  return {status: 201, body: doc}
}

export const getClientCertificates: Handler = (req, ctx) => {
  const items = ctx.store.list<ClientCertificateDoc>(KIND.clientCertificate).sort((a, b) => a.createdDate - b.createdDate)
  return {status: 200, body: page(req, items)}
}

export const getClientCertificate: Handler = (req, ctx) => ({
  status: 200,
  body: requireClientCertificate(ctx.store, req.params.clientcertificate_id!),
})

const CLIENT_CERTIFICATE_PATHS: PatchPaths = [['/description', ['replace']]]

export const updateClientCertificate: Handler = (req, ctx) => {
  const ops = readPatchOperations(req, 'updateClientCertificateInput')
  const doc = structuredClone(requireClientCertificate(ctx.store, req.params.clientcertificate_id!))
  for (const op of ops) {
    matchPatch(op, CLIENT_CERTIFICATE_PATHS)
    if (op.value) doc.description = op.value
    else delete doc.description
  }
  ctx.store.put(KIND.clientCertificate, doc.clientCertificateId, doc)
  return {status: 200, body: doc}
}

export const deleteClientCertificate: Handler = (req, ctx) => {
  const doc = requireClientCertificate(ctx.store, req.params.clientcertificate_id!)
  ctx.store.delete(KIND.clientCertificate, doc.clientCertificateId)
  return {status: 202}
}

/** A stage's `clientCertificateId` must name an existing certificate (CreateStage, UpdateStage). */
export function checkClientCertificateId(store: Store, id: string): void {
  if (!store.get(KIND.clientCertificate, id)) throw badRequest('Invalid Client Certificate identifier specified')
}
