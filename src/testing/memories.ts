/**
 * The memory operations of the test double: remember, getMemory,
 * updateMemory, forget, decay and batchMemories, with the server's rules for
 * ids, defaults, duplicates, soft and hard deletes and revisions.
 *
 * @module
 */
import type { Json, MemorySubtype, MemoryType } from "../types.ts"
import { failure, type Handlers, HttpFailure, workspaceOf } from "./call.ts"
import { isoTime } from "./ids.ts"
import { sha256Hex } from "./sha256.ts"
import type { MemoryRecord, Store } from "./store.ts"

/** What a new memory is made of: the fields of remember and of a batch create. */
export interface NewMemory {
  readonly content: string
  readonly type?: MemoryType | null | undefined
  readonly subtype?: MemorySubtype | null | undefined
  readonly importance?: number | undefined
  readonly tags?: ReadonlyArray<string> | undefined
  readonly metadata?: { readonly [key: string]: Json } | undefined
  readonly refinement_metadata?: { readonly [key: string]: Json } | undefined
  readonly pinned?: boolean | undefined
  readonly context_id?: string | null | undefined
  readonly observer_id?: string | null | undefined
  readonly subject_id?: string | null | undefined
  readonly user_id?: string | null | undefined
  readonly logical_key?: string | null | undefined
  readonly relations?: ReadonlyArray<{ readonly relationship: string }> | undefined
}

/** Tags as remember stores them: trimmed, lower-cased, without blanks or duplicates, sorted. */
export const rememberedTags = (tags: ReadonlyArray<string>): Array<string> =>
  [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag !== ""))].sort()

/** The opaque token of a memory's revision, in the server's `"memory-<revision>-<hex>"` form. */
const etagOf = (memory: Pick<MemoryRecord, "id" | "revision" | "content_hash">): string =>
  `"memory-${memory.revision}-${sha256Hex(`${memory.id}:${memory.revision}:${memory.content_hash}`)}"`

/** Marks a semantic change of `memory` at `now`: a new revision and etag. */
export const revise = (memory: MemoryRecord, now: Date): void => {
  memory.revision += 1
  memory.etag = etagOf(memory)
  memory.updated_at = isoTime(now)
}

/** A copy of `memory` that later changes to the store do not reach. */
export const copyMemory = (memory: MemoryRecord): MemoryRecord => structuredClone(memory)

const notFound = (id: string) => failure(404, `Memory not found: ${id}`)

/**
 * Stores a new memory in `workspaceId` (created if missing), or returns the
 * live memory of that workspace with the same content, as the server does
 * for an exact duplicate. Blank content is the server's 400.
 */
export const storeMemory = (store: Store, now: Date, workspaceId: string, input: NewMemory): { readonly memory: MemoryRecord; readonly created: boolean } => {
  const content = input.content.trim()
  if (content === "") throw failure(400, "Cannot embed empty text")
  // The server hashes the content as sent, before trimming it.
  const contentHash = sha256Hex(input.content)
  for (const existing of store.memories.values()) {
    if (existing.workspace_id === workspaceId && existing.deleted_at === null && existing.content_hash === contentHash) {
      return { memory: existing, created: false }
    }
  }
  store.ensureWorkspace(workspaceId, now)
  const at = isoTime(now)
  const relations = input.relations ?? []
  const memory: MemoryRecord = {
    id: store.ids.next("mem_", 16),
    logical_key: input.logical_key ?? null,
    workspace_id: workspaceId,
    tenant_id: "_default",
    context_id: input.context_id ?? "_default",
    user_id: input.user_id ?? null,
    observer_id: input.observer_id ?? null,
    subject_id: input.subject_id ?? null,
    content,
    content_hash: contentHash,
    type: input.type ?? "episodic",
    subtype: input.subtype ?? null,
    importance: input.importance ?? 0.5,
    tags: rememberedTags(input.tags ?? []),
    metadata: { ...input.metadata },
    refinement_metadata: { ...input.refinement_metadata },
    abstract: null,
    overview: null,
    session_id: null,
    source_memory_id: null,
    source_document_id: null,
    source_page_id: null,
    source_dataset_id: null,
    source_thread_id: null,
    category: null,
    embedding: null,
    access_count: 0,
    last_accessed_at: null,
    decay_factor: 1,
    status: "active",
    pinned: input.pinned ?? false,
    revision: 1,
    etag: "",
    source_scope: null,
    relevance_score: null,
    boosted_score: null,
    match_signals: null,
    trust_score: null,
    trust_signals: null,
    freshness_score: null,
    staleness_warning: null,
    age_days: null,
    event_time: null,
    created_at: at,
    updated_at: at,
    deleted_at: null,
    relation_write_result: relations.length === 0 ? null : {
      resolved: 0,
      unresolved: relations.length,
      rejected: 0,
      duplicate: 0,
      relation_ids: [],
      errors: relations.map((relation) => `unresolved endpoints for ${relation.relationship}`)
    }
  }
  memory.etag = etagOf(memory)
  store.memories.set(memory.id, memory)
  return { memory, created: true }
}

/**
 * What background enrichment does on a server without an LLM, done at once
 * after the answer to the write: `abstract` and `overview` become copies of
 * the content.
 */
export const enrich = (memory: MemoryRecord): void => {
  memory.abstract ??= memory.content
  memory.overview ??= memory.content
}

/** The fields updateMemory and a batch update may change; `null` or absent keeps the stored value. */
interface MemoryChanges {
  readonly content?: string | null | undefined
  readonly type?: MemoryType | null | undefined
  readonly subtype?: MemorySubtype | null | undefined
  readonly importance?: number | null | undefined
  readonly tags?: ReadonlyArray<string> | null | undefined
  readonly metadata?: { readonly [key: string]: Json } | null | undefined
  readonly refinement_metadata?: { readonly [key: string]: Json } | null | undefined
  readonly pinned?: boolean | null | undefined
}

/** Applies `changes` to `memory`; tags are stored as sent, as the server does on update. */
const applyChanges = (memory: MemoryRecord, changes: MemoryChanges, now: Date): void => {
  const before = JSON.stringify(memory)
  if (changes.content !== undefined && changes.content !== null) {
    const content = changes.content.trim()
    if (content === "") throw failure(400, "Cannot embed empty text")
    memory.content = content
    memory.content_hash = sha256Hex(changes.content)
  }
  if (changes.type !== undefined && changes.type !== null) memory.type = changes.type
  if (changes.subtype !== undefined && changes.subtype !== null) memory.subtype = changes.subtype
  if (changes.importance !== undefined && changes.importance !== null) memory.importance = changes.importance
  if (changes.tags !== undefined && changes.tags !== null) memory.tags = [...changes.tags]
  if (changes.metadata !== undefined && changes.metadata !== null) memory.metadata = { ...changes.metadata }
  if (changes.refinement_metadata !== undefined && changes.refinement_metadata !== null) memory.refinement_metadata = { ...changes.refinement_metadata }
  if (changes.pinned !== undefined && changes.pinned !== null) memory.pinned = changes.pinned
  if (JSON.stringify(memory) !== before) revise(memory, now)
}

/** Deletes `id`: soft (sets `deleted_at`) or hard (removes it and its associations). */
const deleteMemory = (store: Store, id: string, hard: boolean, now: Date): void => {
  const memory = store.liveMemory(id)
  if (memory === undefined) throw notFound(id)
  if (hard) {
    store.memories.delete(id)
    for (const [key, association] of store.associations) {
      if (association.source_id === id || association.target_id === id) store.associations.delete(key)
    }
  } else {
    memory.deleted_at = isoTime(now)
    revise(memory, now)
  }
}

const remember: Handlers["remember"] = (store, call) => {
  const body = call.input.body
  if (body.logical_key !== undefined && body.logical_key !== null && (call.headers.get("idempotency-key") === null || call.headers.get("if-none-match") === null)) {
    throw failure(400, "logical_key requires Idempotency-Key and If-None-Match headers")
  }
  let workspaceId = workspaceOf(store, call, body.workspace_id)
  if (body.scope === "user") {
    if (body.user_id === undefined || body.user_id === null) {
      throw failure(400, "scope=USER requires a user_id; refusing to write an unfilterable user-global memory")
    }
    workspaceId = "_global_user"
  }
  const { memory } = storeMemory(store, call.now, workspaceId, body)
  const answer = copyMemory(memory)
  enrich(memory)
  return { memory: answer, replayed: false }
}

const getMemory: Handlers["getMemory"] = (store, call) => {
  const id = call.input.path.memory_id
  const memory = store.memories.get(id)
  const query = call.input.query
  if (memory === undefined || (memory.deleted_at !== null && query?.include_deleted !== true)) throw notFound(id)
  if (query?.workspace_id !== undefined && memory.workspace_id !== query.workspace_id) throw notFound(id)
  memory.access_count += 1
  memory.last_accessed_at = isoTime(call.now)
  return { memory: copyMemory(memory) }
}

const updateMemory: Handlers["updateMemory"] = (store, call) => {
  const id = call.input.path.memory_id
  const memory = store.liveMemory(id)
  if (memory === undefined) throw notFound(id)
  applyChanges(memory, call.input.body, call.now)
  return { memory: copyMemory(memory) }
}

const forget: Handlers["forget"] = (store, call) => {
  deleteMemory(store, call.input.path.memory_id, call.input.query?.hard === true, call.now)
}

const decay: Handlers["decay"] = (store, call) => {
  const id = call.input.path.memory_id
  const memory = store.liveMemory(id)
  if (memory === undefined || memory.workspace_id !== workspaceOf(store, call)) throw notFound(id)
  memory.importance = Math.max(0, memory.importance - (call.input.body.decay_rate ?? 0.1))
  memory.updated_at = isoTime(call.now)
  return { memory: copyMemory(memory) }
}

const batchMemories: Handlers["batchMemories"] = (store, call) => {
  const workspaceId = workspaceOf(store, call)
  const results = call.input.body.operations.map((operation, index) => {
    try {
      let memoryId: string
      if (operation.op === "create") {
        const { memory } = storeMemory(store, call.now, workspaceId, operation)
        enrich(memory)
        memoryId = memory.id
      } else if (operation.op === "update") {
        const memory = store.liveMemory(operation.memory_id)
        if (memory === undefined) throw notFound(operation.memory_id)
        applyChanges(memory, operation, call.now)
        memoryId = memory.id
      } else {
        deleteMemory(store, operation.memory_id, operation.hard === true, call.now)
        memoryId = operation.memory_id
      }
      return { index, type: operation.op, status: "success", memory_id: memoryId, error: null }
    } catch (error) {
      if (!(error instanceof HttpFailure)) throw error
      return { index, type: operation.op, status: "error", memory_id: null, error: error.message }
    }
  })
  const successful = results.filter((result) => result.status === "success").length
  return { total_operations: results.length, successful, failed: results.length - successful, results }
}

/** The memory handlers of the double. */
export const memoryHandlers = { remember, getMemory, updateMemory, forget, decay, batchMemories } satisfies Partial<Handlers>

/** The live memory `id` if it lives in `workspaceId` (associations and graph walks need that). */
export const memoryInWorkspace = (store: Store, id: string, workspaceId: string): MemoryRecord | undefined => {
  const memory = store.liveMemory(id)
  return memory !== undefined && memory.workspace_id === workspaceId ? memory : undefined
}
