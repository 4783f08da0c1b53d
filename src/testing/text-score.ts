/**
 * The test double's relevance score: the share of the query's words that a
 * memory's content contains. Words are runs of letters and digits, compared
 * in lower case, with a plural `s` dropped and common English function words
 * ignored, so `"how should I answer?"` matches `"User prefers concise answers"`.
 * It is deterministic and easy to reason about in tests; it knows nothing of
 * meaning (the real server adds vector similarity).
 *
 * @module
 */

const STOP_WORDS = new Set([
  "a", "about", "an", "and", "are", "as", "at", "be", "by", "can", "could", "did", "do", "does", "for", "from", "had",
  "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our", "should",
  "so", "that", "the", "their", "them", "there", "these", "they", "this", "to", "was", "we", "were", "what", "when",
  "where", "which", "who", "why", "will", "with", "would", "you", "your"
])

/** `answers` -> `answer`; `class`, `is` and short words stay as they are. */
const singular = (word: string): string => (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word)

/**
 * The distinct words of `text` that count for relevance.
 *
 * @example
 * ```ts
 * words("How should I answer? Answers!") // Set { "answer" }
 * ```
 */
export const words = (text: string): ReadonlySet<string> => {
  const found = new Set<string>()
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    if (!STOP_WORDS.has(match[0])) found.add(singular(match[0]))
  }
  return found
}

/**
 * Relevance of `content` to the query's words, from 0 (no word in common) to
 * 1 (every word of the query appears).
 *
 * @example
 * ```ts
 * relevance(words("zebra migration"), "The zebra escaped") // 0.5
 * ```
 */
export const relevance = (queryWords: ReadonlySet<string>, content: string): number => {
  if (queryWords.size === 0) return 0
  const contentWords = words(content)
  let shared = 0
  for (const word of queryWords) if (contentWords.has(word)) shared++
  return shared / queryWords.size
}
