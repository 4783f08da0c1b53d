/**
 * A scrubbed failure keeps what explains it (names, codes, messages, down
 * the cause chain) and nothing else: not the request, not its headers, not
 * the key.
 */
import { inspect } from "node:util"
import { describe, expect, it } from "vitest"
import { scrubbed } from "../../src/scrub.ts"

const KEY = "sk-live-SECRET-123456"

describe("scrubbed", () => {
  it("drops the request a network error holds, keeping name, message and the cause's code", () => {
    const request = new Request("http://localhost:61001/v1/memories", { headers: { authorization: `Bearer ${KEY}` } })
    const socketError = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:61001"), { code: "ECONNREFUSED", syscall: "connect" })
    const networkError = Object.assign(new TypeError("Request failed due to a network error", { cause: socketError }), { name: "NetworkError", request })
    const safe = scrubbed(networkError)
    expect(safe?.name).toBe("NetworkError")
    expect(safe?.message).toBe("Request failed due to a network error")
    expect(safe?.cause).toMatchObject({ message: "connect ECONNREFUSED 127.0.0.1:61001", code: "ECONNREFUSED" })
    expect(Object.keys(safe as object)).not.toContain("request")
    expect(inspect(safe, { depth: Infinity, showHidden: true })).not.toContain(KEY)
  })

  it("cuts the key out of messages when told it", () => {
    const safe = scrubbed(new Error(`invalid header value: Bearer ${KEY}`, { cause: new Error(KEY) }), KEY)
    expect(safe?.message).toBe("invalid header value: Bearer <redacted>")
    expect((safe?.cause as Error).message).toBe("<redacted>")
  })

  it("is undefined for nothing, and stops at a cause cycle", () => {
    expect(scrubbed(undefined)).toBeUndefined()
    expect(scrubbed("a string")).toBeUndefined()
    const cyclic: { message: string; cause?: unknown } = { message: "loop" }
    cyclic.cause = cyclic
    let depth = 0
    for (let e: unknown = scrubbed(cyclic); e !== undefined; e = (e as Error).cause) depth++
    expect(depth).toBe(5)
  })
})
