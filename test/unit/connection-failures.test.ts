/**
 * How each runtime's fetch reports a failure without an answer, and what the
 * client makes of it: a connection that was never made (the request did not
 * leave) is `requestSent: false` and retried even for a write; anything the
 * client cannot tell from a drop after sending is `requestSent: true`, and a
 * write is then not sent again. The shapes are those the runtimes give (seen
 * against a closed port and a server that resets).
 */
import { describe, expect, it } from "vitest"
import { ConnectionError, MemoryLayerClient } from "../../src/index.ts"

const URL_TEXT = "http://127.0.0.1:43025/v1/memories"

const shapes = {
  "Node (undici): refused": new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:43025"), { code: "ECONNREFUSED" }) }),
  "Node (undici): DNS": new TypeError("fetch failed", { cause: Object.assign(new Error("getaddrinfo ENOTFOUND no-such-host.invalid"), { code: "ENOTFOUND" }) }),
  "Bun: refused": Object.assign(new TypeError("ECONNREFUSED: Unable to connect. Is the computer able to access the url?"), { code: "ECONNREFUSED" }),
  "Deno: refused": new TypeError("fetch failed", {
    cause: new Error(`error sending request for url (${URL_TEXT}): client error (Connect): tcp connect error: Connection refused (os error 111)`)
  }),
  "Deno: DNS": new TypeError("fetch failed", {
    cause: new Error(`error sending request for url (${URL_TEXT}): client error (Connect): dns error: failed to lookup address information: Name or service not known`)
  }),
  "Node (undici): reset": new TypeError("fetch failed", { cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) }),
  "Bun: reset": Object.assign(new TypeError("ECONNRESET: The socket connection was closed unexpectedly."), { code: "ECONNRESET" }),
  "Deno: reset": new TypeError("fetch failed", { cause: new Error("Connection reset by peer (os error 104)") }),
  "workerd: refused or dropped, it says the same": new Error("Network connection lost."),
  "a browser: blocked, refused or dropped, it says the same": new TypeError("Failed to fetch")
} as const

const neverSent: ReadonlyArray<keyof typeof shapes> = ["Node (undici): refused", "Node (undici): DNS", "Bun: refused", "Deno: refused", "Deno: DNS"]

/** remember through a fetch that always rejects with `failure`: the error and the attempts made. */
const remember = async (failure: Error) => {
  let attempts = 0
  const client = new MemoryLayerClient({
    baseUrl: "http://127.0.0.1:43025",
    fetch: () => {
      attempts++
      return Promise.reject(failure)
    }
  })
  const error = await client.remember("x").then(() => undefined, (e: unknown) => e)
  await client.close()
  return { error, attempts }
}

describe.concurrent("a failure without an answer", () => {
  it.each(Object.keys(shapes) as Array<keyof typeof shapes>)("%s", async (shape) => {
    const { error, attempts } = await remember(shapes[shape])
    expect(error).toBeInstanceOf(ConnectionError)
    const sent = !neverSent.includes(shape)
    expect((error as ConnectionError).requestSent).toBe(sent)
    // A write is retried only when it provably never left.
    expect(attempts).toBe(sent ? 1 : 3)
  }, 10_000)
})
