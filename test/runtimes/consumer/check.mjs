/**
 * What every runtime of the matrix runs, importing the packed package by name
 * as any user would: the Promise client's remember, recall and getMemory
 * against a Prism mock, a client-side ValidationError, and one program through
 * the Effect entry point. It never throws: it returns a report, with the
 * values the calls returned so the test can compare them with what Prism
 * answers, or with the error that stopped it.
 */
import * as Effect from "effect/Effect"
import { MemoryLayerClient, ValidationError } from "memorylayer-client"
import { MemoryLayer } from "memorylayer-client/effect"

const API_KEY = "sk-runtime-matrix"

/** Where a ValidationError says the bad value is, e.g. "importance". */
const fieldsOf = (error) => (error?.issues ?? []).map((issue) => issue.path.at(-1))

/**
 * @param {string} runtime how the runtime names itself, e.g. "node 22.23.3"
 * @param {string} baseUrl the Prism mock's URL
 */
export async function check(runtime, baseUrl) {
  try {
    const client = new MemoryLayerClient({ baseUrl, apiKey: API_KEY })
    const stored = await client.remember("Deploys run from scripts/deploy.sh", { type: "procedural", importance: 0.8, tags: ["deploy"] })
    const recalled = await client.recall("how do we deploy?", { limit: 5 })
    const fetched = await client.getMemory(stored.id)
    const refused = await client.remember("out of range", { importance: 7 }).then(() => undefined, (error) => error)
    await client.close()

    const program = Effect.gen(function*() {
      const ml = yield* MemoryLayer
      const memory = yield* ml.getMemory(stored.id)
      const caught = yield* ml.remember("out of range", { importance: 7 }).pipe(
        Effect.map(() => "no error"),
        Effect.catchTag("ValidationError", (error) => Effect.succeed(`${error._tag} on ${fieldsOf(error).join(",")}`))
      )
      return { getMemory: memory.id, caught }
    })
    const effect = await Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layer({ baseUrl, apiKey: API_KEY }))))

    return {
      ok: true,
      runtime,
      remember: stored.id,
      recall: recalled.memories.map((memory) => memory.id),
      getMemory: fetched.id,
      validationError: {
        instanceOfValidationError: refused instanceof ValidationError,
        instanceOfError: refused instanceof Error,
        tag: refused?._tag,
        fields: fieldsOf(refused)
      },
      effect
    }
  } catch (error) {
    return { ok: false, runtime, error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ""}` : String(error) }
  }
}
