/**
 * Quickstart: remember, recall, sessions and error handling, the Promise way
 * and the Effect way. `npm start` runs it against MEMORYLAYER_URL when that is
 * set, else against a local memorylayer-server it starts and stops.
 */
import * as Effect from "effect/Effect"
import { MemoryLayer } from "../src/effect.ts"
import { MemoryLayerClient, MemoryType, NotFoundError, RelationshipType, ValidationError } from "../src/index.ts"

/** Runs the tour against `baseUrl` and prints what each step returned, a line at a time, with `print`. */
export const quickstart = async (baseUrl: string, apiKey?: string, print: (line: string) => void = console.log): Promise<void> => {
  // The Promise way.
  await using client = new MemoryLayerClient({ baseUrl, apiKey })
  const problem = await client.remember("CI fails on main: flaky network test", { type: MemoryType.EPISODIC, subtype: "problem", tags: ["ci"] })
  const fix = await client.remember("Pinned Node to 24 in CI; the flaky test passes", { type: MemoryType.PROCEDURAL, subtype: "fix", importance: 0.9 })
  print(`remember -> ${problem.id} (${problem.type}), ${fix.id} (${fix.type})`)

  const association = await client.associate(problem.id, fix.id, RelationshipType.SOLVED_BY, { strength: 0.9 })
  print(`associate -> ${association.source_id} ${association.relationship} ${association.target_id}`)

  const found = await client.recall("why did CI fail?", { limit: 3 })
  print(`recall -> ${found.total_count} memories, best: ${JSON.stringify(found.memories[0]?.content)}`)

  const session = await client.createSession({ ttlSeconds: 600 })
  await client.setContext(session.id, "current_task", { file: "ci.yml", step: "test" })
  print(`session -> ${session.id}, working memory: ${JSON.stringify(await client.getContext(session.id, ["current_task"]))}`)

  try {
    await client.remember("Too important", { importance: 7 })
  } catch (error) {
    if (error instanceof ValidationError) print(`remember(importance 7) -> ValidationError, nothing sent: ${error.message}`)
    else throw error
  }
  const lookup = await client.getMemory("mem_does_not_exist").catch((error: unknown) => error)
  print(
    lookup instanceof NotFoundError
      ? `getMemory(unknown) -> NotFoundError ${lookup.statusCode}: ${lookup.message}`
      : `getMemory(unknown) -> ${lookup instanceof Error ? lookup.message : "found (a mock answers every id)"}`
  )

  // The Effect way: the same calls, typed errors in the error channel.
  const program = Effect.gen(function*() {
    const ml = yield* MemoryLayer
    const result = yield* ml.recall("flaky test", { limit: 1, maxRetries: 1 })
    const refused = yield* ml.decay(fix.id, { decayRate: 2 }).pipe(
      Effect.as("decayed"),
      Effect.catchTag("ValidationError", (error) => Effect.succeed(`caught ${error._tag}: ${error.issues[0]?.message ?? ""}`))
    )
    return { recalled: `${result.memories.length} of ${result.total_count}`, refused }
  })
  const outcome = await Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layer({ baseUrl, apiKey }))))
  print(`effect -> recall(limit 1): ${outcome.recalled} matches; decay(rate 2) ${outcome.refused}`)
}
