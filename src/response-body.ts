/**
 * Reading an answer's body without letting the server decide how much memory
 * the client spends on it. Every operation of the contract answers with one
 * JSON document that is read whole; a streaming operation would read its body
 * as it comes and is not subject to these limits.
 *
 * @module
 */

/** The default of `maxResponseBytes`: far above any answer of the contract, far below a runaway one. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024

/**
 * Whether the headers prove that the body fits in `limit` bytes (`true`),
 * prove that it does not (`false`), or cannot tell (`undefined`: no
 * `Content-Length`, or an encoded body whose decoded size is unknown).
 */
const fitsByHeaders = (headers: Headers, limit: number): boolean | undefined => {
  const length = headers.get("content-length")
  if (length === null) return undefined
  const encoding = headers.get("content-encoding")
  if (encoding !== null && encoding !== "identity") return undefined
  const bytes = Number(length)
  return Number.isSafeInteger(bytes) ? bytes <= limit : undefined
}

const release = (reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> => reader.cancel().catch(() => undefined)

/**
 * Reads the body chunk by chunk, counting bytes. Past `limit` it stops
 * reading and returns the chunks of the first `limit` bytes when
 * `keepPrefix`, else `undefined`.
 */
const readCounting = async (response: Response, limit: number, keepPrefix: boolean): Promise<Array<Uint8Array> | undefined> => {
  const chunks: Array<Uint8Array> = []
  if (response.body === null) return chunks
  const reader = response.body.getReader()
  let bytes = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return chunks
    bytes += value.byteLength
    if (bytes > limit) {
      await release(reader)
      if (!keepPrefix) return undefined
      chunks.push(value.subarray(0, value.byteLength - (bytes - limit)))
      return chunks
    }
    chunks.push(value)
  }
}

/** The text of UTF-8 `chunks`, a character split across two of them included. */
const decodeAll = (chunks: ReadonlyArray<Uint8Array>): string => {
  const decoder = new TextDecoder()
  let text = ""
  for (const chunk of chunks) text += decoder.decode(chunk, { stream: true })
  return text + decoder.decode()
}

/**
 * The body as text when it is at most `limit` bytes, else `undefined` (and
 * the rest of the body is not read). A body whose `Content-Length` proves it
 * fits is read by `response.text()` as it is, with no copy.
 *
 * @example
 * ```ts
 * await readWithin(new Response("{}"), 1024) // "{}"
 * await readWithin(new Response("x".repeat(2048)), 1024) // undefined
 * ```
 */
export const readWithin = async (response: Response, limit: number): Promise<string | undefined> => {
  const fits = fitsByHeaders(response.headers, limit)
  if (fits === true) {
    const text = await response.text()
    // A body can only decode to more characters than the limit if it had more bytes.
    return text.length > limit ? undefined : text
  }
  if (fits === false) {
    await response.body?.cancel().catch(() => undefined)
    return undefined
  }
  const chunks = await readCounting(response, limit, false)
  return chunks === undefined ? undefined : decodeAll(chunks)
}

/**
 * The body as a `Blob` when it is at most `limit` bytes, else `undefined`,
 * read as {@link readWithin} reads text.
 *
 * @example
 * ```ts
 * (await readBlobWithin(new Response(new Uint8Array(10)), 1024))?.size // 10
 * ```
 */
export const readBlobWithin = async (response: Response, limit: number): Promise<Blob | undefined> => {
  const fits = fitsByHeaders(response.headers, limit)
  if (fits === true) return response.blob()
  if (fits === false) {
    await response.body?.cancel().catch(() => undefined)
    return undefined
  }
  const chunks = await readCounting(response, limit, false)
  return chunks === undefined ? undefined : new Blob(chunks as Array<BlobPart>, { type: response.headers.get("content-type") ?? "" })
}

/**
 * At most the first `limit` bytes of the body, as text: enough of an error
 * answer to describe it, however large the server made it.
 *
 * @example
 * ```ts
 * await readPrefix(new Response("<html>...</html>"), 6) // "<html>"
 * ```
 */
export const readPrefix = async (response: Response, limit: number): Promise<string> =>
  decodeAll((await readCounting(response, limit, true)) ?? [])
