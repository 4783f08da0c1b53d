/**
 * The in-memory MemoryLayer server: a fetch handler that serves the seed's
 * 32 operations of openapi.yaml as memorylayer-server 0.2.0 does, without a
 * socket. Routes come from the generated operations table and every request
 * is checked with the contract's generated schemas, so the double answers
 * exactly the requests the contract allows; its answers are typed with the
 * contract's generated types.
 *
 * @module
 */
import type { OperationId } from "../../generated/operations.gen.ts"
import type { OperationRow } from "../rows.ts"
import { operationsMeta } from "../../generated/operations-meta.gen.ts"
import { loaders } from "../../generated/ops/index.gen.ts"
import { ValidationError, type ValidationIssue } from "../errors.ts"
import { validateInput } from "../schema-fallback.ts"
import type { Association, Json, Memory, Session, Workspace } from "../types.ts"
import { type Call, HttpFailure, type Handler, type Handlers, SEED_OPERATIONS, type SeedOperationId } from "./call.ts"
import { graphHandlers } from "./graph.ts"
import { makeIdSource } from "./ids.ts"
import { memoryHandlers } from "./memories.ts"
import { recallHandlers } from "./recall.ts"
import { sandboxHandlers } from "./sandbox.ts"
import { sessionHandlers, touch } from "./sessions.ts"
import { type RequestRecord, Store } from "./store.ts"
import { workspaceHandlers } from "./workspaces.ts"

const handlers: Handlers = { ...memoryHandlers, ...recallHandlers, ...graphHandlers, ...sessionHandlers, ...workspaceHandlers, ...sandboxHandlers }

/** How the server reads each query parameter of the seed's operations from the query string. */
export const QUERY_PARAMETER_TYPES: Readonly<Record<string, "boolean" | "integer" | "string">> = {
  include_deleted: "boolean",
  workspace_id: "string",
  hard: "boolean",
  direction: "string",
  lookback_minutes: "integer",
  detail_level: "string",
  limit: "integer",
  include_memories: "boolean",
  include_contradictions: "boolean",
  key: "string",
  extend_seconds: "integer",
  variable: "string",
  preview_chars: "integer"
}

/** The operations that also move the expiry of the session named by `X-Session-ID`, as the server does. */
const SESSION_KEEPALIVE = new Set<OperationId>(["remember", "recall", "getSession", "setContext", "getContext"])

/** The rows and request checkers of the flat operations, and their routes. */
interface Core {
  readonly rows: Readonly<Record<string, OperationRow>>
  readonly inputs: Readonly<Record<string, { readonly input: (value: unknown, user: boolean) => boolean }>>
  readonly routes: ReadonlyArray<{ readonly id: OperationId; readonly method: string; readonly pattern: RegExp; readonly params: number }>
}

const CORE_MODULES = ["core-memories", "core-associations", "core-sessions", "core-workspaces", "core-context"] as const

let core: Promise<Core> | undefined

/**
 * The flat operations' rows and checkers, loaded with the first request through the client's own loaders (so an
 * app's bundler keeps each module in the one chunk the client loads it from, not split between two).
 */
const loadCore = (): Promise<Core> =>
  (core ??= Promise.all(CORE_MODULES.map((name) => loaders[name]())).then((modules) => {
    const rows: Record<string, OperationRow> = Object.assign({}, ...modules.map((module) => module.operations))
    const inputs = Object.assign({}, ...modules.map((module) => module.ops)) as Core["inputs"]
    const routes = (Object.keys(rows) as Array<OperationId>)
      .map((id) => ({
        id,
        method: (rows[id] as OperationRow).method,
        pattern: new RegExp(`^${(rows[id] as OperationRow).path.replace(/\{([^}]+)\}/g, "(?<$1>[^/]+)")}$`),
        params: (rows[id] as OperationRow).pathParams?.length ?? 0
      }))
      // A literal segment wins over a parameter: GET /v1/sessions/briefing is not getSession("briefing").
      .sort((a, b) => a.params - b.params)
    return { rows, inputs, routes }
  }))

/** A FastAPI error answer. */
const errorResponse = (status: number, detail: unknown): Response => Response.json({ detail }, { status })

const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, t: true, yes: true, y: true, on: true, "1": true, false: false, f: false, no: false, n: false, off: false, "0": false }

/** One 422 entry in FastAPI's form. */
interface Issue {
  readonly type: string
  readonly loc: ReadonlyArray<string | number>
  readonly msg: string
  readonly input: Json | null
}

/** The query parameters of `id` present in `url`, read as the server reads them; problems are 422 issues. */
const readQuery = (id: OperationId, url: URL, issues: Array<Issue>): Record<string, unknown> => {
  const query: Record<string, unknown> = {}
  for (const name of operationsMeta[id].queryParams as ReadonlyArray<string>) {
    const raw = url.searchParams.get(name)
    if (raw === null) continue
    const kind = QUERY_PARAMETER_TYPES[name] ?? "string"
    if (kind === "boolean") {
      const value = BOOLEANS[raw.toLowerCase()]
      if (value === undefined) issues.push({ type: "bool_parsing", loc: ["query", name], msg: "Input should be a valid boolean, unable to interpret input", input: raw })
      else query[name] = value
    } else if (kind === "integer") {
      if (/^\s*[+-]?\d+\s*$/.test(raw)) query[name] = Number(raw)
      else issues.push({ type: "int_parsing", loc: ["query", name], msg: "Input should be a valid integer, unable to parse string as an integer", input: raw })
    } else {
      query[name] = raw
    }
  }
  return query
}

const valueAt = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>((node, key) => (typeof node === "object" && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined), input)

/** The schema's issues in FastAPI's 422 form. */
const toIssues = (input: unknown, issues: ReadonlyArray<ValidationIssue>): Array<Issue> =>
  issues.map((issue) => {
    const missing = issue.message === "Missing key"
    const value = valueAt(input, issue.path)
    return {
      type: missing ? "missing" : "value_error",
      loc: issue.path,
      msg: missing ? "Field required" : issue.message,
      input: missing || value === undefined ? null : (value as Json)
    }
  })

const blank = (value: unknown): boolean => typeof value === "string" && value !== "" && value.trim() === ""

/**
 * Rules of the contract that server 0.2.0 does not check in its request
 * model but answers itself, with a 400 (or a failed batch step): a request
 * that breaks only these reaches the handler, which answers as the server
 * does. Through the SDK such input never leaves the client.
 */
const SERVER_CHECKED: ReadonlyArray<{ readonly id: OperationId; readonly path: ReadonlyArray<string>; readonly when: (value: unknown) => boolean }> = [
  { id: "remember", path: ["body", "content"], when: blank },
  { id: "batchMemories", path: ["body", "operations", "*", "content"], when: blank },
  { id: "createWorkspace", path: ["body", "name"], when: blank },
  { id: "updateWorkspace", path: ["body", "name"], when: blank },
  { id: "associate", path: ["body", "relationship"], when: (value) => typeof value === "string" }
]

const checkedByServer = (id: OperationId, input: unknown, issue: ValidationIssue): boolean =>
  SERVER_CHECKED.some((rule) =>
    rule.id === id && rule.path.length === issue.path.length &&
    rule.path.every((part, i) => part === "*" || part === String(issue.path[i])) && rule.when(valueAt(input, issue.path))
  )

/** Reads and checks the request of operation `id`; returns its input or the 422 to answer. */
const readInput = async (
  { rows, inputs }: Core,
  id: OperationId,
  request: Request,
  url: URL,
  params: Record<string, string>
): Promise<{ input: unknown } | { issues: Array<Issue> }> => {
  const issues: Array<Issue> = []
  const input: Record<string, unknown> = {}
  const op = rows[id] as OperationRow
  if (op.pathParams !== undefined) input["path"] = params
  const query = readQuery(id, url, issues)
  if (Object.keys(query).length > 0) input["query"] = query
  if (op.hasBody === true) {
    const text = await request.text()
    if (text !== "") {
      try {
        input["body"] = JSON.parse(text)
      } catch {
        issues.push({ type: "json_invalid", loc: ["body"], msg: "JSON decode error", input: null })
      }
    }
  }
  if (issues.length > 0) return { issues }
  if (inputs[id]?.input(input, true) === true) return { input }
  const checked = validateInput(id, input)
  if (checked.ok) return { input: checked.value }
  const remaining = checked.issues.filter((issue) => !checkedByServer(id, input, issue))
  return remaining.length === 0 ? { input } : { issues: toIssues(input, remaining) }
}

const header = (request: Request, name: string): string | undefined => {
  const value = request.headers.get(name)
  return value === null || value === "" ? undefined : value
}

/** Answers one request from `store`. */
const serve = async (store: Store, request: Request): Promise<{ readonly response: Response; readonly operationId: OperationId | undefined }> => {
  const url = new URL(request.url)
  const at = url.pathname.indexOf("/v1/")
  const path = at === -1 ? url.pathname : url.pathname.slice(at)
  const loaded = await loadCore()
  const matching = loaded.routes.filter((route) => route.pattern.test(path))
  const route = matching.find((candidate) => candidate.method === request.method)
  if (route === undefined) {
    return { response: errorResponse(matching.length === 0 ? 404 : 405, matching.length === 0 ? "Not Found" : "Method Not Allowed"), operationId: undefined }
  }
  const id = route.id
  if (!(SEED_OPERATIONS as ReadonlyArray<string>).includes(id)) {
    return { response: errorResponse(501, `The MemoryLayer test double does not serve ${id} (${route.method} ${(loaded.rows[id] as OperationRow).path})`), operationId: id }
  }
  const params = Object.fromEntries(Object.entries(route.pattern.exec(path)?.groups ?? {}).map(([name, value]) => [name, decodeURIComponent(value)]))
  const read = await readInput(loaded, id, request, url, params)
  if ("issues" in read) return { response: errorResponse(422, read.issues), operationId: id }
  const seedId = id as SeedOperationId
  const call: Call<SeedOperationId> = {
    input: read.input as Call<SeedOperationId>["input"],
    sessionId: header(request, "x-session-id"),
    workspaceId: header(request, "x-workspace-id"),
    now: store.now(),
    headers: request.headers
  }
  try {
    const body = (handlers[seedId] as Handler<SeedOperationId>)(store, call)
    if (SESSION_KEEPALIVE.has(id)) {
      const session = store.liveSession(call.sessionId, call.now)
      if (session !== undefined) touch(session, call.now)
    }
    const status = operationsMeta[id].successStatus
    return { response: status === 204 ? new Response(null, { status }) : Response.json(body, { status }), operationId: id }
  } catch (error) {
    if (error instanceof HttpFailure) return { response: errorResponse(error.status, error.detail), operationId: id }
    const message = error instanceof Error ? error.message : String(error)
    return { response: errorResponse(500, `Internal error of the MemoryLayer test double: ${message}`), operationId: id }
  }
}

/**
 * Options of {@link createTestServer}.
 *
 * @example
 * ```ts
 * let now = new Date("2026-01-01T09:00:00Z")
 * const server = createTestServer({ seed: 7, now: () => now })
 * now = new Date("2026-01-01T10:00:00Z") // the server's clock moves when you say so
 * ```
 */
export interface TestServerOptions {
  /** Seed of the ids the server makes (`mem_...`, `sess_...`, ...): the same seed gives the same ids. Default: random. */
  readonly seed?: number | undefined
  /** The server's clock. Default: `() => new Date()`. Give your own to test expiry and time windows. */
  readonly now?: (() => Date) | undefined
}

/**
 * Which memories {@link TestServer.memories} returns.
 *
 * @example
 * ```ts
 * server.memories({ workspaceId: "team", includeDeleted: true })
 * ```
 */
export interface MemoryFilter {
  /** Only memories of this workspace. Default: every workspace. */
  readonly workspaceId?: string | undefined
  /** Also soft-deleted memories (forget without `hard`). Default: false. */
  readonly includeDeleted?: boolean | undefined
}

/**
 * An in-memory MemoryLayer server: `fetch` serves the API; the other methods
 * show what it holds (copies: changing them changes nothing) and reset it.
 *
 * @example
 * ```ts
 * const server: TestServer = createTestServer()
 * const client = new MemoryLayerClient({ fetch: server.fetch })
 * await client.createSession()
 * server.requests().map((r) => `${r.operationId} ${r.status}`) // ["createSession 201"]
 * ```
 */
export interface TestServer {
  /**
   * Serves one request, as `fetch` would: any fetch-compatible caller can use
   * it, `MemoryLayerClient({ fetch })` included. Only the path after `/v1/`
   * matters, so any `baseUrl` works.
   */
  readonly fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>
  /** The stored memories, oldest first. */
  readonly memories: (filter?: MemoryFilter) => Array<Memory>
  /** The associations, oldest first. */
  readonly associations: () => Array<Association>
  /** The sessions that have not expired, oldest first. */
  readonly sessions: () => Array<Session>
  /** The working memory of a session (key to value), or `undefined` when there is no such session. */
  readonly workingMemory: (sessionId: string) => Record<string, Json> | undefined
  /** The workspaces, `_default` first. */
  readonly workspaces: () => Array<Workspace>
  /** Every request answered since the server was made or reset, in order. */
  readonly requests: () => Array<RequestRecord>
  /** Forgets everything: back to a new server's state (only the `_default` workspace). Ids continue from the seed's sequence. */
  readonly reset: () => void
}

const OPTION_NAMES = ["seed", "now"]

const checkOptions = (options: TestServerOptions): void => {
  const issues: Array<ValidationIssue> = []
  if (typeof options !== "object" || options === null) {
    issues.push({ path: ["options"], message: "must be an object" })
  } else {
    for (const key of Object.keys(options)) if (!OPTION_NAMES.includes(key)) issues.push({ path: [key], message: `is not an option (known: ${OPTION_NAMES.join(", ")})` })
    if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) issues.push({ path: ["seed"], message: "must be a whole number" })
    if (options.now !== undefined && typeof options.now !== "function") issues.push({ path: ["now"], message: "must be a function returning a Date" })
  }
  if (issues.length > 0) {
    throw new ValidationError({
      message: `Invalid test server options: ${issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`,
      statusCode: undefined,
      issues
    })
  }
}

/**
 * Creates an in-memory MemoryLayer server. Pass its `fetch` to a client, or
 * use `createTestClient()` / `layerTest()`, which do that for you.
 *
 * @param options - `seed` for the same ids on every run, `now` for your own clock.
 * @throws ValidationError naming a bad or unknown option.
 *
 * @example
 * ```ts
 * import { MemoryLayerClient } from "memorylayer-client"
 * import { createTestServer } from "memorylayer-client/testing"
 *
 * const server = createTestServer({ seed: 1 })
 * const client = new MemoryLayerClient({ fetch: server.fetch })
 * await client.remember("The deploy script lives in scripts/deploy.sh")
 * server.memories().map((m) => m.content) // ["The deploy script lives in scripts/deploy.sh"]
 * ```
 */
export const createTestServer = (options: TestServerOptions = {}): TestServer => {
  checkOptions(options)
  const now = options.now ?? (() => new Date())
  const store = new Store(makeIdSource(options.seed), () => {
    const date = now()
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new TypeError("the test server's now() must return a valid Date")
    return date
  })
  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && (init === undefined || Object.keys(init).length === 0) ? input : new Request(input, init)
    const { response, operationId } = await serve(store, request)
    const url = new URL(request.url)
    store.requests.push({
      operationId,
      method: request.method,
      path: `${url.pathname}${url.search}`,
      status: response.status,
      sessionId: header(request, "x-session-id"),
      workspaceId: header(request, "x-workspace-id")
    })
    return response
  }
  return {
    fetch,
    memories: (filter = {}) =>
      [...store.memories.values()]
        .filter((memory) => (filter.workspaceId === undefined || memory.workspace_id === filter.workspaceId) && (filter.includeDeleted === true || memory.deleted_at === null))
        .map((memory) => structuredClone(memory)),
    associations: () => [...store.associations.values()].map((association) => structuredClone(association)),
    sessions: () => {
      const at = store.now()
      return [...store.sessions.values()].filter((record) => store.liveSession(record.session.id, at) !== undefined).map((record) => structuredClone(record.session))
    },
    workingMemory: (sessionId) => {
      const record = store.liveSession(sessionId, store.now())
      return record === undefined ? undefined : Object.fromEntries([...record.working].map(([key, entry]) => [key, structuredClone(entry.value)]))
    },
    workspaces: () => [...store.workspaces.values()].map((workspace) => structuredClone(workspace)),
    requests: () => [...store.requests],
    reset: () => store.reset()
  }
}

export type { RequestRecord } from "./store.ts"
