/**
 * An upload through a fetch that never reads the request body (an in-process
 * handler, a stub) leaves nothing behind: the multipart body is encoded
 * before it is sent, so no stream producing it errors after the call.
 */
import { afterEach, describe, expect, it } from "vitest"
import { MemoryLayerClient } from "../../src/index.ts"

const rejections: Array<unknown> = []
const onRejection = (reason: unknown): void => {
  rejections.push(reason)
}
afterEach(() => {
  process.off("unhandledRejection", onRejection)
})

describe("uploads", () => {
  it("sent to a handler that does not read the body, leave no unhandled rejection behind", async () => {
    process.on("unhandledRejection", onRejection)
    const seen: Array<string> = []
    const client = new MemoryLayerClient({
      maxRetries: 0,
      fetch: (request) => {
        seen.push(request.headers.get("content-type") ?? "")
        return Response.json({ detail: "not reading it" }, { status: 500 })
      }
    })
    for (let i = 0; i < 5; i++) {
      await client.documents.upload(new Blob(["# Notes\n".repeat(1000)], { type: "text/markdown" }), "notes.md").catch(() => undefined)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
    await client.close()
    expect(seen).toHaveLength(5)
    expect(seen.every((type) => type.startsWith("multipart/form-data; boundary="))).toBe(true)
    expect(rejections).toEqual([])
  })
})
