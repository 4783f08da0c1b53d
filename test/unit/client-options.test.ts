/**
 * The constructor and the layers check their options as methods check
 * theirs: an unknown name is refused with the closest known one, a wrong
 * shape is refused, and nothing falls back to a default silently.
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import { MemoryLayerClient, ValidationError } from "../../src/index.ts"
import type { MemoryLayerOptions } from "../../src/options.ts"

const SECRET = "sk-live-SECRET-123456"

/** The ValidationError the constructor throws for `options`. */
const refusal = (options: unknown): ValidationError => {
  try {
    new MemoryLayerClient(options as MemoryLayerOptions)
  } catch (error) {
    if (error instanceof ValidationError) return error
    throw error
  }
  throw new Error("the constructor accepted the options")
}

describe("MemoryLayerClient options", () => {
  it.each([
    ["baseURL", "baseUrl"],
    ["apikey", "apiKey"],
    ["retries", "maxRetries"],
    ["timeOut", "timeout"],
    ["workspace_id", "workspaceId"]
  ])("refuses %s and suggests %s", (given, suggested) => {
    const error = refusal({ [given]: "http://localhost:9" })
    expect(error.issues).toContainEqual({ path: [given], message: `is not an option; did you mean ${suggested}?` })
  })

  it("lists the known names when nothing is close", () => {
    expect(refusal({ colour: "blue" }).message).toContain("colour is not an option (known: baseUrl, apiKey")
  })

  it.each([
    ["null", null],
    ["a URL string", "http://localhost:61001"],
    ["an array", []]
  ])("refuses %s in place of the options object", (_name, options) => {
    expect(refusal(options).issues[0]?.path).toEqual(["options"])
  })

  it.each([
    ["null", null, "must be an http(s) URL"],
    ["a query string", "http://localhost:61001/?x=1", "must not contain a query string"],
    ["an empty query string", "http://localhost:61001/?", "must not contain a query string"],
    ["a fragment", "http://localhost:61001/#top", "must not contain a fragment"],
    ["credentials", "http://user:pass@localhost:61001", "must not contain credentials (pass the API key as apiKey)"],
    ["another scheme", "ftp://localhost:61001", "must be an http(s) URL"]
  ])("refuses a baseUrl with %s", (_name, baseUrl, message) => {
    const error = refusal({ baseUrl })
    expect(error.issues).toEqual([{ path: ["baseUrl"], message }])
    expect(error.message).not.toContain("pass@")
  })

  it.each([
    ["CR LF", `${SECRET}\r\nX-Injected: 1`],
    ["NUL", `${SECRET}\u0000`],
    ["characters beyond Latin-1", `${SECRET}\u2603`]
  ])("refuses an apiKey with %s without echoing it", (_name, apiKey) => {
    const error = refusal({ apiKey })
    expect(error.issues[0]?.path).toEqual(["apiKey"])
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(SECRET)
  })

  it.each(["workspaceId", "sessionId"])("refuses a %s that cannot be a header value", (name) => {
    expect(refusal({ [name]: "ws\nX-Injected: 1" }).issues[0]).toEqual({ path: [name], message: "must not contain control characters (CR, LF, NUL, ...)" })
  })

  it("MemoryLayer.layer refuses the same options", async () => {
    const exit = await Effect.runPromiseExit(Effect.service(MemoryLayer).pipe(Effect.provide(MemoryLayer.layer({ baseURL: "http://x" } as never))))
    expect(exit._tag).toBe("Failure")
    expect(JSON.stringify(exit)).toContain("did you mean baseUrl?")
  })
})

describe("client-side session methods", () => {
  it("resolve with undefined, and a bad session id is refused before it is stored", async () => {
    const client = new MemoryLayerClient()
    expect(await client.setSession("sess_1")).toBeUndefined()
    expect(await client.getSessionId()).toBe("sess_1")
    expect(await client.clearSession()).toBeUndefined()
    expect(await client.getSessionId()).toBeUndefined()
    await expect(client.setSession("s\r\nX: 1")).rejects.toBeInstanceOf(ValidationError)
    expect(await client.getSessionId()).toBeUndefined()
    await client.close()
  })
})
