/**
 * One HTTP request with node:http, for what fetch cannot send: repeated header lines (fetch joins them) and a
 * `Host` of our choosing (the emulator's host-style addresses).
 */
import {request} from 'node:http'

export type RawResponse = {status: number; headers: Record<string, string | string[] | undefined>; body: string}

export function rawRequest(
  url: string,
  options: {method?: string; headers?: Array<[string, string]>; body?: string | Buffer} = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // With headers as a flat list node adds no Host of its own.
    const flat: string[] = options.headers?.some(([k]) => k.toLowerCase() === 'host') ? [] : ['host', new URL(url).host]
    for (const [k, v] of options.headers ?? []) flat.push(k, v)
    const req = request(url, {method: options.method ?? 'GET', headers: flat}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')}))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}
