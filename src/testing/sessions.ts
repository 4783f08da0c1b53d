/**
 * Sessions and working memory in the test double, and the workspace
 * briefing. As on server 0.2.0, each working-memory value is also written as
 * a long-term memory of type `working` when it is set, so committing a
 * session reports those entries and extracts nothing more. A session whose
 * expiry has passed is gone at once (the server's sweep removes it within
 * minutes).
 *
 * @module
 */
import type { Json, SessionBriefing } from "../types.ts"
import { failure, type Handlers, SESSION_TOUCH_SECONDS, workspaceOf } from "./call.ts"
import { isoTime, pythonIsoTime } from "./ids.ts"
import { enrich, storeMemory } from "./memories.ts"
import { pythonJsonDumps } from "./python-values.ts"
import type { SessionRecord, Store } from "./store.ts"

/** The live session `id`, or the 404 the server gives for it. */
const sessionOrFail = (store: Store, id: string, now: Date, detail = `Session not found: ${id}`): SessionRecord => {
  const record = store.liveSession(id, now)
  if (record === undefined) throw failure(404, detail)
  return record
}

/** Sets one working-memory key, and writes its value as a long-term `working` memory of the session's workspace. */
const setWorkingMemory = (store: Store, record: SessionRecord, key: string, value: Json, ttlSeconds: number | null, now: Date) => {
  const at = isoTime(now)
  const entry = { value, ttl_seconds: ttlSeconds, created_at: at, updated_at: at }
  record.working.set(key, entry)
  const { memory } = storeMemory(store, now, record.session.workspace_id, {
    content: typeof value === "string" ? value : pythonJsonDumps(value),
    type: "working",
    metadata: { session_id: record.session.id, working_memory_key: key },
    context_id: record.session.context_id
  })
  enrich(memory)
  return { key, ...entry }
}

/** The briefing of `workspaceId` as the server builds it. */
export const briefingOf = (
  store: Store,
  workspaceId: string,
  now: Date,
  options: { readonly lookbackMinutes?: number; readonly detailLevel?: string; readonly limit?: number; readonly includeMemories?: boolean } = {}
): SessionBriefing => {
  const live = [...store.memories.values()].filter((memory) => memory.workspace_id === workspaceId && memory.deleted_at === null)
  const types: Record<string, number> = {}
  for (const memory of live) types[memory.type] = (types[memory.type] ?? 0) + 1
  const since = now.getTime() - (options.lookbackMinutes ?? 60) * 60_000
  const detail = options.detailLevel ?? "abstract"
  const recent = options.includeMemories === false ? [] : live
    .filter((memory) => memory.status === "active" && Date.parse(memory.created_at) > since)
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
    .slice(0, options.limit ?? 10)
    .map((memory) => ({
      id: memory.id,
      ...(detail === "abstract" ? { abstract: memory.abstract } : detail === "overview" ? { overview: memory.overview } : { content: memory.content }),
      type: memory.type,
      subtype: memory.subtype,
      importance: memory.importance,
      tags: [...memory.tags],
      created_at: pythonIsoTime(new Date(memory.created_at))
    }))
  return {
    workspace_summary: {
      total_memories: live.length,
      recent_memories: recent.length,
      active_topics: [],
      total_categories: 0,
      total_associations: [...store.associations.values()].filter((association) => association.workspace_id === workspaceId).length,
      memory_types: types
    },
    recent_activity: [{ timestamp: pythonIsoTime(now), summary: `Workspace stats: ${live.length} total memories`, memories_created: 0, key_decisions: [] }],
    open_threads: [],
    contradictions_detected: [],
    memories: recent
  }
}

const createSession: Handlers["createSession"] = (store, call) => {
  const body = call.input.body
  const id = body.session_id ?? store.ids.next("sess_", 32)
  if (store.sessions.has(id)) throw failure(500, "Failed to create session")
  const workspaceId = body.workspace_id ?? call.workspaceId ?? "_default"
  store.ensureWorkspace(workspaceId, call.now)
  const record: SessionRecord = {
    session: {
      id,
      workspace_id: workspaceId,
      tenant_id: "_default",
      context_id: body.context_id ?? "_default",
      user_id: null,
      metadata: { ...body.metadata },
      auto_commit: true,
      committed_at: null,
      expires_at: isoTime(new Date(call.now.getTime() + (body.ttl_seconds ?? 3600) * 1000)),
      created_at: isoTime(call.now)
    },
    working: new Map(),
    sandbox: undefined
  }
  store.sessions.set(id, record)
  for (const [key, value] of Object.entries(body.working_memory ?? {})) setWorkingMemory(store, record, key.trim(), value, null, call.now)
  return { session: structuredClone(record.session), briefing: body.briefing === true ? briefingOf(store, workspaceId, call.now) : null }
}

const getSession: Handlers["getSession"] = (store, call) => {
  const id = call.input.path.session_id
  return { session: structuredClone(sessionOrFail(store, id, call.now, `Session not found or expired: ${id}`).session) }
}

/** Marks the session committed and counts its working memory (already written to long-term memory as it was set). */
const commit = (record: SessionRecord, now: Date) => {
  record.session.committed_at = isoTime(now)
  const count = record.working.size
  return { session_id: record.session.id, memories_extracted: count, memories_deduplicated: 0, memories_created: count, breakdown: {}, extraction_time_ms: 0 }
}

const deleteSession: Handlers["deleteSession"] = (store, call) => {
  const id = call.input.path.session_id
  const record = sessionOrFail(store, id, call.now)
  if (record.session.auto_commit && record.session.committed_at === null) commit(record, call.now)
  store.sessions.delete(id)
}

const setContext: Handlers["setContext"] = (store, call) => {
  const record = sessionOrFail(store, call.input.path.session_id, call.now)
  const body = call.input.body
  return setWorkingMemory(store, record, body.key.trim(), body.value, body.ttl_seconds ?? null, call.now)
}

const getContext: Handlers["getContext"] = (store, call) => {
  const record = sessionOrFail(store, call.input.path.session_id, call.now)
  const key = call.input.query?.key
  if (key !== undefined) {
    const entry = record.working.get(key)
    if (entry === undefined) throw failure(404, `Working memory key not found: ${key}`)
    return { [key]: structuredClone(entry.value) }
  }
  return Object.fromEntries([...record.working].map(([name, entry]) => [name, structuredClone(entry.value)]))
}

const commitSession: Handlers["commitSession"] = (store, call) => commit(sessionOrFail(store, call.input.path.session_id, call.now), call.now)

/** Moves the session's expiry to `seconds` from now, as touchSession and every use of its `X-Session-ID` do. */
export const touch = (record: SessionRecord, now: Date, seconds = SESSION_TOUCH_SECONDS): string => {
  record.session.expires_at = isoTime(new Date(now.getTime() + seconds * 1000))
  return record.session.expires_at
}

const touchSession: Handlers["touchSession"] = (store, call) => {
  const record = sessionOrFail(store, call.input.path.session_id, call.now)
  // The server keeps a rough count of the working memory's size, a quarter of its characters.
  const tokens = [...record.working.values()]
    .reduce((sum, entry) => sum + Math.floor((typeof entry.value === "string" ? entry.value : pythonJsonDumps(entry.value)).length / 4), 0)
  record.session.metadata = { ...record.session.metadata, cumulative_tokens: tokens }
  return { expires_at: touch(record, call.now, call.input.query?.extend_seconds ?? SESSION_TOUCH_SECONDS) }
}

const getBriefing: Handlers["getBriefing"] = (store, call) => {
  const query = call.input.query
  return {
    briefing: briefingOf(store, workspaceOf(store, call, query?.workspace_id), call.now, {
      ...(query?.lookback_minutes === undefined ? {} : { lookbackMinutes: query.lookback_minutes }),
      ...(query?.detail_level === undefined ? {} : { detailLevel: query.detail_level }),
      ...(query?.limit === undefined ? {} : { limit: query.limit }),
      ...(query?.include_memories === undefined ? {} : { includeMemories: query.include_memories })
    })
  }
}

/** The session handlers of the double. */
export const sessionHandlers = {
  createSession, getSession, deleteSession, setContext, getContext, commitSession, touchSession, getBriefing
} satisfies Partial<Handlers>
