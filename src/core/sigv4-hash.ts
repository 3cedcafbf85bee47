/**
 * node:crypto's SHA-256 and HMAC-SHA-256 in the shape @smithy/signature-v4 takes (its `sha256` option): one adapter
 * for apigw's signer (aws/sigv4.ts) and the emulator's verifier (local/protocol/sigv4.ts). Pure: no I/O.
 */
import {createHash, createHmac, type Hash, type Hmac} from 'node:crypto'

/** node:crypto's SHA-256 and HMAC-SHA-256 in the shape @smithy/signature-v4 takes. */
export class NodeSha256 {
  private readonly hash: Hash | Hmac
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret))
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data))
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest())
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
