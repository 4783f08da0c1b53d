/**
 * The seed's scalar keyword arguments given positionally, as the Python
 * client and the upstream TypeScript SDK take them (`forget(id, true)`,
 * `decay(id, 0.2)`, ...): on both faces, against the Prism mock (which
 * validates every request), each sends exactly what the options form sends.
 * A wrong-typed positional is a ValidationError naming the parameter, and
 * nothing is sent.
 */
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, inject, it } from "vitest"
import { MemoryLayer, type MemoryLayerService } from "../../src/effect.ts"
import { MemoryLayerClient, ValidationError } from "../../src/index.ts"
import { SESSION_ID } from "./calls.ts"

const prismUrl = inject("prismUrl")

/** What the client sent: method, path with query, and JSON body. */
interface Sent {
  readonly method: string
  readonly url: string
  readonly body: unknown
}

const recorder = () => {
  const sent: Array<Sent> = []
  const fetchFn = async (request: Request, init?: RequestInit): Promise<Response> => {
    const copy = request.clone()
    const text = await copy.text()
    const url = new URL(request.url)
    sent.push({ method: request.method, url: `${url.pathname}${url.search}`, body: text === "" ? undefined : JSON.parse(text) })
    return fetch(request, init)
  }
  return { sent, fetchFn }
}

type Face = MemoryLayerClient | MemoryLayerService

/** Each seed-style call, the options-object call it must equal, and what must reach the server. */
const cases: ReadonlyArray<{
  readonly name: string
  readonly positional: (api: Face) => unknown
  readonly options: (api: Face) => unknown
  readonly expected: Sent
}> = [
  {
    name: "forget(id, true)",
    positional: (api) => api.forget("mem_e73ad5e6be624b5b", true),
    options: (api) => api.forget("mem_e73ad5e6be624b5b", { hard: true }),
    expected: { method: "DELETE", url: "/v1/memories/mem_e73ad5e6be624b5b?hard=true", body: undefined }
  },
  {
    name: "decay(id, 0.2)",
    positional: (api) => api.decay("mem_e73ad5e6be624b5b", 0.2),
    options: (api) => api.decay("mem_e73ad5e6be624b5b", { decayRate: 0.2 }),
    expected: { method: "POST", url: "/v1/memories/mem_e73ad5e6be624b5b/decay", body: { decay_rate: 0.2 } }
  },
  {
    name: "associate(source, target, relationship, strength)",
    positional: (api) => api.associate("mem_8c00c5ec06dd4107", "mem_fb1d60afcded407f", "related_to", 0.7),
    options: (api) => api.associate("mem_8c00c5ec06dd4107", "mem_fb1d60afcded407f", "related_to", { strength: 0.7 }),
    expected: {
      method: "POST",
      url: "/v1/memories/mem_8c00c5ec06dd4107/associate",
      body: { target_id: "mem_fb1d60afcded407f", relationship: "related_to", strength: 0.7 }
    }
  },
  {
    name: "getAssociations(id, direction)",
    positional: (api) => api.getAssociations("mem_8c00c5ec06dd4107", "outgoing"),
    options: (api) => api.getAssociations("mem_8c00c5ec06dd4107", { direction: "outgoing" }),
    expected: { method: "GET", url: "/v1/memories/mem_8c00c5ec06dd4107/associations?direction=outgoing", body: undefined }
  },
  {
    name: "touchSession(id, extendSeconds)",
    positional: (api) => api.touchSession(SESSION_ID, 600),
    options: (api) => api.touchSession(SESSION_ID, { extendSeconds: 600 }),
    expected: { method: "POST", url: `/v1/sessions/${SESSION_ID}/touch?extend_seconds=600`, body: undefined }
  },
  {
    name: "createWorkspace(name, settings)",
    positional: (api) => api.createWorkspace("SDK Test Workspace", { decay_enabled: true }),
    options: (api) => api.createWorkspace("SDK Test Workspace", { settings: { decay_enabled: true } }),
    expected: { method: "POST", url: "/v1/workspaces", body: { name: "SDK Test Workspace", settings: { decay_enabled: true } } }
  },
  {
    name: "getBriefing(lookbackHours)",
    positional: (api) => api.getBriefing(2),
    options: (api) => api.getBriefing({ lookbackHours: 2 }),
    expected: { method: "GET", url: "/v1/sessions/briefing?lookback_minutes=120", body: undefined }
  },
  {
    name: "setContext(sessionId, key, value, ttlSeconds)",
    positional: (api) => api.setContext(SESSION_ID, "current_file", { path: "src/index.ts" }, 120),
    options: (api) => api.setContext(SESSION_ID, "current_file", { path: "src/index.ts" }, { ttlSeconds: 120 }),
    expected: { method: "POST", url: `/v1/sessions/${SESSION_ID}/memory`, body: { key: "current_file", value: { path: "src/index.ts" }, ttl_seconds: 120 } }
  },
  {
    name: "contextInject(key, value, parseJson)",
    positional: (api) => api.contextInject("config", "{\"a\": 1}", true),
    options: (api) => api.contextInject("config", "{\"a\": 1}", { parseJson: true }),
    expected: { method: "POST", url: "/v1/context/inject", body: { key: "config", value: "{\"a\": 1}", parse_json: true } }
  },
  {
    name: "contextInspect(variable)",
    positional: (api) => api.contextInspect("x"),
    options: (api) => api.contextInspect({ variable: "x" }),
    expected: { method: "POST", url: "/v1/context/inspect?variable=x", body: undefined }
  }
]

/** Runs `call` on a fresh face of each kind, returning what it sent and its result. */
const faces = {
  client: async (call: (api: Face) => unknown) => {
    const { sent, fetchFn } = recorder()
    const client = new MemoryLayerClient({ baseUrl: prismUrl, sessionId: SESSION_ID, fetch: fetchFn })
    try {
      return { sent, result: await (call(client) as Promise<unknown>) }
    } finally {
      await client.close()
    }
  },
  service: async (call: (api: Face) => unknown) => {
    const { sent, fetchFn } = recorder()
    const layer = MemoryLayer.layer({ baseUrl: prismUrl, sessionId: SESSION_ID, fetch: fetchFn })
    const program = Effect.flatMap(Effect.service(MemoryLayer), (ml) => call(ml) as Effect.Effect<unknown, unknown>)
    return { sent, result: await Effect.runPromise(program.pipe(Effect.provide(layer))) }
  }
}

describe.each(Object.entries(faces))("seed-style positional arguments on the %s face", (_face, run) => {
  it.each(cases)("$name sends what the options form sends, and the server accepts it", async ({ positional, options, expected }) => {
    const byPosition = await run(positional)
    const byOptions = await run(options)
    expect(byPosition.sent).toEqual([expected])
    expect(byOptions.sent).toEqual([expected])
    expect(byPosition.result).toEqual(byOptions.result)
  })

  it("a positional option may be followed by per-call options", async () => {
    const { sent, result } = await run((api) => api.forget("mem_e73ad5e6be624b5b", true, { timeout: 5_000 }))
    expect(result).toBe(true)
    expect(sent.map((s) => s.url)).toEqual(["/v1/memories/mem_e73ad5e6be624b5b?hard=true"])
  })

  it.each([
    { name: "forget(id, \"yes\")", call: (api: Face) => api.forget("m", "yes" as never), field: "query.hard" },
    { name: "decay(id, \"fast\")", call: (api: Face) => api.decay("m", "fast" as never), field: "body.decay_rate" },
    { name: "getAssociations(id, \"sideways\")", call: (api: Face) => api.getAssociations("m", "sideways" as never), field: "query.direction" },
    { name: "touchSession(id, -5.5)", call: (api: Face) => api.touchSession("s", -5.5), field: "query.extend_seconds" }
  ])("$name is a ValidationError naming $field, and nothing is sent", async ({ call, field }) => {
    const outcome = await run(call).then(
      () => undefined,
      (error: unknown) => error
    )
    expect(outcome).toBeInstanceOf(ValidationError)
    expect((outcome as ValidationError).message).toContain(field)
    expect((outcome as ValidationError).statusCode).toBeUndefined()
  })

  it("giving an option both positionally and in the options object is refused", async () => {
    const outcome = await run((api) => api.forget("m", true, { hard: false } as never)).catch((error: unknown) => error)
    expect(outcome).toBeInstanceOf(ValidationError)
    expect((outcome as ValidationError).message).toContain("sets hard a second time")
  })

  it("an argument past the options object is refused, not ignored", async () => {
    const outcome = await run((api) => (api.getMemory as (...args: ReadonlyArray<unknown>) => unknown)("m", {}, "extra")).catch((error: unknown) => error)
    expect(outcome).toBeInstanceOf(ValidationError)
    expect((outcome as ValidationError).message).toContain("expected at most 2 arguments, got 3")
  })
})

describe("createWorkspace's second argument", () => {
  const client = new MemoryLayerClient({ baseUrl: prismUrl })
  afterAll(() => client.close())

  it("is the options object when every key is an option, and the settings otherwise", async () => {
    const { sent } = await faces.client((api) => api.createWorkspace("W", { tags: ["a"], settings: { x: 1 } }))
    expect(sent[0]?.body).toEqual({ name: "W", tags: ["a"], settings: { x: 1 } })
    const asSettings = await faces.client((api) => api.createWorkspace("W", { decay_enabled: true, tags: ["kept-as-a-setting"] } as never))
    expect(asSettings.sent[0]?.body).toEqual({ name: "W", settings: { decay_enabled: true, tags: ["kept-as-a-setting"] } })
  })
})
