/**
 * The `MemoryLayer` Effect service: every documented `MemoryLayerClient`
 * method as an Effect with typed errors, retries and a span.
 *
 * @module
 */
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type { OperationId } from "../generated/operations.gen.ts"
import type { ValidationError } from "./errors.ts"
import { toFields } from "./fields.ts"
import { invalidInput, type OperationError, type OperationOutput, runOperation, type RunnerContext } from "./operation.ts"
import { type CallOptions, type MemoryLayerOptions, resolveOptions } from "./options.ts"
import { defaultRetryPolicy, retrySchedule } from "./retry.ts"
import { makeHttpClient } from "./transport.ts"
import type * as T from "./types.ts"

/** An Effect of operation `Id` that succeeds with `A`. */
export type Op<Id extends OperationId, A> = Effect.Effect<A, OperationError<Id>>

/**
 * The MemoryLayer API as Effects. Method names, positional parameters and
 * documented defaults match the Python `MemoryLayerClient`; keyword
 * parameters are one options object with camelCase keys. Returned objects
 * keep the API's snake_case fields.
 */
export interface MemoryLayerService {
  /** Stores a new memory. `importance` defaults to 0.5; `type` is classified by the server when omitted. */
  readonly remember: (content: string, options?: T.RememberOptions) => Op<"remember", T.Memory>
  /** Searches memories by meaning. `limit` defaults to 10. */
  readonly recall: (query: string, options?: T.RecallOptions) => Op<"recall", T.RecallResult>
  /** Synthesizes insights across memories (needs an LLM on the server). `maxTokens` 500, `includeSources` true. */
  readonly reflect: (query: string, options?: T.ReflectOptions) => Op<"reflect", T.ReflectResult>
  /** Gets one memory by id. */
  readonly getMemory: (memoryId: string, options?: CallOptions) => Op<"getMemory", T.Memory>
  /** Changes a memory's content, importance, tags or metadata (metadata is replaced whole). */
  readonly updateMemory: (memoryId: string, options?: T.UpdateMemoryOptions) => Op<"updateMemory", T.Memory>
  /** Archives a memory, or deletes it for good with `hard: true`. Succeeds with `true`. */
  readonly forget: (memoryId: string, options?: T.ForgetOptions) => Op<"forget", boolean>
  /** Lowers a memory's importance by `decayRate` (default 0.1). */
  readonly decay: (memoryId: string, options?: T.DecayOptions) => Op<"decay", T.Memory>
  /** The association chain around a memory: the graph paths that lead from it. */
  readonly traceMemory: (memoryId: string, options?: T.TraceMemoryOptions) => Op<"traceMemory", T.GraphQueryResult>
  /** Creates, updates and deletes memories in one request; each operation reports its own outcome. */
  readonly batchMemories: (operations: ReadonlyArray<T.BatchOperation>, options?: CallOptions) => Op<"batchMemories", T.BatchOperationResponse>
  /** Links `sourceId` to `targetId` with a typed relationship. `strength` defaults to 0.5. */
  readonly associate: (
    sourceId: string,
    targetId: string,
    relationship: T.Relationship,
    options?: T.AssociateOptions
  ) => Op<"associate", T.Association>
  /** The associations of a memory, in `direction` `"both"` (default), `"outgoing"` or `"incoming"`. */
  readonly getAssociations: (memoryId: string, options?: T.GetAssociationsOptions) => Op<"getAssociations", ReadonlyArray<T.Association>>
  /** Starts a session (`ttlSeconds` 3600) and, unless `autoSetSession: false`, makes it the active one. */
  readonly createSession: (options?: T.CreateSessionOptions) => Op<"createSession", T.Session>
  /** Gets a session. */
  readonly getSession: (sessionId: string, options?: CallOptions) => Op<"getSession", T.Session>
  /** Makes `sessionId` the active session, sent as `X-T.Session-ID` from now on. */
  readonly setSession: (sessionId: string) => Effect.Effect<void, ValidationError>
  /** The active session id, if any. */
  readonly getSessionId: () => Effect.Effect<string | undefined>
  /** Forgets the active session; later calls send no `X-T.Session-ID`. */
  readonly clearSession: () => Effect.Effect<void>
  /** Sets one key of a session's working memory. */
  readonly setContext: (sessionId: string, key: string, value: T.Json, options?: T.SetContextOptions) => Op<"setContext", void>
  /** Reads working-memory keys of a session: the requested `keys` that exist, or every key when none are given. */
  readonly getContext: (sessionId: string, keys?: ReadonlyArray<string>, options?: CallOptions) => Op<"getContext", T.WorkingMemory>
  /** Extracts long-term memories from a session's working memory. */
  readonly commitSession: (sessionId: string, options?: T.CommitSessionOptions) => Op<"commitSession", T.CommitResponse>
  /** Extends a session's time to live (by `extendSeconds`, else the server's default). */
  readonly touchSession: (sessionId: string, options?: T.TouchSessionOptions) => Op<"touchSession", T.TouchSessionResponse>
  /** Ends a session. Succeeds with `true`; clears it if it was the active session. */
  readonly deleteSession: (sessionId: string, options?: CallOptions) => Op<"deleteSession", boolean>
  /** Creates a workspace named `name`. */
  readonly createWorkspace: (name: string, options?: T.CreateWorkspaceOptions) => Op<"createWorkspace", T.Workspace>
  /** Gets a workspace. */
  readonly getWorkspace: (workspaceId: string, options?: CallOptions) => Op<"getWorkspace", T.Workspace>
  /** Changes a workspace's name, settings (replaced whole) or tags. */
  readonly updateWorkspace: (workspaceId: string, options?: T.UpdateWorkspaceOptions) => Op<"updateWorkspace", T.Workspace>
  /** The relationship types and memory subtypes a workspace accepts. */
  readonly getWorkspaceSchema: (workspaceId: string, options?: CallOptions) => Op<"getWorkspaceSchema", T.WorkspaceSchema>
  /** Recent activity of the workspace over the last `lookbackHours` (default 24). */
  readonly getBriefing: (options?: T.GetBriefingOptions) => Op<"getBriefing", T.SessionBriefing>
  /** Runs Python code in the active session's sandbox. Sandbox errors come back in `error`. */
  readonly contextExec: (code: string, options?: T.ContextExecOptions) => Op<"contextExec", T.ContextExecuteResponse>
  /** Describes one sandbox variable, or all of them. */
  readonly contextInspect: (options?: T.ContextInspectOptions) => Op<"contextInspect", T.ContextInspectResponse>
  /** Recalls memories matching `query` into the sandbox variable `variable`. */
  readonly contextLoad: (variable: string, query: string, options?: T.ContextLoadOptions) => Op<"contextLoad", T.ContextLoadResponse>
  /** Sets a sandbox variable (`parseJson: true` parses a JSON string first). */
  readonly contextInject: (key: string, value: T.Json, options?: T.ContextInjectOptions) => Op<"contextInject", T.ContextInjectResponse>
  /** Asks the server's LLM about sandbox variables. */
  readonly contextQuery: (prompt: string, variables: ReadonlyArray<string>, options?: T.ContextQueryOptions) => Op<"contextQuery", T.ContextQueryResponse>
  /** Runs a recursive language-model loop toward `goal`. */
  readonly contextRlm: (goal: string, options?: T.ContextRlmOptions) => Op<"contextRlm", T.ContextRLMResponse>
  /** The state of the active session's sandbox. */
  readonly contextStatus: (options?: CallOptions) => Op<"contextStatus", T.ContextStatusResponse>
  /** Persists the sandbox state. */
  readonly contextCheckpoint: (options?: CallOptions) => Op<"contextCheckpoint", void>
  /** Drops the active session's sandbox. */
  readonly contextCleanup: (options?: CallOptions) => Op<"contextCleanup", void>
}

/** Option names of each method, in camelCase (`toFields` maps them to the API's names). */
const FIELDS = {
  remember: ["type", "subtype", "importance", "tags", "metadata", "contextId", "userId", "observerId", "subjectId", "pinned", "associations", "workspaceId", "scope"],
  recall: ["types", "subtypes", "tags", "mode", "limit", "minRelevance", "recencyWeight", "tolerance", "includeAssociations", "traverseDepth", "maxExpansion", "offset", "includeEmbeddings", "contextId", "workspaceId"],
  reflect: ["maxTokens", "includeSources", "detailLevel", "depth", "types", "subtypes", "tags", "contextId", "workspaceId"],
  updateMemory: ["content", "importance", "tags", "metadata", "type", "subtype", "pinned"],
  forget: ["hard"],
  decay: ["decayRate"],
  traceMemory: ["maxDepth", "relationshipTypes", "direction", "minStrength", "workspaceId"],
  associate: ["strength", "metadata", "workspaceId"],
  getAssociations: ["direction"],
  createSession: ["ttlSeconds", "workspaceId", "contextId", "sessionId", "metadata", "workingMemory"],
  setContext: ["ttlSeconds"],
  commitSession: ["minImportance", "deduplicate", "categories", "maxMemories"],
  touchSession: ["extendSeconds"],
  createWorkspace: ["id", "settings", "tags"],
  updateWorkspace: ["name", "settings", "tags"],
  getBriefing: ["lookbackMinutes", "detailLevel", "limit", "includeMemories", "includeContradictions", "workspaceId"],
  contextExec: ["resultVar", "returnResult", "maxReturnChars"],
  contextInspect: ["variable", "previewChars"],
  contextLoad: ["limit", "types", "tags", "minRelevance", "includeEmbeddings"],
  contextInject: ["parseJson"],
  contextQuery: ["maxContextChars", "resultVar"],
  contextRlm: ["memoryQuery", "memoryLimit", "maxIterations", "variables", "resultVar", "detailLevel"]
} as const

/**
 * Documented defaults the SDK sends itself: the server has no `max_tokens`, `decay` needs a body, and the
 * briefing window's server default (60 minutes) differs from the documented 24 hours.
 */
const REFLECT_DEFAULTS = { max_tokens: 500 }
const DECAY_DEFAULTS = { decay_rate: 0.1 }
const BRIEFING_DEFAULT_HOURS = 24

/** Hours as the server's whole minutes; a value that is not a number is left for validation to name. */
const lookbackMinutes = (hours: unknown): unknown => (typeof hours === "number" ? Math.round(hours * 60) : hours)

/** The entries of `all` whose key is in `keys`. */
const pick = (all: T.WorkingMemory, keys: ReadonlyArray<string>): T.WorkingMemory =>
  Object.fromEntries(keys.filter((key) => Object.hasOwn(all, key)).map((key) => [key, all[key] as T.Json]))

/** The service built from resolved options. */
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

    /** Runs `id` with the API input `build` makes from the options' fields. */
    const call = <Id extends OperationId>(
      id: Id,
      opts: object | undefined,
      allowed: ReadonlyArray<string>,
      build: (fields: Record<string, unknown>) => unknown,
      renames?: Readonly<Record<string, string>>
    ): Effect.Effect<OperationOutput<Id>, OperationError<Id>> =>
      Effect.suspend(() => {
        const { issues, values } = toFields(opts, allowed, renames)
        return issues.length > 0 ? Effect.fail(invalidInput(id, issues)) : runOperation(ctx, id, build(values), opts as CallOptions)
      })

    const setSession = (sessionId: string) =>
      typeof sessionId === "string" && sessionId !== ""
        ? Ref.set(ctx.session, sessionId)
        : Effect.fail(invalidInput("setSession", [{ path: ["sessionId"], message: "must be a non-empty string" }]))

    return MemoryLayer.of({
      remember: (content, opts) =>
        call("remember", opts, FIELDS.remember, (body) => ({ body: { content, ...body } }), { spaceId: "context_id" }).pipe(
          Effect.map((r) => r.memory)
        ),
      recall: (query, opts) => call("recall", opts, FIELDS.recall, (body) => ({ body: { query, ...body } })),
      reflect: (query, opts) => call("reflect", opts, FIELDS.reflect, (body) => ({ body: { query, ...REFLECT_DEFAULTS, ...body } })),
      getMemory: (memoryId, opts) =>
        call("getMemory", opts, [], () => ({ path: { memory_id: memoryId } })).pipe(Effect.map((r) => r.memory)),
      updateMemory: (memoryId, opts) =>
        call("updateMemory", opts, FIELDS.updateMemory, (body) => ({ path: { memory_id: memoryId }, body })).pipe(
          Effect.map((r) => r.memory)
        ),
      forget: (memoryId, opts) =>
        call("forget", opts, FIELDS.forget, (query) => ({ path: { memory_id: memoryId }, query })).pipe(Effect.as(true)),
      decay: (memoryId, opts) =>
        call("decay", opts, FIELDS.decay, (body) => ({ path: { memory_id: memoryId }, body: { ...DECAY_DEFAULTS, ...body } })).pipe(
          Effect.map((r) => r.memory)
        ),
      traceMemory: (memoryId, opts) =>
        call("traceMemory", opts, FIELDS.traceMemory, (body) => ({ path: { memory_id: memoryId }, body })),
      batchMemories: (operations, opts) => call("batchMemories", opts, [], () => ({ body: { operations } })),
      associate: (sourceId, targetId, relationship, opts) =>
        call("associate", opts, FIELDS.associate, (body) => ({
          path: { memory_id: sourceId },
          body: { target_id: targetId, relationship, ...body }
        })).pipe(Effect.map((r) => r.association)),
      getAssociations: (memoryId, opts) =>
        call("getAssociations", opts, FIELDS.getAssociations, (query) => ({ path: { memory_id: memoryId }, query })).pipe(
          Effect.map((r) => r.associations)
        ),
      createSession: (opts) =>
        opts?.autoSetSession !== undefined && typeof opts.autoSetSession !== "boolean"
          ? Effect.fail(invalidInput("createSession", [{ path: ["options", "autoSetSession"], message: "must be a boolean" }]))
          : call("createSession", opts, [...FIELDS.createSession, "autoSetSession"], ({ auto_set_session: _auto, ...body }) => ({ body })).pipe(
            Effect.tap((r) => (opts?.autoSetSession === false ? Effect.void : Ref.set(ctx.session, r.session.id))),
            Effect.map((r) => r.session)
          ),
      getSession: (sessionId, opts) =>
        call("getSession", opts, [], () => ({ path: { session_id: sessionId } })).pipe(Effect.map((r) => r.session)),
      setSession,
      getSessionId: () => Ref.get(ctx.session),
      clearSession: () => Ref.set(ctx.session, undefined),
      setContext: (sessionId, key, value, opts) =>
        call("setContext", opts, FIELDS.setContext, (body) => ({ path: { session_id: sessionId }, body: { key, value, ...body } })).pipe(
          Effect.asVoid
        ),
      getContext: (sessionId, keys, opts) =>
        keys !== undefined && !(Array.isArray(keys) && keys.every((k) => typeof k === "string"))
          ? Effect.fail(invalidInput("getContext", [{ path: ["keys"], message: "must be an array of strings" }]))
          : call("getContext", opts, [], () => ({ path: { session_id: sessionId } })).pipe(
            Effect.map((all) => (keys === undefined || keys.length === 0 ? all : pick(all, keys)))
          ),
      commitSession: (sessionId, opts) =>
        call("commitSession", opts, FIELDS.commitSession, (body) => ({ path: { session_id: sessionId }, body })),
      touchSession: (sessionId, opts) =>
        call("touchSession", opts, FIELDS.touchSession, (query) => ({ path: { session_id: sessionId }, query })),
      deleteSession: (sessionId, opts) =>
        call("deleteSession", opts, [], () => ({ path: { session_id: sessionId } })).pipe(
          Effect.tap(() => Ref.update(ctx.session, (active) => (active === sessionId ? undefined : active))),
          Effect.as(true)
        ),
      createWorkspace: (name, opts) =>
        call("createWorkspace", opts, FIELDS.createWorkspace, (body) => ({ body: { name, ...body } })).pipe(
          Effect.map((r) => r.workspace)
        ),
      getWorkspace: (workspaceId, opts) =>
        call("getWorkspace", opts, [], () => ({ path: { workspace_id: workspaceId } })).pipe(Effect.map((r) => r.workspace)),
      updateWorkspace: (workspaceId, opts) =>
        call("updateWorkspace", opts, FIELDS.updateWorkspace, (body) => ({ path: { workspace_id: workspaceId }, body })).pipe(
          Effect.map((r) => r.workspace)
        ),
      getWorkspaceSchema: (workspaceId, opts) =>
        call("getWorkspaceSchema", opts, [], () => ({ path: { workspace_id: workspaceId } })),
      getBriefing: (opts) =>
        opts?.lookbackHours !== undefined && opts.lookbackMinutes !== undefined
          ? Effect.fail(invalidInput("getBriefing", [{ path: ["options", "lookbackHours"], message: "give lookbackHours or lookbackMinutes, not both" }]))
          : call("getBriefing", opts, [...FIELDS.getBriefing, "lookbackHours"], ({ lookback_hours: hours, ...query }) => ({
            query: { lookback_minutes: lookbackMinutes(hours ?? BRIEFING_DEFAULT_HOURS), ...query }
          })).pipe(Effect.map((r) => r.briefing)),
      contextExec: (code, opts) => call("contextExec", opts, FIELDS.contextExec, (body) => ({ body: { code, ...body } })),
      contextInspect: (opts) => call("contextInspect", opts, FIELDS.contextInspect, (query) => ({ query })),
      contextLoad: (variable, query, opts) =>
        call("contextLoad", opts, FIELDS.contextLoad, (body) => ({ body: { var: variable, query, ...body } })),
      contextInject: (key, value, opts) =>
        call("contextInject", opts, FIELDS.contextInject, (body) => ({ body: { key, value, ...body } })),
      contextQuery: (prompt, variables, opts) =>
        call("contextQuery", opts, FIELDS.contextQuery, (body) => ({ body: { prompt, variables, ...body } })),
      contextRlm: (goal, opts) => call("contextRlm", opts, FIELDS.contextRlm, (body) => ({ body: { goal, ...body } })),
      contextStatus: (opts) => call("contextStatus", opts, [], () => ({})),
      contextCheckpoint: (opts) => call("contextCheckpoint", opts, [], () => ({})),
      contextCleanup: (opts) => call("contextCleanup", opts, [], () => ({}))
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
      Effect.gen(function*() {
        const baseUrl = yield* Config.option(Config.String("MEMORYLAYER_URL"))
        const apiKey = yield* Config.option(Config.Redacted("MEMORYLAYER_API_KEY"))
        const workspaceId = yield* Config.option(Config.String("MEMORYLAYER_WORKSPACE_ID"))
        return yield* make({
          ...overrides,
          baseUrl: Option.getOrUndefined(baseUrl),
          apiKey: Option.getOrUndefined(apiKey),
          workspaceId: Option.getOrUndefined(workspaceId)
        })
      })
    )
  }
}
