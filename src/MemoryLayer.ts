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
import { type MethodKey, methods, type OperationId } from "../generated/operations.gen.ts"
import type { MemoryLayerOperations } from "../generated/service.gen.ts"
import type { ValidationError } from "./errors.ts"
import { makeInvoker } from "./invoke.ts"
import { mcpJsonMethods } from "./mcp-json.ts"
import type { OperationError } from "./operation-error.ts"
import { type MemoryLayerOptions, resolveOptions } from "./options.ts"
import { defaultRetryPolicy, retrySchedule } from "./retry.ts"
import { invalidInput, type RunnerContext } from "./runner.ts"
import { skillFolderMethods } from "./skill-folders.ts"
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

/** Who a call acts for, under a grant an Aether gateway checks. */
export interface ActingSubject {
  /** E.g. `"user"`. */
  readonly type: string
  readonly id: string
}

/** Services over the same server with other settings (the Python client's `for_workspace` and `acting_for`). */
export interface ViewMethods {
  /**
   * The same service, acting in workspace `workspaceId` (sent as `X-Workspace-ID`).
   *
   * @example
   * ```ts
   * const team = yield* ml.forWorkspace("ws_team")
   * yield* team.remember("Stand-up moved to 10:00")
   * ```
   */
  forWorkspace(workspaceId: string): Effect.Effect<MemoryLayerService, ValidationError>
  /**
   * The same service, acting under grant `grantId` (for `subject` when given):
   * every request carries `X-Aether-Grant-ID` and the authority headers an
   * Aether gateway checks. memorylayer-server itself only records them.
   */
  actingFor(grantId: string, subject?: ActingSubject): Effect.Effect<MemoryLayerService, ValidationError>
}

/**
 * The MemoryLayer API as Effects. Method names, positional parameters and
 * documented defaults match the Python `MemoryLayerClient`; keyword
 * parameters are one options object with camelCase keys. Returned objects
 * keep the API's snake_case fields.
 */
export interface MemoryLayerService extends MemoryLayerOperations, SessionMethods, ViewMethods {}

/** The options of a client acting under grant `grantId`. */
export const actingForOptions = (options: MemoryLayerOptions, grantId: string, subject?: ActingSubject): MemoryLayerOptions => ({
  ...options,
  defaultHeaders: {
    ...options.defaultHeaders,
    "X-Aether-Grant-ID": grantId,
    ...(subject === undefined
      ? { "X-Aether-Authority-Mode": "direct" }
      : { "X-Aether-Authority-Mode": "on_behalf_of", "X-Aether-Subject-Type": subject.type, "X-Aether-Subject-ID": subject.id })
  }
})

type AnyMethod = (...args: ReadonlyArray<unknown>) => unknown

/**
 * The service's methods over one client's runner context: every row of the
 * methods table, at its name (or in its namespace), under its aliases, and,
 * for lists and NDJSON answers, as a `Stream` too (`<name>Stream`, and the
 * iterator name Python uses).
 */
const bindOperations = (ctx: RunnerContext): MemoryLayerOperations => {
  const invoker = makeInvoker(ctx)
  const root: Record<string, unknown> = {}
  for (const [key, row] of Object.entries(methods) as Array<[MethodKey, (typeof methods)[MethodKey]]>) {
    const home = "namespace" in row ? ((root[row.namespace as string] ??= {}) as Record<string, unknown>) : root
    const method: AnyMethod = (...args) => invoker.call(key, args)
    home[row.name] = method
    if ("aliases" in row) for (const alias of row.aliases as ReadonlyArray<string>) root[alias] ??= method
    if ("paginate" in row || "stream" in row) {
      const stream: AnyMethod = (...args) => invoker.stream(key, args)
      home[`${row.name}Stream`] = stream
      if ("paginate" in row && "iterator" in row.paginate) root[row.paginate.iterator as string] = stream
      // Python's `*_stream` alias of an NDJSON method is the stream.
      if ("aliases" in row) for (const alias of row.aliases as ReadonlyArray<string>) if (alias === `${row.name}Stream`) root[alias] = stream
    }
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
    const operations = bindOperations(ctx)
    // The namespaces' hand-written compositions (x-sdk-compositions), over their generated methods.
    Object.assign(operations.skills, skillFolderMethods(operations.skills))
    Object.assign(operations.mcpServers, mcpJsonMethods(operations.mcpServers))
    return MemoryLayer.of({
      ...operations,
      ...sessionMethods(ctx.session),
      forWorkspace: (workspaceId) => make({ ...options, workspaceId }),
      actingFor: (grantId, subject) => make(actingForOptions(options, grantId, subject))
    })
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
