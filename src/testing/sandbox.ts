/**
 * The context sandbox routes in the test double. Each session has its own
 * sandbox, created on first use, holding Python values. `contextExec` runs a
 * small subset of Python exactly (see python.ts) and reports anything else as
 * a `SyntaxError` saying the double does not run it; `contextQuery` and
 * `contextRlm` answer as a server without an LLM does, because the double
 * has none. Everything else (load, inject, inspect, status, checkpoint,
 * cleanup) behaves as on the server.
 *
 * @module
 */
import { type Call, failure, type Handlers, type SeedOperationId } from "./call.ts"
import { pythonIsoTime } from "./ids.ts"
import { runPython } from "./python.ts"
import { fromJson, PyDict, type PyValue, repr, sizeOf, typeName } from "./python-values.ts"
import { recallMemories } from "./recall.ts"
import type { MemoryRecord, Sandbox, SessionRecord, Store } from "./store.ts"
import type { Json } from "../types.ts"

/** What the sandbox may hold before code runs are refused: the server's default, 256 MiB. */
const MEMORY_LIMIT_BYTES = 268_435_456

/** The detail of the server's error when no LLM is configured, which the double reports too. */
const NO_LLM = "LLM provider not configured. Set MEMORYLAYER_LLM_PROFILE_DEFAULT_PROVIDER and MEMORYLAYER_LLM_PROFILE_DEFAULT_MODEL to enable LLM features."

/** The session whose sandbox a context call uses: `X-Session-ID` is required and must name a live session. */
const sessionOf = (store: Store, call: Call<SeedOperationId>): SessionRecord => {
  if (call.sessionId === undefined) throw failure(400, "X-Session-ID header is required")
  const record = store.liveSession(call.sessionId, call.now)
  if (record === undefined) throw failure(404, `Session not found or expired: ${call.sessionId}`)
  return record
}

/** The session's sandbox, created on first use. */
const sandboxOf = (store: Store, call: Call<SeedOperationId>): Sandbox => {
  const record = sessionOf(store, call)
  record.sandbox ??= { variables: new Map(), createdAt: call.now, execCount: 0, totalOperations: 0, lastExecAt: null }
  return record.sandbox
}

/** The server's preview of a value: its repr, cut at `chars` with `...` after the cut. */
const preview = (value: PyValue, chars: number): string => {
  const text = repr(value)
  return text.length > chars ? `${text.slice(0, chars)}...` : text
}

/** A memory as contextLoad puts it in a variable: a dict of its main fields. */
const memoryDict = (memory: MemoryRecord, includeEmbeddings: boolean): PyDict => {
  const dict = new PyDict()
  dict.set("id", memory.id)
  dict.set("content", memory.content)
  dict.set("type", memory.type)
  dict.set("importance", memory.importance)
  dict.set("tags", [...memory.tags])
  dict.set("created_at", pythonIsoTime(new Date(memory.created_at)))
  if (Object.keys(memory.metadata).length > 0) dict.set("metadata", fromJson(memory.metadata))
  if (memory.abstract !== null && memory.abstract !== "") dict.set("abstract", memory.abstract)
  if (includeEmbeddings && memory.embedding !== null) dict.set("embedding", [...memory.embedding])
  return dict
}

/** Recalls memories from the session's workspace into `variable`; returns the count loaded and found. */
const loadInto = (
  store: Store,
  call: Call<SeedOperationId>,
  sandbox: Sandbox,
  variable: string,
  query: { readonly query: string; readonly limit?: number; readonly types?: ReadonlyArray<string> | null; readonly tags?: ReadonlyArray<string> | null; readonly min_relevance?: number | null },
  includeEmbeddings: boolean
): { readonly count: number; readonly total: number } => {
  const workspaceId = sessionOf(store, call).session.workspace_id
  const types = (query.types ?? []).filter((type) => ["episodic", "semantic", "procedural", "working"].includes(type))
  const recalled = recallMemories(store, call.now, { ...query, types, workspaceId, limit: query.limit ?? 50 })
  sandbox.variables.set(variable, recalled.memories.map((memory) => memoryDict(memory, includeEmbeddings)))
  return { count: recalled.memories.length, total: recalled.total }
}

const contextExec: Handlers["contextExec"] = (store, call) => {
  const sandbox = sandboxOf(store, call)
  const body = call.input.body
  const run = runPython(body.code, sandbox.variables)
  sandbox.execCount += 1
  sandbox.totalOperations += run.operations
  sandbox.lastExecAt = call.now
  const changed = [...run.changed]
  const resultVar = body.result_var ?? undefined
  if (resultVar !== undefined && resultVar !== "" && run.result !== undefined && run.result !== null && run.error === undefined) {
    sandbox.variables.set(resultVar, run.result)
    if (!changed.includes(resultVar)) changed.push(resultVar)
  }
  const showResult = body.return_result !== false && run.result !== undefined && run.result !== null
  return {
    output: run.output,
    result: showResult ? preview(run.result as PyValue, body.max_return_chars ?? 10_000) : null,
    error: run.error ?? null,
    variables_changed: changed
  }
}

const contextInspect: Handlers["contextInspect"] = (store, call) => {
  const sandbox = sandboxOf(store, call)
  const chars = call.input.query?.preview_chars ?? 200
  const name = call.input.query?.variable
  const none = { variable: null, type: null, preview: null, size_bytes: null, variable_count: null, variables: null, total_size_bytes: null, error: null }
  if (name !== undefined) {
    const value = sandbox.variables.get(name)
    if (value === undefined) return { ...none, error: `Variable '${name}' not found` }
    return { ...none, variable: name, type: typeName(value), preview: preview(value, chars), size_bytes: sizeOf(value) }
  }
  const variables = Object.fromEntries(
    [...sandbox.variables].map(([key, value]) => [key, { type: typeName(value), preview: preview(value, chars), size_bytes: sizeOf(value) }])
  )
  const total = Object.values(variables).reduce((sum, entry) => sum + entry.size_bytes, 0)
  return { ...none, variable_count: sandbox.variables.size, variables, total_size_bytes: total }
}

const contextLoad: Handlers["contextLoad"] = (store, call) => {
  const sandbox = sandboxOf(store, call)
  const body = call.input.body
  const { count, total } = loadInto(store, call, sandbox, body.var, body, body.include_embeddings === true)
  return { count, variable: body.var, query: body.query, total_available: total, error: null }
}

const contextInject: Handlers["contextInject"] = (store, call) => {
  const sandbox = sandboxOf(store, call)
  const body = call.input.body
  let value: PyValue
  if (body.parse_json === true && typeof body.value === "string") {
    try {
      value = fromJson(JSON.parse(body.value))
    } catch (error) {
      return { variable: null, type: null, preview: null, error: `JSON parse error: ${(error as Error).message}` }
    }
  } else {
    value = fromJson(body.value)
  }
  sandbox.variables.set(body.key, value)
  return { variable: body.key, type: typeName(value), preview: preview(value, 200), error: null }
}

const contextQuery: Handlers["contextQuery"] = (store, call) => {
  sandboxOf(store, call)
  return { response: null, variables_used: [], result_var: null, error: `LLM query failed: ${NO_LLM}` }
}

const contextRlm: Handlers["contextRlm"] = (store, call) => {
  const sandbox = sandboxOf(store, call)
  const body = call.input.body
  if (body.memory_query !== undefined && body.memory_query !== null && body.memory_query !== "") {
    loadInto(store, call, sandbox, "_memories", { query: body.memory_query, limit: body.memory_limit ?? 100 }, false)
  }
  const round: { readonly [key: string]: Json } = body.detail_level === "minimal" ? { iteration: 0, action: "unknown" } : { iteration: 0, error: `LLM plan generation failed: ${NO_LLM}` }
  return { result: null, iterations: 1, trace: [round], error: null, goal_achieved: false }
}

const contextStatus: Handlers["contextStatus"] = (store, call) => {
  const sandbox = sessionOf(store, call).sandbox
  if (sandbox === undefined) {
    return { exists: false, variable_count: 0, variables: null, total_size_bytes: 0, memory_limit_bytes: null, metadata: {} }
  }
  return {
    exists: true,
    variable_count: sandbox.variables.size,
    variables: [...sandbox.variables.keys()],
    total_size_bytes: [...sandbox.variables.values()].reduce((sum: number, value) => sum + sizeOf(value), 0),
    memory_limit_bytes: MEMORY_LIMIT_BYTES,
    metadata: {
      created_at: pythonIsoTime(sandbox.createdAt),
      exec_count: sandbox.execCount,
      total_operations: sandbox.totalOperations,
      ...(sandbox.lastExecAt === null ? {} : { last_exec_at: pythonIsoTime(sandbox.lastExecAt) })
    }
  }
}

const contextCheckpoint: Handlers["contextCheckpoint"] = (store, call) => {
  sessionOf(store, call)
}

const contextCleanup: Handlers["contextCleanup"] = (store, call) => {
  sessionOf(store, call).sandbox = undefined
}

/** The context sandbox handlers of the double. */
export const sandboxHandlers = {
  contextExec, contextInspect, contextLoad, contextInject, contextQuery, contextRlm, contextStatus, contextCheckpoint, contextCleanup
} satisfies Partial<Handlers>
