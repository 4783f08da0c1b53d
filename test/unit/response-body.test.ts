/**
 * Reading an answer's body within a byte limit: a body proved small by its
 * Content-Length is read as it is; a body proved large is not read at all;
 * a body of unknown size is counted as it comes and dropped past the limit.
 */
import { describe, expect, it } from "vitest"
import { DEFAULT_MAX_RESPONSE_BYTES, readPrefix, readWithin } from "../../src/response-body.ts"

/** A response whose body is `chunks`, sent one by one, recording how many were pulled and whether it was cancelled. */
const streamed = (chunks: ReadonlyArray<string>, headers: Record<string, string> = {}) => {
  const seen = { pulled: 0, cancelled: false }
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    pull: (controller) => {
      const chunk = chunks[seen.pulled++]
      if (chunk === undefined) controller.close()
      else controller.enqueue(encoder.encode(chunk))
    },
    cancel: () => {
      seen.cancelled = true
    }
  }, { highWaterMark: 0 })
  return { response: new Response(body, { headers }), seen }
}

describe("readWithin", () => {
  it("defaults to 64 MiB", () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(67_108_864)
  })

  it("reads a body whose Content-Length fits", async () => {
    const { response } = streamed(["{\"a\":", "1}"], { "content-length": "7" })
    expect(await readWithin(response, 7)).toBe("{\"a\":1}")
  })

  it("does not read a body whose Content-Length is over the limit", async () => {
    const { response, seen } = streamed(["x".repeat(100)], { "content-length": "100" })
    expect(await readWithin(response, 99)).toBeUndefined()
    expect(seen.pulled).toBe(0)
    expect(seen.cancelled).toBe(true)
  })

  it("counts a body of unknown length and stops at the first chunk past the limit", async () => {
    const { response, seen } = streamed(["aaaa", "bbbb", "cccc", "dddd"])
    expect(await readWithin(response, 10)).toBeUndefined()
    expect(seen.pulled).toBe(3)
    expect(seen.cancelled).toBe(true)
  })

  it("counts an encoded body as decoded, whatever its Content-Length says", async () => {
    const { response } = streamed(["aaaa", "bbbb"], { "content-length": "3", "content-encoding": "gzip" })
    expect(await readWithin(response, 7)).toBeUndefined()
  })

  it("decodes multi-byte characters split across chunks", async () => {
    const bytes = new TextEncoder().encode("é€😀")
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]))
        controller.close()
      }
    })
    expect(await readWithin(new Response(body), bytes.length)).toBe("é€😀")
    expect(await readWithin(new Response(null), 1)).toBe("")
  })
})

describe("readPrefix", () => {
  it("keeps the first bytes of a long body and stops reading", async () => {
    const { response, seen } = streamed(["<html>", "<body>", "endless"])
    expect(await readPrefix(response, 8)).toBe("<html><b")
    expect(seen.cancelled).toBe(true)
  })

  it("returns a short body whole", async () => {
    expect(await readPrefix(new Response("{\"detail\":\"x\"}"), 1024)).toBe("{\"detail\":\"x\"}")
  })
})
