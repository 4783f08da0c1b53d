/**
 * A representative set of operations through the Effect service against the
 * real server: typed errors in the error channel, and session state kept by
 * the service.
 */
import * as Effect from "effect/Effect"
import { describe, expect, inject, it } from "vitest"
import { MemoryLayer, MemoryType } from "../../src/effect.ts"

const layer = MemoryLayer.layer({ baseUrl: inject("memorylayerUrl"), apiKey: "e2e-key" })
const run = <A, E>(program: Effect.Effect<A, E, MemoryLayer>): Promise<A> => Effect.runPromise(program.pipe(Effect.provide(layer)))

describe("the Effect service against the real server", () => {
  it("remembers, recalls and reads back a memory", async () => {
    const marker = crypto.randomUUID().slice(0, 8)
    const { stored, found, fetched } = await run(Effect.gen(function*() {
      const ml = yield* MemoryLayer
      const stored = yield* ml.remember(`pangolin ${marker} prefers dark mode`, { type: MemoryType.SEMANTIC, importance: 0.7 })
      const found = yield* ml.recall(`pangolin ${marker}`, { limit: 3 })
      const fetched = yield* ml.getMemory(stored.id)
      return { stored, found, fetched }
    }))
    expect(found.memories[0]?.id).toBe(stored.id)
    // Recall raises importance on the server, so only the stable fields are compared.
    expect(fetched).toMatchObject({ id: stored.id, type: "semantic", content: stored.content })
  })

  it("an unknown id fails with NotFoundError that Effect.catchTag recovers from", async () => {
    const outcome = await run(Effect.gen(function*() {
      const ml = yield* MemoryLayer
      return yield* ml.getMemory("mem_does_not_exist").pipe(
        Effect.as("found"),
        Effect.catchTag("NotFoundError", (error) => Effect.succeed(`${error._tag} ${error.statusCode}: ${error.message}`))
      )
    }))
    expect(outcome).toBe("NotFoundError 404: getMemory: 404 Memory not found: mem_does_not_exist")
  })

  it("createSession makes the session active for the sandbox, deleteSession clears it", async () => {
    const { exec, during, after } = await run(Effect.gen(function*() {
      const ml = yield* MemoryLayer
      const session = yield* ml.createSession({ ttlSeconds: 300 })
      const during = yield* ml.getSessionId()
      const exec = yield* ml.contextExec("answer = 40 + 2", { resultVar: "answer" })
      yield* ml.deleteSession(session.id)
      const after = yield* ml.getSessionId()
      return { exec, during: during === session.id, after }
    }))
    expect(during).toBe(true)
    expect(exec.error).toBeNull()
    expect(after).toBeUndefined()
  })
})
