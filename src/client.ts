/**
 * `MemoryLayerClient`: the Promise face of the `MemoryLayer` service. It owns
 * no logic: each method runs the service's Effect and resolves with its value
 * or rejects with the very error instance the service failed with.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { MemoryLayerError } from "./errors.ts"
import { MemoryLayer, type MemoryLayerService } from "./MemoryLayer.ts"
import { type CallOptions, DEFAULT_BASE_URL, type MemoryLayerOptions } from "./options.ts"
import type * as T from "./types.ts"

/**
 * The MemoryLayer client, method for method the documented Python
 * `MemoryLayerClient`, returning Promises.
 *
 * @example
 * ```ts
 * import { MemoryLayerClient, MemoryType, NotFoundError } from "memorylayer-client"
 *
 * await using client = new MemoryLayerClient({ baseUrl: "http://localhost:61001", apiKey: process.env.MEMORYLAYER_API_KEY })
 * const memory = await client.remember("User prefers concise answers", { type: MemoryType.SEMANTIC, importance: 0.8 })
 * const { memories } = await client.recall("how should I answer?", { limit: 5 })
 * try {
 *   await client.getMemory("mem_missing")
 * } catch (error) {
 *   if (error instanceof NotFoundError) console.log(error.statusCode) // 404
 * }
 * ```
 */
export class MemoryLayerClient implements AsyncDisposable {
  readonly #runtime: ManagedRuntime.ManagedRuntime<MemoryLayer, never>
  readonly #service: MemoryLayerService
  readonly #label: string
  #closed = false

  /**
   * @param options - `baseUrl` (default `"http://localhost:61001"`), `apiKey`, `workspaceId`,
   *   `sessionId`, `timeout` (ms, default 30000), `maxRetries` (default 2), `fetch`.
   * @throws ValidationError naming every bad option.
   */
  constructor(options: MemoryLayerOptions = {}) {
    const runtime = ManagedRuntime.make(MemoryLayer.layer(options))
    this.#service = runtime.runSync(Effect.service(MemoryLayer))
    this.#runtime = runtime as unknown as ManagedRuntime.ManagedRuntime<MemoryLayer, never>
    this.#label = `MemoryLayerClient { baseUrl: ${JSON.stringify(options.baseUrl ?? DEFAULT_BASE_URL)}${
      options.workspaceId === undefined ? "" : `, workspaceId: ${JSON.stringify(options.workspaceId)}`
    }${options.apiKey === undefined ? "" : ", apiKey: <redacted>"} }`
  }

  #run<A, E>(effect: (service: MemoryLayerService) => Effect.Effect<A, E>, signal?: AbortSignal): Promise<A> {
    if (this.#closed) {
      return Promise.reject(new MemoryLayerError({ message: "this MemoryLayerClient is closed", statusCode: undefined }))
    }
    return this.#runtime.runPromise(effect(this.#service), signal === undefined ? undefined : { signal }).catch((error: unknown) => {
      throw signal?.aborted === true ? signal.reason : error
    })
  }

  /** Stores a new memory. */
  remember(content: string, options?: T.RememberOptions): Promise<T.Memory> {
    return this.#run((ml) => ml.remember(content, options), options?.signal)
  }
  /** Searches memories by meaning. */
  recall(query: string, options?: T.RecallOptions): Promise<T.RecallResult> {
    return this.#run((ml) => ml.recall(query, options), options?.signal)
  }
  /** Synthesizes insights across memories (needs an LLM on the server). */
  reflect(query: string, options?: T.ReflectOptions): Promise<T.ReflectResult> {
    return this.#run((ml) => ml.reflect(query, options), options?.signal)
  }
  /** Gets one memory by id. */
  getMemory(memoryId: string, options?: CallOptions): Promise<T.Memory> {
    return this.#run((ml) => ml.getMemory(memoryId, options), options?.signal)
  }
  /** Changes a memory's content, importance, tags or metadata. */
  updateMemory(memoryId: string, options?: T.UpdateMemoryOptions): Promise<T.Memory> {
    return this.#run((ml) => ml.updateMemory(memoryId, options), options?.signal)
  }
  /** Archives a memory, or deletes it for good with `hard: true`. Resolves `true`. */
  forget(memoryId: string, options?: T.ForgetOptions): Promise<boolean> {
    return this.#run((ml) => ml.forget(memoryId, options), options?.signal)
  }
  /** Lowers a memory's importance by `decayRate` (default 0.1). */
  decay(memoryId: string, options?: T.DecayOptions): Promise<T.Memory> {
    return this.#run((ml) => ml.decay(memoryId, options), options?.signal)
  }
  /** The association chain around a memory. */
  traceMemory(memoryId: string, options?: T.TraceMemoryOptions): Promise<T.GraphQueryResult> {
    return this.#run((ml) => ml.traceMemory(memoryId, options), options?.signal)
  }
  /** Creates, updates and deletes memories in one request. */
  batchMemories(operations: ReadonlyArray<T.BatchOperation>, options?: CallOptions): Promise<T.BatchOperationResponse> {
    return this.#run((ml) => ml.batchMemories(operations, options), options?.signal)
  }
  /** Links two memories with a typed relationship. */
  associate(sourceId: string, targetId: string, relationship: T.Relationship, options?: T.AssociateOptions): Promise<T.Association> {
    return this.#run((ml) => ml.associate(sourceId, targetId, relationship, options), options?.signal)
  }
  /** The associations of a memory. */
  getAssociations(memoryId: string, options?: T.GetAssociationsOptions): Promise<ReadonlyArray<T.Association>> {
    return this.#run((ml) => ml.getAssociations(memoryId, options), options?.signal)
  }
  /** Starts a session and, unless `autoSetSession: false`, makes it the active one. */
  createSession(options?: T.CreateSessionOptions): Promise<T.Session> {
    return this.#run((ml) => ml.createSession(options), options?.signal)
  }
  /** Gets a session. */
  getSession(sessionId: string, options?: CallOptions): Promise<T.Session> {
    return this.#run((ml) => ml.getSession(sessionId, options), options?.signal)
  }
  /** Makes `sessionId` the active session. */
  setSession(sessionId: string): Promise<void> {
    return this.#run((ml) => ml.setSession(sessionId))
  }
  /** The active session id, if any. */
  getSessionId(): Promise<string | undefined> {
    return this.#run((ml) => ml.getSessionId())
  }
  /** Forgets the active session. */
  clearSession(): Promise<void> {
    return this.#run((ml) => ml.clearSession())
  }
  /** Sets one key of a session's working memory. */
  setContext(sessionId: string, key: string, value: T.Json, options?: T.SetContextOptions): Promise<void> {
    return this.#run((ml) => ml.setContext(sessionId, key, value, options), options?.signal)
  }
  /** Reads working-memory keys of a session (every key when `keys` is omitted or empty). */
  getContext(sessionId: string, keys?: ReadonlyArray<string>, options?: CallOptions): Promise<T.WorkingMemory> {
    return this.#run((ml) => ml.getContext(sessionId, keys, options), options?.signal)
  }
  /** Extracts long-term memories from a session's working memory. */
  commitSession(sessionId: string, options?: T.CommitSessionOptions): Promise<T.CommitResponse> {
    return this.#run((ml) => ml.commitSession(sessionId, options), options?.signal)
  }
  /** Extends a session's time to live. */
  touchSession(sessionId: string, options?: T.TouchSessionOptions): Promise<T.TouchSessionResponse> {
    return this.#run((ml) => ml.touchSession(sessionId, options), options?.signal)
  }
  /** Ends a session. Resolves `true`. */
  deleteSession(sessionId: string, options?: CallOptions): Promise<boolean> {
    return this.#run((ml) => ml.deleteSession(sessionId, options), options?.signal)
  }
  /** Creates a workspace. */
  createWorkspace(name: string, options?: T.CreateWorkspaceOptions): Promise<T.Workspace> {
    return this.#run((ml) => ml.createWorkspace(name, options), options?.signal)
  }
  /** Gets a workspace. */
  getWorkspace(workspaceId: string, options?: CallOptions): Promise<T.Workspace> {
    return this.#run((ml) => ml.getWorkspace(workspaceId, options), options?.signal)
  }
  /** Changes a workspace's name, settings or tags. */
  updateWorkspace(workspaceId: string, options?: T.UpdateWorkspaceOptions): Promise<T.Workspace> {
    return this.#run((ml) => ml.updateWorkspace(workspaceId, options), options?.signal)
  }
  /** The relationship types and memory subtypes a workspace accepts. */
  getWorkspaceSchema(workspaceId: string, options?: CallOptions): Promise<T.WorkspaceSchema> {
    return this.#run((ml) => ml.getWorkspaceSchema(workspaceId, options), options?.signal)
  }
  /** Recent activity of the workspace over the last `lookbackHours` (default 24). */
  getBriefing(options?: T.GetBriefingOptions): Promise<T.SessionBriefing> {
    return this.#run((ml) => ml.getBriefing(options), options?.signal)
  }
  /** Runs Python code in the active session's sandbox. */
  contextExec(code: string, options?: T.ContextExecOptions): Promise<T.ContextExecuteResponse> {
    return this.#run((ml) => ml.contextExec(code, options), options?.signal)
  }
  /** Describes one sandbox variable, or all of them. */
  contextInspect(options?: T.ContextInspectOptions): Promise<T.ContextInspectResponse> {
    return this.#run((ml) => ml.contextInspect(options), options?.signal)
  }
  /** Recalls memories into a sandbox variable. */
  contextLoad(variable: string, query: string, options?: T.ContextLoadOptions): Promise<T.ContextLoadResponse> {
    return this.#run((ml) => ml.contextLoad(variable, query, options), options?.signal)
  }
  /** Sets a sandbox variable. */
  contextInject(key: string, value: T.Json, options?: T.ContextInjectOptions): Promise<T.ContextInjectResponse> {
    return this.#run((ml) => ml.contextInject(key, value, options), options?.signal)
  }
  /** Asks the server's LLM about sandbox variables. */
  contextQuery(prompt: string, variables: ReadonlyArray<string>, options?: T.ContextQueryOptions): Promise<T.ContextQueryResponse> {
    return this.#run((ml) => ml.contextQuery(prompt, variables, options), options?.signal)
  }
  /** Runs a recursive language-model loop toward `goal`. */
  contextRlm(goal: string, options?: T.ContextRlmOptions): Promise<T.ContextRLMResponse> {
    return this.#run((ml) => ml.contextRlm(goal, options), options?.signal)
  }
  /** The state of the active session's sandbox. */
  contextStatus(options?: CallOptions): Promise<T.ContextStatusResponse> {
    return this.#run((ml) => ml.contextStatus(options), options?.signal)
  }
  /** Persists the sandbox state. */
  contextCheckpoint(options?: CallOptions): Promise<void> {
    return this.#run((ml) => ml.contextCheckpoint(options), options?.signal)
  }
  /** Drops the active session's sandbox. */
  contextCleanup(options?: CallOptions): Promise<void> {
    return this.#run((ml) => ml.contextCleanup(options), options?.signal)
  }

  /** Releases the client's resources; later calls reject. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#runtime.dispose()
  }

  /** `await using client = new MemoryLayerClient()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  /** What `console.log(client)` and `util.inspect(client)` show: never the key. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.#label
  }

  /** Same as inspection. */
  toString(): string {
    return this.#label
  }
}
