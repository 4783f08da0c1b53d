/**
 * NDJSON answers (the workspace export): a byte stream read line by line,
 * each line parsed and checked as it arrives, so an export of any size is
 * read in constant memory.
 *
 * @module
 */

/** Splits a byte stream into its non-blank lines, decoded as UTF-8. */
export async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder()
  const reader = body.getReader()
  let buffer = ""
  try {
    for (;;) {
      const { done, value } = await reader.read()
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true })
      let newline = buffer.indexOf("\n")
      while (newline !== -1) {
        const line = buffer.slice(0, newline).trim()
        buffer = buffer.slice(newline + 1)
        if (line !== "") yield line
        newline = buffer.indexOf("\n")
      }
      if (done) break
    }
    if (buffer.trim() !== "") yield buffer.trim()
  } finally {
    // Stopping early (a `break` in `for await`) cancels the download.
    await reader.cancel().catch(() => undefined)
    reader.releaseLock()
  }
}

/**
 * The checked records of an NDJSON answer: each line parsed and held to the
 * contract by `check` as it arrives. A line that is not JSON, or breaks the
 * contract, throws the `DecodeError` `check` gives.
 */
export async function* records(
  body: ReadableStream<Uint8Array>,
  check: (line: unknown) => Promise<unknown>,
  notJson: () => Error
): AsyncGenerator<unknown> {
  for await (const line of lines(body)) {
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      throw notJson()
    }
    yield await check(parsed)
  }
}

/**
 * The records of an NDJSON answer, as the Promise client returns them: iterate
 * it (`for await`) for each record as it arrives, or await it for all of them.
 * The request starts when you first do either.
 *
 * @example
 * ```ts
 * for await (const record of client.exportWorkspace("ws_1")) {
 *   if (record.type === "memory") console.log(record.data.content)
 * }
 * const all = await client.exportWorkspace("ws_1") // every record, in order
 * ```
 */
export class RecordStream<A> implements PromiseLike<ReadonlyArray<A>>, AsyncIterable<A> {
  readonly #open: () => AsyncIterable<A>
  #all: Promise<ReadonlyArray<A>> | undefined

  /** @param open - Starts the request and yields the checked records. */
  constructor(open: () => AsyncIterable<A>) {
    this.#open = open
  }

  /** `for await (const line of stream)`: each line as it arrives; each loop sends the request anew. */
  [Symbol.asyncIterator](): AsyncIterator<A> {
    return this.#open()[Symbol.asyncIterator]()
  }

  /** Every record, once the answer has ended. */
  then<B = ReadonlyArray<A>, C = never>(
    onfulfilled?: ((value: ReadonlyArray<A>) => B | PromiseLike<B>) | null,
    onrejected?: ((reason: unknown) => C | PromiseLike<C>) | null
  ): Promise<B | C> {
    this.#all ??= (async () => {
      const all: Array<A> = []
      for await (const record of this) all.push(record)
      return all
    })()
    return this.#all.then(onfulfilled, onrejected)
  }
}
