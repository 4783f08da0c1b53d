/**
 * Each operation's Effect error type is the union of what that operation can
 * really fail with, derived from the operations table. These assertions are
 * checked by `npm run typecheck`; the runtime half checks the table they
 * derive from.
 */
import type * as Effect from "effect/Effect"
import { describe, expect, expectTypeOf, it } from "vitest"
import { operations } from "../../generated/operations.gen.ts"
import type {
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  ConnectionError,
  DecodeError,
  MemoryLayerService,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError
} from "../../src/effect.ts"

/** The service's methods (not its namespaces). */
type MethodName = { [K in keyof MemoryLayerService]: MemoryLayerService[K] extends (...args: never) => unknown ? K : never }[keyof MemoryLayerService]
type ErrorOf<K extends MethodName> = MemoryLayerService[K] extends (...args: never) => Effect.Effect<infer _A, infer E> ? E : never
type Always = ValidationError | AuthenticationError | AuthorizationError | RateLimitError | ServerError | ConnectionError | DecodeError

describe("the error channel of each operation", () => {
  it("getMemory can fail with NotFoundError; remember cannot, but its keyed create can conflict", () => {
    expectTypeOf<ErrorOf<"getMemory">>().toEqualTypeOf<Always | NotFoundError>()
    expectTypeOf<ErrorOf<"remember">>().toEqualTypeOf<Always | ConflictError>()
    expect(operations.getMemory.errorStatuses).toContain(404)
    expect(operations.remember.errorStatuses).not.toContain(404)
  })

  it("client-side session calls cannot fail, except setSession on a bad id", () => {
    expectTypeOf<ErrorOf<"getSessionId">>().toEqualTypeOf<never>()
    expectTypeOf<ErrorOf<"clearSession">>().toEqualTypeOf<never>()
    expectTypeOf<ErrorOf<"setSession">>().toEqualTypeOf<ValidationError>()
  })
})
