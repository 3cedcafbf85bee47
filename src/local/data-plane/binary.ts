/**
 * Binary media types (REST): whether a media type is listed in the API's `binaryMediaTypes` (wildcards as
 * `*\/*` or `image/*`), and the Content-Type / Accept parsing it needs.
 */

/** `application/json; charset=utf-8` → `application/json` (lower case). */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined
  return contentType.split(';')[0]!.trim().toLowerCase() || undefined
}

export function isBinaryMediaType(mediaType: string | undefined, binaryMediaTypes: readonly string[] | undefined): boolean {
  if (!mediaType || !binaryMediaTypes || binaryMediaTypes.length === 0) return false
  const [type, sub] = mediaType.split('/')
  return binaryMediaTypes.some((raw) => {
    const b = raw.replace(/~1/g, '/').toLowerCase()
    if (b === mediaType || b === '*/*') return true
    const [bt, bs] = b.split('/')
    return (bt === '*' || bt === type) && (bs === '*' || bs === sub)
  })
}

/** The first media type of an Accept header (AWS uses the first, not the best quality). */
export function firstAccept(accept: string | undefined): string | undefined {
  if (!accept) return undefined
  return mediaTypeOf(accept.split(',')[0])
}
