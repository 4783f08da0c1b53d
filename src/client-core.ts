/**
 * What the generated `MemoryLayerClient` stands on: a runtime holding the
 * `MemoryLayer` service, and one way to run any of its methods as a Promise
 * that resolves with its value or rejects with the very error instance the
 * service failed with. The facade owns no logic of its own.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import type { MethodKey } from "../generated/operations.gen.ts"
import { optionsOf } from "./bind.ts"
import { MemoryLayerError } from "./errors.ts"
import { type ActingSubject, actingForOptions, bindMethods, invokerOf, MemoryLayer, type MemoryLayerService } from "./MemoryLayer.ts"
import { withEnvironment } from "./env.ts"
import { DEFAULT_BASE_URL, type MemoryLayerOptions, readOptions } from "./options.ts"
import { PagePromise, pageWalk } from "./pagination.ts"
import { RecordStream } from "./records.ts"
import { loadGroupOf, type MethodRow, methodRow } from "./rows.ts"

type AnyMethod = (...args: ReadonlyArray<unknown>) => unknown

/** The signal of an options object, if it has one. */
const signalOf = (options: () => unknown): AbortSignal | undefined => {
  try {
    const given = options()
    const signal = typeof given === "object" && given !== null ? (given as { readonly signal?: unknown }).signal : undefined
    return signal instanceof AbortSignal ? signal : undefined
  } catch {
    // Options that throw when read: the call reads them again and fails with a ValidationError.
    return undefined
  }
}

const describe = (options: MemoryLayerOptions): string =>
  `MemoryLayerClient { baseUrl: ${JSON.stringify(options.baseUrl ?? DEFAULT_BASE_URL)}${
    options.workspaceId === undefined ? "" : `, workspaceId: ${JSON.stringify(options.workspaceId)}`
  }${options.apiKey === undefined ? "" : ", apiKey: <redacted>"} }`

/** The options the service of a Promise client is built with: its lines go to `console` unless a `logger` is given. */
const promiseOptions = (options: MemoryLayerOptions): MemoryLayerOptions =>
  typeof options === "object" && options !== null && !Array.isArray(options) && options.logger === undefined ? { ...options, logger: console } : options

/**
 * The base of the generated `MemoryLayerClient`: its runtime, session methods
 * and lifecycle. `View` is the type of its `withResponse` view.
 */
export class ClientCore<View = unknown> implements AsyncDisposable {
  readonly #runtime: ManagedRuntime.ManagedRuntime<MemoryLayer, never>
  readonly #service: MemoryLayerService
  readonly #label: string
  readonly #options: MemoryLayerOptions
  #view: View | undefined
  #closed = false

  /**
   * @param options - `baseUrl` (default `"http://localhost:61001"`), `apiKey`, `workspaceId`,
   *   `sessionId`, `timeout` (ms, default 30000), `maxRetries` (default 2), `fetch`,
   *   `logLevel` (default `"off"`), `logger` (default `console`), ...
   * @throws ValidationError naming every bad option.
   */
  constructor(options: MemoryLayerOptions = {}) {
    const runtime = ManagedRuntime.make(MemoryLayer.layer(readOptions(() => promiseOptions(options))))
    this.#service = runtime.runSync(Effect.service(MemoryLayer))
    this.#runtime = runtime as unknown as ManagedRuntime.ManagedRuntime<MemoryLayer, never>
    this.#label = readOptions(() => describe(withEnvironment(options)))
    this.#options = options
  }

  /**
   * A client like this one acting in workspace `workspaceId` (sent as
   * `X-Workspace-ID`). It is a client of its own: close it when done.
   *
   * @example
   * ```ts
   * const team = client.forWorkspace("ws_team")
   * await team.remember("Stand-up moved to 10:00")
   * await team.close()
   * ```
   */
  forWorkspace(workspaceId: string): this {
    return new (this.constructor as new(options: MemoryLayerOptions) => this)({ ...this.#options, workspaceId })
  }

  /**
   * A client like this one acting under grant `grantId` (for `subject` when
   * given): every request carries `X-Aether-Grant-ID` and the authority
   * headers an Aether gateway checks (memorylayer-server itself only records
   * them). It is a client of its own: close it when done.
   */
  actingFor(grantId: string, subject?: ActingSubject): this {
    return new (this.constructor as new(options: MemoryLayerOptions) => this)(actingForOptions(this.#options, grantId, subject))
  }

  #run<A>(effect: Effect.Effect<A, unknown>, signal: AbortSignal | undefined): Promise<A> {
    if (this.#closed) {
      return Promise.reject(new MemoryLayerError({ message: "this MemoryLayerClient is closed", statusCode: undefined }))
    }
    if (signal === undefined) return this.#runtime.runPromise(effect)
    return this.#runtime.runPromise(effect, { signal }).catch((error: unknown) => {
      throw signal.aborted ? signal.reason : error
    })
  }

  /** The method `key` (`name`, or `namespace.name`) of the service, or of its `withResponse` view. */
  #method(key: MethodKey, view = false): AnyMethod {
    const service = (view ? this.#service.withResponse : this.#service) as unknown as Record<string, Record<string, AnyMethod> | AnyMethod>
    const dot = key.indexOf(".")
    const home = dot === -1 ? (service as Record<string, AnyMethod>) : (service[key.slice(0, dot)] as Record<string, AnyMethod>)
    return home[key.slice(dot + 1)] as AnyMethod
  }

  /** Method `key`'s row, loading its namespace first when needed. */
  async #row(key: MethodKey): Promise<MethodRow> {
    const row = methodRow(key)
    if (row !== undefined) return row
    await loadGroupOf(key)
    return methodRow(key) as MethodRow
  }

  /** Runs method `key` of the service (or of its `withResponse` view) with the method's arguments `args`. */
  protected call<A>(key: MethodKey, args: ReadonlyArray<unknown>, view = false): Promise<A> {
    const row = methodRow(key)
    // The options object (and its signal) is found by the method's row, loaded with its namespace.
    if (row === undefined) return this.#row(key).then(() => this.call<A>(key, args, view))
    const signal = signalOf(() => optionsOf(row, args))
    // Most calls end with their first attempt, made without a fiber; what it leaves runs as an Effect, as below.
    const fast = view || this.#closed ? undefined : invokerOf(this.#service).fast(key, args, (rest) => this.#run(rest, signal))
    return (fast as Promise<A> | undefined) ?? this.#run(this.#method(key, view)(...args) as Effect.Effect<A, unknown>, signal)
  }

  /**
   * Every method again (namespaces included), resolving with
   * `{ data, response, requestId }`: what the method resolves with, the
   * server's `Response` (its `status` and `headers`; the body is already read
   * into `data`), and the request id to quote when asking the server's
   * operators. A list gives the page asked for, an NDJSON method all its
   * records. Plain calls do none of this work.
   *
   * @example
   * ```ts
   * const { data: memory, response, requestId } = await client.withResponse.getMemory("mem_1")
   * console.log(response.status, response.headers.get("content-type"), requestId)
   * const { data: page } = await client.withResponse.listMemories({ limit: 10 })
   * ```
   */
  get withResponse(): View {
    return (this.#view ??= bindMethods((key, args) => this.call(key as MethodKey, args, true)) as View)
  }

  /** List method `key`: awaitable for the page asked for, iterable for every item of every page. */
  protected paginate<Page, Item>(key: MethodKey, args: ReadonlyArray<unknown>): PagePromise<Page, Item> {
    return new PagePromise<Page, Item>((pageArgs) => this.call<Page>(key, pageArgs), async () => pageWalk(await this.#row(key), args), args)
  }

  /**
   * The service's hand-written method `name` of namespace `namespace` (a
   * composition of generated methods, like `skills.pull`) with `args`, as a
   * Promise; the last argument's `signal` cancels it.
   */
  protected compose<A>(namespace: string, name: string, args: ReadonlyArray<unknown>): Promise<A> {
    const home = (this.#service as unknown as Record<string, Record<string, AnyMethod>>)[namespace] as Record<string, AnyMethod>
    return this.#run(home[name]?.(...args) as Effect.Effect<A, unknown>, signalOf(() => args.at(-1)))
  }

  /** NDJSON method `key`: iterable for each line as it arrives, awaitable for all of them. */
  protected records<A>(key: MethodKey, args: ReadonlyArray<unknown>): RecordStream<A> {
    const open = async (): Promise<AsyncIterable<A>> => {
      const row = await this.#row(key)
      return this.#run(invokerOf(this.#service).records(key, args) as Effect.Effect<AsyncIterable<A>, unknown>, signalOf(() => optionsOf(row, args)))
    }
    return new RecordStream<A>(async function*() {
      yield* await open()
    })
  }

  /**
   * Makes `sessionId` the active session, sent as `X-Session-ID` on every later call.
   *
   * @example
   * ```ts
   * await client.setSession("sess_0123")
   * ```
   */
  setSession(sessionId: string): Promise<void> {
    return this.#run(this.#service.setSession(sessionId), undefined)
  }

  /** The active session id, if any. */
  getSessionId(): Promise<string | undefined> {
    return this.#run(this.#service.getSessionId(), undefined)
  }

  /** Forgets the active session; later calls carry no `X-Session-ID`. */
  clearSession(): Promise<void> {
    return this.#run(this.#service.clearSession(), undefined)
  }

  /** Releases the client's resources; later calls reject. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#runtime.dispose()
  }

  /** `await using client = new MemoryLayerClient()` closes it at the end of the scope (Node 24+, TypeScript 5.2+). */
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

  /** `JSON.stringify(client)` shows the same, never the key. */
  toJSON(): string {
    return this.#label
  }
}

export { NamespaceCore } from "./namespace-core.ts"
