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
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import type { OperationId } from "../generated/operations.gen.ts"
import { compositions } from "../generated/compositions.gen.ts"
import type { MemoryLayerOperations, MemoryLayerOperationsWithResponse } from "../generated/service.gen.ts"
import { makeDeadlines } from "./deadlines.ts"
import type { ValidationError, ValidationIssue } from "./errors.ts"
import { unreadable } from "./request-values.ts"
import { type Invoker, makeInvoker } from "./invoke.ts"
import { methodDirectory } from "./rows.ts"
import { withEnvironment } from "./env.ts"
import type { OperationError } from "./operation-error.ts"
import { makeLog } from "./log.ts"
import { failOptions, type MemoryLayerOptions, readOptions, resolveOptions } from "./options.ts"
import { defaultRetryPolicy, makeRetryBudget, retrySchedule } from "./retry.ts"
import { invalidInput, type RunnerContext } from "./runner.ts"
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
  /** E.g. `"user"`; sent as `X-Aether-Subject-Type`. */
  readonly type: string
  /** The subject's id; sent as `X-Aether-Subject-ID`. */
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

/** Every method again, giving its value with the HTTP answer it came from. */
export interface ResponseView {
  /**
   * The same methods, each succeeding with `{ data, response, requestId }`:
   * what the method gives, the server's `Response` (status, headers; its
   * body already read into `data`), and the request id. A list gives its
   * page; an NDJSON method all its records.
   *
   * @example
   * ```ts
   * const { data: memory, response, requestId } = yield* ml.withResponse.getMemory("mem_1")
   * console.log(response.status, response.headers.get("content-type"), requestId)
   * ```
   */
  readonly withResponse: MemoryLayerOperationsWithResponse
}

/**
 * The MemoryLayer API as Effects. Method names, positional parameters and
 * documented defaults match the Python `MemoryLayerClient`; keyword
 * parameters are one options object with camelCase keys. Returned objects
 * keep the API's snake_case fields.
 */
export interface MemoryLayerService extends MemoryLayerOperations, SessionMethods, ViewMethods, ResponseView {}

/**
 * The options of a client acting under grant `grantId`. Throws the
 * `ValidationError` of bad client options when `subject` throws as it is read.
 */
export const actingForOptions = (options: MemoryLayerOptions, grantId: string, subject?: ActingSubject): MemoryLayerOptions => {
  let acting: Readonly<Record<string, unknown>>
  try {
    acting = subject === undefined
      ? { "X-Aether-Authority-Mode": "direct" }
      : { "X-Aether-Authority-Mode": "on_behalf_of", "X-Aether-Subject-Type": subject.type, "X-Aether-Subject-ID": subject.id }
  } catch (error) {
    return failOptions([unreadable(error, ["actingFor", "subject"])])
  }
  return { ...options, defaultHeaders: { ...options.defaultHeaders, "X-Aether-Grant-ID": grantId, ...acting } as Record<string, string> }
}

/**
 * The issue of arguments that throw as they are read (a getter, a Proxy's
 * trap), found by reading every value of every plain object and array in
 * them; none when all of them can be read. Files, streams and other
 * objects of a class are left to the code that reads them.
 */
const unreadableArguments = (args: ReadonlyArray<unknown>): ReadonlyArray<ValidationIssue> => {
  const seen = new Set<object>()
  const touch = (value: unknown, depth: number): void => {
    if (typeof value !== "object" || value === null || depth > 64 || seen.has(value)) return
    seen.add(value)
    const proto: unknown = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null && !Array.isArray(value)) return
    for (const key of Reflect.ownKeys(value)) touch((value as Record<PropertyKey, unknown>)[key], depth + 1)
  }
  try {
    for (const arg of args) touch(arg, 0)
    return []
  } catch (error) {
    return [unreadable(error)]
  }
}

type AnyMethod = (...args: ReadonlyArray<unknown>) => unknown

/** The invoker behind each service, for the Promise client's record streams. */
const invokers = new WeakMap<object, Invoker>()

/** The invoker behind `service` (built by this module). */
export const invokerOf = (service: MemoryLayerService): Invoker => invokers.get(service) as Invoker

/**
 * Every method of the directory, at its name (or in its namespace) and
 * under its flat aliases, each running `run` with its key. A namespace's
 * rows load with its first call.
 */
export const bindMethods = (run: (key: string, args: ReadonlyArray<unknown>) => unknown): Record<string, unknown> => {
  const root: Record<string, unknown> = {}
  for (const [key, , aliases] of methodDirectory) {
    const dot = key.indexOf(".")
    const home = dot === -1 ? root : ((root[key.slice(0, dot)] ??= {}) as Record<string, unknown>)
    const method: AnyMethod = (...args) => run(key, args)
    home[key.slice(dot + 1)] = method
    for (const alias of aliases ?? []) root[alias] ??= method
  }
  return root
}

/** `root` with the namespaces' hand-written methods (x-sdk-compositions) added over their generated ones. */
const withCompositions = (root: Record<string, unknown>): Record<string, unknown> => {
  for (const [ns, add] of Object.entries(compositions)) {
    const home = root[ns] as Record<string, unknown>
    for (const [name, compose] of Object.entries((add as unknown as (operations: unknown) => Readonly<Record<string, AnyMethod>>)(home))) {
      // A composition reads its arguments as it goes: any that throw when read are a ValidationError before it starts.
      home[name] = (...args: ReadonlyArray<unknown>) =>
        Effect.suspend(() => {
          const issues = unreadableArguments(args)
          return issues.length > 0 ? Effect.fail(invalidInput(`${ns}.${name}`, issues)) : compose(...args) as Effect.Effect<unknown, unknown>
        })
    }
  }
  return root
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

/** Each service's `withResponse` view, bound on first use: most clients never ask for it. */
const views = new WeakMap<object, MemoryLayerOperationsWithResponse>()

/**
 * What every service inherits: its `withResponse` view. On the prototype, so
 * that every service object keeps the same shape, which V8 shares between
 * them (an accessor of its own would cost each client a few kilobytes).
 */
const responseView: ResponseView = Object.create(Object.prototype, {
  withResponse: {
    get(this: MemoryLayerService): MemoryLayerOperationsWithResponse {
      let view = views.get(this)
      if (view === undefined) {
        view = bindMethods(invokerOf(this).withResponse) as unknown as MemoryLayerOperationsWithResponse
        views.set(this, view)
      }
      return view
    }
  }
})

/** The service built from the client's options. */
const make = (options: MemoryLayerOptions): Effect.Effect<MemoryLayerService, ValidationError> =>
  Effect.gen(function*() {
    const resolved = yield* Effect.try({ try: () => readOptions(() => resolveOptions(withEnvironment(options))), catch: (error) => error as ValidationError })
    const policy = { ...defaultRetryPolicy, maxRetries: resolved.maxRetries }
    const secret = resolved.apiKey === undefined ? undefined : Redacted.value(resolved.apiKey)
    const ctx: RunnerContext = {
      http: makeHttpClient(resolved),
      policy,
      schedule: retrySchedule(policy),
      timeout: resolved.timeout,
      deadlines: makeDeadlines(resolved.timeout),
      workspaceId: resolved.workspaceId,
      session: yield* Ref.make<string | undefined>(resolved.sessionId),
      pausedUntil: yield* Ref.make(0),
      budget: yield* makeRetryBudget(policy),
      log: makeLog(resolved.logLevel, resolved.logger, resolved.logBodies, secret),
      baseUrl: resolved.baseUrl,
      fixedRequestId: resolved.fixedRequestId,
      makeRequestIds: resolved.makeRequestIds
    }
    const invoker = makeInvoker(ctx)
    const methods = {
      ...(withCompositions(bindMethods(invoker.call)) as unknown as MemoryLayerOperations),
      ...sessionMethods(ctx.session),
      forWorkspace: (workspaceId: string) => make({ ...options, workspaceId }),
      actingFor: (grantId: string, subject?: ActingSubject) =>
        Effect.flatMap(Effect.try({ try: () => actingForOptions(options, grantId, subject), catch: (error) => error as ValidationError }), make)
    }
    Object.setPrototypeOf(methods, responseView)
    const service = MemoryLayer.of(methods as MemoryLayerService)
    invokers.set(service, invoker)
    return service
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
   * A layer of the real service over an in-memory MemoryLayer (the test
   * double of `memorylayer-client/testing`): your agent's code runs against
   * it unchanged, without a server. Loaded only when used.
   *
   * @example
   * ```ts
   * const result = await Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layerTest())))
   * ```
   */
  static layerTest(options?: import("./testing/client.ts").TestClientOptions): Layer.Layer<MemoryLayer, ValidationError> {
    return Layer.unwrap(Effect.map(Effect.promise(() => import("./testing/client.ts")), (testing) => testing.layerTest(options)))
  }

  /**
   * A layer configured through Effect `Config`: `MEMORYLAYER_URL`,
   * `MEMORYLAYER_API_KEY` (read as a redacted secret),
   * `MEMORYLAYER_WORKSPACE_ID` and `MEMORYLAYER_LOG`, all optional;
   * `overrides` fill in the rest (a `logLevel` there wins over `MEMORYLAYER_LOG`).
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
