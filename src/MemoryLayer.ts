/**
 * The `MemoryLayer` Effect service: every operation of the API as an Effect
 * with typed errors, retries and a span. Its methods are not written here:
 * one loop binds every row of the generated operations table to the runner,
 * so a method exists because openapi.yaml declares its operation.
 *
 * @module
 */
import type * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import { type OperationId, type OperationInfo, operations } from "../generated/operations.gen.ts"
import type { MemoryLayerOperations } from "../generated/service.gen.ts"
import { bind } from "./bind.ts"
import type { ValidationError, ValidationIssue } from "./errors.ts"
import { hooks } from "./hooks.ts"
import type { OperationError } from "./operation-error.ts"
import { type MemoryLayerOptions, resolveOptions } from "./options.ts"
import { defaultRetryPolicy, retrySchedule } from "./retry.ts"
import { invalidInput, runOperation, type RunnerContext } from "./runner.ts"
import { headerValueIssue } from "./headers.ts"
import { makeHttpClient } from "./transport.ts"

/** An Effect of operation `Id` that succeeds with `A`. */
export type Op<Id extends OperationId, A> = Effect.Effect<A, OperationError<Id>>

/** The client-side session methods: the active session is sent as `X-Session-ID` on every call. */
export interface SessionMethods {
  /**
   * Makes `sessionId` the active session.
   *
   * @example
   * ```ts
   * yield* ml.setSession("sess_0123")
   * ```
   */
  setSession(sessionId: string): Effect.Effect<void, ValidationError>
  /** The active session id, if any. */
  getSessionId(): Effect.Effect<string | undefined>
  /** Forgets the active session; later calls carry no `X-Session-ID`. */
  clearSession(): Effect.Effect<void>
}

/**
 * The MemoryLayer API as Effects. Method names, positional parameters and
 * documented defaults match the Python `MemoryLayerClient`; keyword
 * parameters are one options object with camelCase keys. Returned objects
 * keep the API's snake_case fields.
 */
export interface MemoryLayerService extends MemoryLayerOperations, SessionMethods {}

type Row = OperationInfo<OperationId>
type AnyMethod = (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown>

/** What a successful answer becomes: the unwrapped field, `true`, or nothing. */
const shape = (row: Row, answer: unknown): unknown => {
  if ("result" in row) return row.result === "true" ? true : undefined
  if ("unwrap" in row) return (answer as Readonly<Record<string, unknown>>)[row.unwrap]
  return answer
}

/** The service over one client's runner context. */
const bindOperations = (ctx: RunnerContext): MemoryLayerOperations => {
  /** One call of operation `row`: bind the arguments, run it, shape the answer. */
  const invoke = (row: Row, args: ReadonlyArray<unknown>): Effect.Effect<unknown, unknown> =>
    Effect.suspend(() => {
      const bound = bind(row, args)
      const hook = "hook" in row ? hooks[row.hook] : undefined
      const issues: Array<ValidationIssue> = [...bound.issues]
      if ("session" in row && row.session === "set" && bound.client["autoSetSession"] !== undefined && typeof bound.client["autoSetSession"] !== "boolean") {
        issues.push({ path: ["options", "autoSetSession"], message: "must be a boolean" })
      }
      if (hook?.prepare !== undefined) issues.push(...hook.prepare(bound.input, bound.client))
      if (issues.length > 0) return Effect.fail(invalidInput(row.operationId, issues))
      let program = Effect.map(runOperation(ctx, row, bound.input, bound.options), (answer) =>
        shape(row, hook?.finish === undefined ? answer : hook.finish(answer, bound.client)))
      if ("session" in row && row.session === "set" && bound.client["autoSetSession"] !== false) {
        program = Effect.tap(program, (session) => Ref.set(ctx.session, (session as { readonly id: string }).id))
      } else if ("session" in row && row.session === "clear") {
        const ended = bound.input.path?.["session_id"]
        program = Effect.tap(program, () => Ref.update(ctx.session, (active) => (active === ended ? undefined : active)))
      }
      return program
    })
  const root: Record<string, unknown> = {}
  for (const row of Object.values(operations) as Array<Row>) {
    const method: AnyMethod = (...args) => invoke(row, args)
    const home = "namespace" in row ? ((root[row.namespace as string] ??= {}) as Record<string, unknown>) : root
    home[row.name] = method
    if ("aliases" in row) for (const alias of row.aliases as ReadonlyArray<string>) root[alias] = method
  }
  return root as unknown as MemoryLayerOperations
}

/** The session methods over one client's active-session reference. */
const sessionMethods = (session: Ref.Ref<string | undefined>): SessionMethods => ({
  setSession: (sessionId) => {
    const issue = typeof sessionId === "string" && sessionId !== "" ? headerValueIssue(sessionId) : "must be a non-empty string"
    return issue === undefined
      ? Effect.asVoid(Ref.set(session, sessionId))
      : Effect.fail(invalidInput("setSession", [{ path: ["sessionId"], message: issue }]))
  },
  getSessionId: () => Ref.get(session),
  clearSession: () => Effect.asVoid(Ref.set(session, undefined))
})

/** The service built from the client's options. */
const make = (options: MemoryLayerOptions): Effect.Effect<MemoryLayerService, ValidationError> =>
  Effect.gen(function*() {
    const resolved = yield* Effect.try({ try: () => resolveOptions(options), catch: (error) => error as ValidationError })
    const policy = { ...defaultRetryPolicy, maxRetries: resolved.maxRetries }
    const ctx: RunnerContext = {
      http: makeHttpClient(resolved),
      policy,
      schedule: retrySchedule(policy),
      timeout: resolved.timeout,
      workspaceId: resolved.workspaceId,
      session: yield* Ref.make<string | undefined>(resolved.sessionId),
      pausedUntil: yield* Ref.make(0)
    }
    return MemoryLayer.of({ ...bindOperations(ctx), ...sessionMethods(ctx.session) })
  })

/**
 * The MemoryLayer service.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import { MemoryLayer } from "memorylayer-client/effect"
 *
 * const program = Effect.gen(function*() {
 *   const ml = yield* MemoryLayer
 *   yield* ml.remember("The deploy script lives in scripts/deploy.sh", { type: "procedural" })
 *   return yield* ml.recall("how do I deploy?", { limit: 3 })
 * }).pipe(Effect.catchTag("RateLimitError", (e) => Effect.die(e)))
 *
 * Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layer({ baseUrl: "http://localhost:61001" }))))
 * ```
 */
export class MemoryLayer extends Context.Service<MemoryLayer, MemoryLayerService>()("memorylayer-client/MemoryLayer") {
  /**
   * A layer from explicit options. Fails with `ValidationError` naming any bad option.
   *
   * @example
   * ```ts
   * const MemoryLayerLive = MemoryLayer.layer({ baseUrl: "http://localhost:61001", apiKey: process.env.MEMORYLAYER_API_KEY })
   * ```
   */
  static layer(options: MemoryLayerOptions = {}): Layer.Layer<MemoryLayer, ValidationError> {
    return Layer.effect(MemoryLayer, make(options))
  }

  /**
   * A layer configured through Effect `Config`: `MEMORYLAYER_URL`,
   * `MEMORYLAYER_API_KEY` (read as a redacted secret) and
   * `MEMORYLAYER_WORKSPACE_ID`, all optional; `overrides` fill in the rest.
   *
   * @example
   * ```ts
   * Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layerConfig())))
   * ```
   */
  static layerConfig(overrides: Omit<MemoryLayerOptions, "baseUrl" | "apiKey" | "workspaceId"> = {}): Layer.Layer<
    MemoryLayer,
    ValidationError | Config.ConfigError
  > {
    return Layer.effect(
      MemoryLayer,
      Effect.promise(() => import("./config.ts")).pipe(
        Effect.flatMap((config) => config.optionsFromConfig(overrides)),
        Effect.flatMap(make)
      )
    )
  }
}
