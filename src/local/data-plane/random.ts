/**
 * Random bytes for the ids every data-plane request makes (request ids, `x-amz-apigw-id`, X-Ray trace ids), drawn
 * 4 KiB at a time: one `randomBytes` call per id cost more than the id itself on the hot path.
 */
import {randomBytes} from 'node:crypto'

const POOL_BYTES = 4096
let pool = Buffer.alloc(0)
let offset = 0

function take(n: number): [Buffer, number] {
  if (offset + n > pool.length) {
    pool = randomBytes(Math.max(POOL_BYTES, n))
    offset = 0
  }
  const at = offset
  offset += n
  return [pool, at]
}

/** `n` random bytes as 2n lowercase hex digits. */
export function randomHex(n: number): string {
  const [buf, at] = take(n)
  return buf.toString('hex', at, at + n)
}

/** `n` random bytes in base64 (with `+` and `/`). */
export function randomBase64(n: number): string {
  const [buf, at] = take(n)
  return buf.toString('base64', at, at + n)
}
