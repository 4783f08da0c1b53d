import { inspect } from "node:util"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import {
  AuthenticationError,
  AuthorizationError,
  ConnectionError,
  DecodeError,
  MemoryLayerError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError
} from "../../src/errors.ts"

const fields = { message: "getMemory: 404 Memory not found", statusCode: 404, detail: "Memory not found", operation: "getMemory" }

const all = [
  new AuthenticationError({ ...fields, statusCode: 401 }),
  new AuthorizationError({ ...fields, statusCode: 403 }),
  new NotFoundError(fields),
  new ValidationError({ ...fields, statusCode: 422 }),
  new RateLimitError({ ...fields, statusCode: 429, retryAfter: 1_000 }),
  new ServerError({ ...fields, statusCode: 500 }),
  new ConnectionError({ ...fields, statusCode: undefined, requestSent: false }),
  new DecodeError({ ...fields, statusCode: 200 })
]

describe("error classes", () => {
  it.each(all)("$_tag is a real Error and a MemoryLayerError, named after its tag", (error) => {
    expect(error).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf(MemoryLayerError)
    expect(error.name).toBe(error._tag)
    expect(error.constructor.name).toBe(error._tag)
    expect(String(error)).toBe(`${error._tag}: ${fields.message}`)
    expect(error.stack).toContain(fields.message)
  })

  it("gives every class its own tag", () => {
    expect(new Set(all.map((e) => e._tag)).size).toBe(all.length)
  })

  it("keeps message, statusCode, detail and operation as given", () => {
    expect(new NotFoundError(fields)).toMatchObject(fields)
  })

  it("lets Effect.catchTag pick an error by its tag", async () => {
    const lookup: Effect.Effect<string, NotFoundError | RateLimitError> = Effect.fail(new NotFoundError(fields))
    const program = lookup.pipe(
      Effect.catchTag("RateLimitError", () => Effect.succeed("rate limited")),
      Effect.catchTag("NotFoundError", (error) => Effect.succeed(`missing: ${String(error.detail)}`))
    )
    expect(await Effect.runPromise(program)).toBe("missing: Memory not found")
  })

  it("rejects a Promise with the very same instance the Effect failed with", async () => {
    const error = new ServerError({ ...fields, statusCode: 503 })
    await expect(Effect.runPromise(Effect.fail(error))).rejects.toBe(error)
  })

  it("can be yielded in Effect.gen to fail with it", async () => {
    const error = new DecodeError({ ...fields, statusCode: 200 })
    const program = Effect.gen(function*() {
      return yield* error
    })
    await expect(Effect.runPromise(program)).rejects.toBe(error)
  })

  it("defaults ValidationError.issues to none and ConnectionError.timedOut to false", () => {
    expect(new ValidationError({ message: "m", statusCode: undefined }).issues).toEqual([])
    expect(new ConnectionError({ message: "m", statusCode: undefined, requestSent: true }).timedOut).toBe(false)
  })

  it("shows its fields when inspected, so a logged error says what went wrong", () => {
    const text = inspect(new RateLimitError({ ...fields, statusCode: 429, retryAfter: 1_500 }))
    expect(text).toContain("RateLimitError")
    expect(text).toContain("retryAfter: 1500")
    expect(text).toContain(fields.message)
  })
})
