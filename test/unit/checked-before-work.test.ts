/**
 * Methods that do work of their own before their request (read the etag of a
 * conditional write, build an upload's form, fill in a header or the body
 * from other arguments) check the caller's input first, and never drop or
 * replace what the caller gave: bad input is a `ValidationError` with
 * nothing sent, not a read that goes out first, a raw `TypeError`, or a
 * value silently swapped for another.
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { MemoryLayerClient, ValidationError } from "../../src/index.ts"
import { MemoryLayer } from "../../src/effect.ts"

/** A client whose fetch records every request and answers 500. */
const recordingClient = () => {
  const requests: Array<string> = []
  const client = new MemoryLayerClient({
    baseUrl: "http://memorylayer.test",
    maxRetries: 0,
    fetch: (request) => {
      requests.push(`${request.method} ${new URL(request.url).pathname} ${request.headers.get("if-none-match") ?? ""}`.trim())
      return Response.json({ detail: "down" }, { status: 500 })
    }
  })
  return { client, requests }
}

const rejectionOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error)

describe("input is checked before the work a method does around its request", () => {
  it("a conditional write with bad input reads no etag first", async () => {
    const { client, requests } = recordingClient()
    const error = await rejectionOf(client.views.replace("ws_1", "view_1", "not_a_kind" as never))
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((i) => i.path.join("."))).toEqual(["body.kind"])
    expect(requests).toEqual([])
  })

  it("an upload with a field JSON cannot carry is a ValidationError, not a TypeError from building the form", async () => {
    const { client, requests } = recordingClient()
    const cyclic: Record<string, unknown> = {}
    cyclic["self"] = cyclic
    const error = await rejectionOf(client.documents.upload(new Blob(["notes"]), "notes.txt", { documentType: cyclic as never }))
    expect(error).toBeInstanceOf(ValidationError)
    expect(requests).toEqual([])
  })

  it("views.putObservation keeps the caller's If-None-Match and checks it, instead of replacing it with *", async () => {
    const { client, requests } = recordingClient()
    const error = await rejectionOf(client.views.putObservation("ws_1", "view_1", "obs_1", "gen_1", 1, { ifNoneMatch: "etag-1" as never }))
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((i) => i.path.join("."))).toEqual(["headers.If-None-Match"])
    await rejectionOf(client.views.putObservation("ws_1", "view_1", "obs_1", "gen_1", 1))
    expect(requests).toEqual(["PUT /v1/workspaces/ws_1/views/view_1/observations/obs_1 *"])
  })

  it("importWorkspaceStream refuses a data option instead of dropping it", async () => {
    const { client, requests } = recordingClient()
    const error = await rejectionOf(client.importWorkspaceStream("ws_1", [], { data: {} } as never))
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues).toEqual([
      { path: ["options", "data"], message: "is not an option of this method (it takes timeout, maxRetries, signal, maxResponseBytes, requestId)" }
    ])
    expect(requests).toEqual([])
  })
})

describe("what JSON cannot carry is refused, not dropped on the way", () => {
  it("a symbol key in a caller's object is a ValidationError naming the key, with nothing sent, on every call", async () => {
    const { client, requests } = recordingClient()
    const tag = Symbol("trace")
    // Twice: the first call loads the method's checks, the second finds them loaded (the first attempt's fast path).
    for (let i = 0; i < 2; i++) {
      const error = await rejectionOf(client.remember("x", { metadata: { team: "infra", [tag]: "t-1" } }))
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).issues.map((issue) => issue.path.join("."))).toEqual(["body.metadata.Symbol(trace)"])
      expect((error as ValidationError).message).toContain("body.metadata.Symbol(trace)")
    }
    expect(requests).toEqual([])
  })

  it("a symbol key in the options object is refused like an unknown option, not ignored", async () => {
    const { client, requests } = recordingClient()
    const error = await rejectionOf(client.remember("x", { importance: 0.5, [Symbol("importance")]: 0.9 } as never))
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((issue) => issue.path.join("."))).toEqual(["options.Symbol(importance)"])
    expect((error as ValidationError).message).toMatch(/options\.Symbol\(importance\): is not an option of this method/)
    expect(requests).toEqual([])
  })

  it("a Map or a Set where the contract has an object is refused, not sent as {}", async () => {
    const { client, requests } = recordingClient()
    for (let i = 0; i < 2; i++) {
      const error = await rejectionOf(client.remember("x", { metadata: new Map([["team", "infra"]]) as never }))
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).issues).toEqual([
        { path: ["body", "metadata"], message: "must be a plain object or an array, not a Map: JSON would not send it as it is" }
      ])
    }
    expect(requests).toEqual([])
  })

  it("input that throws when read (a getter, a Proxy) is a ValidationError on both faces: no synchronous throw, no request", async () => {
    const { client, requests } = recordingClient()
    const inputs = {
      "a getter in the body": () => ({ metadata: { get team(): string { throw new Error("team is not loaded") } } }),
      "a Proxy as the options": () => new Proxy({}, { ownKeys: () => { throw new Error("team is not loaded") } })
    }
    for (const [what, options] of Object.entries(inputs)) {
      for (let i = 0; i < 2; i++) {
        let pending: Promise<unknown> | undefined
        expect(() => (pending = client.remember("x", options() as never)), what).not.toThrow()
        const error = await rejectionOf(pending as Promise<unknown>)
        expect(error, what).toBeInstanceOf(ValidationError)
        expect((error as ValidationError).message, what).toBe("remember: invalid input: arguments: could not be read: team is not loaded")
      }
      const exit = await Effect.runPromise(
        Effect.flatMap(Effect.service(MemoryLayer), (ml) => ml.remember("x", options() as never)).pipe(
          Effect.provide(MemoryLayer.layer({ baseUrl: "http://memorylayer.test", maxRetries: 0, fetch: () => Response.json({}, { status: 500 }) })),
          Effect.flip
        )
      )
      expect(exit, what).toBeInstanceOf(ValidationError)
    }
    expect(requests).toEqual([])
  })

  it("the client-side compositions, actingFor and the constructor refuse arguments that throw when read with a ValidationError", async () => {
    const { client, requests } = recordingClient()
    const unreadable = () => new Proxy({}, { get: () => { throw new Error("not loaded") }, ownKeys: () => { throw new Error("not loaded") } })
    const compositions = {
      "skills.pull": () => client.skills.pull("deploy", unreadable() as never),
      "skills.push": () => client.skills.push(unreadable() as never),
      "skills.materialize": () => client.skills.materialize(unreadable() as never),
      "mcpServers.pushJson": () => client.mcpServers.pushJson(unreadable() as never),
      "mcpServers.pullJson": () => client.mcpServers.pullJson(unreadable() as never)
    }
    for (const [name, call] of Object.entries(compositions)) {
      let pending: Promise<unknown> | undefined
      expect(() => (pending = call()), name).not.toThrow()
      const error = await rejectionOf(pending as Promise<unknown>)
      expect(error, name).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).message, name).toBe(`${name}: invalid input: arguments: could not be read: not loaded`)
    }
    expect(requests).toEqual([])
    expect(() => client.actingFor("grant_1", unreadable() as never)).toThrow(ValidationError)
    expect(() => client.actingFor("grant_1", unreadable() as never)).toThrow("Invalid client options: actingFor.subject could not be read: not loaded")
    expect(() => new MemoryLayerClient(unreadable() as never)).toThrow(ValidationError)
    const layerError = await Effect.runPromise(Effect.flip(Effect.provide(Effect.service(MemoryLayer), MemoryLayer.layer(unreadable() as never))))
    expect(layerError).toBeInstanceOf(ValidationError)
    expect((layerError as ValidationError).message).toBe("Invalid client options: options could not be read: not loaded")
  })
})
