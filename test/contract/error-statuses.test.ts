/**
 * Every error status openapi.yaml declares for an operation, requested from
 * the Prism mock with `Prefer: code=NNN`, rejects with the matching error
 * class on the Promise client and fails with the matching tag on the service.
 */
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, inject, it } from "vitest"
import { operations } from "../../generated/operations.gen.ts"
import { MemoryLayer } from "../../src/effect.ts"
import {
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  type FetchLike,
  MemoryLayerClient,
  type MemoryLayerError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError
} from "../../src/index.ts"
import { callOf, covered as coveredOperations, SESSION_ID } from "./calls.ts"
import { contractOperations } from "../support/contract.ts"

const prismUrl = inject("prismUrl")

const expected: Record<number, new(...args: never) => MemoryLayerError> = {
  400: ValidationError,
  401: AuthenticationError,
  403: AuthorizationError,
  404: NotFoundError,
  409: ConflictError,
  412: ConflictError,
  422: ValidationError,
  428: ValidationError,
  429: RateLimitError,
  500: ServerError,
  501: ServerError,
  502: ServerError,
  503: ServerError,
  504: ServerError
}

/**
 * Asks Prism for `status` on the requests of operation `id` only: a versioned
 * write first reads the current etag with another operation, which must
 * succeed for the write to be sent.
 */
const preferring = (status: number, id?: string): FetchLike => {
  const operation = contractOperations.find((op) => op.operationId === id)
  const route = operation === undefined ? undefined : new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, "[^/]+")}$`)
  return (request) => {
    const ours = operation === undefined || (request.method === operation.method && route?.test(new URL(request.url).pathname) === true)
    if (ours) request.headers.set("Prefer", `code=${status}`)
    return fetch(request)
  }
}

const cases = coveredOperations.flatMap((id) =>
  operations[id].errorStatuses.map((status) => ({ id, status, name: expected[status]?.name ?? "?" }))
)
let covered = 0

describe("every declared error status maps to its error class", () => {
  afterAll(() => console.log(`contract coverage: ${covered}/${cases.length} declared error statuses, on both faces`))

  it.each(cases)("$id answered $status rejects with $name on both faces", async ({ id, status }) => {
    const options = { baseUrl: prismUrl, sessionId: SESSION_ID, maxRetries: 0, fetch: preferring(status, id) }
    const client = new MemoryLayerClient(options)
    const rejection = await Promise.resolve(callOf(id).run(client)).then(() => undefined, (error: unknown) => error)
    await client.close()
    const Expected = expected[status]
    expect(Expected).toBeDefined()
    expect(rejection).toBeInstanceOf(Expected as NonNullable<typeof Expected>)
    expect((rejection as MemoryLayerError).statusCode).toBe(status)
    expect((rejection as MemoryLayerError).message).toContain(`${id}: ${status}`)

    const failure = await Effect.runPromise(
      Effect.flatMap(Effect.service(MemoryLayer), (ml) => Effect.flip(callOf(id).run(ml) as Effect.Effect<unknown, MemoryLayerError>)).pipe(
        Effect.provide(MemoryLayer.layer(options))
      )
    )
    expect(failure._tag).toBe(Expected?.name)
    covered++
  })

  it("a 429 carries the Retry-After the server sent, in milliseconds", async () => {
    const client = new MemoryLayerClient({ baseUrl: prismUrl, maxRetries: 0, fetch: preferring(429) })
    const error = await client.recall("anything").catch((e: unknown) => e)
    await client.close()
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfter).toBe(1000)
  })
})

describe("a request that breaks the contract never reaches the mock", () => {
  it("importance 7 rejects with ValidationError naming the field, and nothing is sent", async () => {
    let sent = 0
    const client = new MemoryLayerClient({
      baseUrl: prismUrl,
      fetch: (request) => {
        sent++
        return fetch(request)
      }
    })
    const error = await client.remember("x", { importance: 7 }).catch((e: unknown) => e)
    await client.close()
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues).toEqual([
      { path: ["body", "importance"], message: "Expected a value less than or equal to 1, got 7" }
    ])
    expect(sent).toBe(0)
  })
})
