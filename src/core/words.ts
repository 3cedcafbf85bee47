/** "Did you mean": the closest known word to a typo (fastest-levenshtein). */
import {distance} from 'fastest-levenshtein'

/** The closest known word, when it is close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestScore = Number.POSITIVE_INFINITY
  for (const c of candidates) {
    // Distance first; ties go to the same length (a transposition), then to the longer common prefix.
    const d = distance(word.toLowerCase(), c.toLowerCase())
    let prefix = 0
    while (prefix < Math.min(word.length, c.length) && word[prefix]!.toLowerCase() === c[prefix]!.toLowerCase()) prefix++
    const score = d * 1000 + Math.abs(word.length - c.length) * 100 - prefix
    if (score < bestScore) {
      bestScore = score
      best = c
    }
  }
  const d = best === undefined ? Number.POSITIVE_INFINITY : distance(word.toLowerCase(), best.toLowerCase())
  return d <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined
}
