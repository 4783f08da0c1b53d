/**
 * recall and reflect in the test double. Relevance is the share of the
 * query's words a memory contains (see text-score.ts), boosted as the server
 * boosts it (x1.5 for the query's context, x1.2 for its workspace); filters
 * are applied strictly; each memory returned counts an access and gains a
 * little importance, as on the server. The trust, freshness and budget
 * figures follow the server's formulas.
 *
 * @module
 */
import type { MemorySubtype, MemoryType } from "../types.ts"
import { type Handlers, workspaceOf } from "./call.ts"
import { isoTime } from "./ids.ts"
import { copyMemory } from "./memories.ts"
import type { MemoryRecord, Store } from "./store.ts"
import { relevance, words } from "./text-score.ts"

/** The relevance floor of each tolerance, as the server is configured by default. */
const TOLERANCE_FLOORS = { loose: 0.15, moderate: 0.3, strict: 0.6 } as const

/** What one recall asks for (recall's request, and the recalls that reflect and the sandbox run). */
export interface RecallQuery {
  readonly query: string
  readonly workspaceId: string
  readonly types?: ReadonlyArray<MemoryType | string> | null | undefined
  readonly subtypes?: ReadonlyArray<MemorySubtype> | undefined
  readonly tags?: ReadonlyArray<string> | null | undefined
  readonly context_id?: string | null | undefined
  readonly observer_id?: string | null | undefined
  readonly subject_id?: string | null | undefined
  readonly user_id?: string | null | undefined
  readonly include_global?: boolean | undefined
  readonly include_global_user?: boolean | undefined
  readonly tolerance?: keyof typeof TOLERANCE_FLOORS | null | undefined
  readonly min_relevance?: number | null | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
  readonly created_after?: string | null | undefined
  readonly created_before?: string | null | undefined
  readonly event_after?: string | null | undefined
  readonly event_before?: string | null | undefined
  readonly time_order?: string | null | undefined
  readonly include_archived?: boolean | undefined
  readonly exclude_ids?: ReadonlyArray<string> | undefined
}

/** A recalled memory (a copy, with the recall-only fields filled in). */
export interface Recalled {
  readonly memories: ReadonlyArray<MemoryRecord>
  /** How many memories passed the filters and the relevance floor. */
  readonly total: number
}

const given = <A>(value: A | null | undefined): value is A => value !== undefined && value !== null

const time = (value: string | null | undefined): number | undefined => (value === null || value === undefined ? undefined : Date.parse(value))

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits

/** Freshness from age: 1 when new, halving every 7 days (the server's default half-life). */
const freshness = (ageDays: number): number => Math.exp((-Math.LN2 * ageDays) / 7)

/** The server's composite trust score and its parts. */
const trust = (memory: MemoryRecord, now: Date): { readonly score: number; readonly signals: Record<string, number> } => {
  const fresh = freshness((now.getTime() - Date.parse(memory.created_at)) / 86_400_000)
  const access = Math.min(memory.access_count / 10, 1)
  const verification = memory.pinned || memory.metadata["verified"] === true ? 1 : 0.5
  const sourceReliability = memory.source_memory_id !== null ? 1 : 0.8
  const score = Math.max(0, Math.min(1, 0.3 * fresh + 0.2 * access + 0.2 * memory.decay_factor + 0.15 * verification + 0.15 * sourceReliability))
  return {
    score,
    signals: {
      freshness: round(fresh, 4),
      access_frequency: round(access, 4),
      decay_factor: round(memory.decay_factor, 4),
      verification,
      source_reliability: sourceReliability
    }
  }
}

const staleness = (ageDays: number): string => (ageDays < 1 ? "none" : ageDays < 7 ? "mild" : ageDays < 30 ? "moderate" : "severe")

/**
 * Runs one recall: filter, score, rank, page; then counts the access on the
 * stored memories and returns annotated copies.
 */
export const recallMemories = (store: Store, now: Date, q: RecallQuery): Recalled => {
  const queryWords = words(q.query)
  const tolerance = TOLERANCE_FLOORS[q.tolerance ?? "moderate"]
  const floor = q.min_relevance === 0 ? 0 : Math.max(tolerance, q.min_relevance ?? 0)
  const contextId = q.context_id ?? "_default"
  const searched = new Set([q.workspaceId])
  if (q.include_global !== false) searched.add("_global")
  const userId = q.user_id ?? undefined
  const after = time(q.created_after)
  const before = time(q.created_before)
  const eventAfter = time(q.event_after)
  const eventBefore = time(q.event_before)
  const scored: Array<{ readonly memory: MemoryRecord; readonly score: number; readonly boosted: number; readonly scope: string }> = []
  for (const memory of store.memories.values()) {
    const inUserSpace = memory.workspace_id === "_global_user" && userId !== undefined && q.include_global_user !== false && memory.user_id === userId
    if (!searched.has(memory.workspace_id) && !inUserSpace) continue
    if (memory.deleted_at !== null || (memory.status !== "active" && !(memory.status === "archived" && q.include_archived === true))) continue
    if (q.types !== undefined && q.types !== null && q.types.length > 0 && !q.types.includes(memory.type)) continue
    if (q.subtypes !== undefined && q.subtypes.length > 0 && !q.subtypes.some((subtype) => subtype === memory.subtype)) continue
    if (q.tags !== undefined && q.tags !== null && !q.tags.every((tag) => memory.tags.includes(tag))) continue
    if (given(q.observer_id) && memory.observer_id !== q.observer_id) continue
    if (given(q.subject_id) && memory.subject_id !== q.subject_id) continue
    if (userId !== undefined && memory.user_id !== null && memory.user_id !== userId) continue
    if (q.exclude_ids?.includes(memory.id) === true) continue
    const created = Date.parse(memory.created_at)
    const event = time(memory.event_time) ?? created
    if ((after !== undefined && created <= after) || (before !== undefined && created >= before)) continue
    if ((eventAfter !== undefined && event < eventAfter) || (eventBefore !== undefined && event > eventBefore)) continue
    const score = relevance(queryWords, memory.content)
    if (score === 0 || score < floor) continue
    const [scope, boost] = memory.context_id === contextId
      ? ["same_context", 1.5]
      : memory.workspace_id === q.workspaceId
      ? ["same_workspace", 1.2]
      : [memory.workspace_id === "_global_user" ? "global_user_workspace" : "global_workspace", 1]
    scored.push({ memory, score, boosted: score * boost, scope })
  }
  const eventTime = (memory: MemoryRecord): number => time(memory.event_time) ?? Date.parse(memory.created_at)
  scored.sort((a, b) => {
    if (q.time_order === "asc" || q.time_order === "desc") {
      const byTime = eventTime(a.memory) - eventTime(b.memory)
      if (byTime !== 0) return q.time_order === "asc" ? byTime : -byTime
    }
    return b.boosted - a.boosted || b.memory.importance - a.memory.importance ||
      Date.parse(b.memory.created_at) - Date.parse(a.memory.created_at) || (a.memory.id < b.memory.id ? -1 : 1)
  })
  const offset = q.offset ?? 0
  const page = scored.slice(offset, offset + (q.limit ?? 10))
  const at = isoTime(now)
  const memories = page.map(({ memory, score, boosted, scope }) => {
    memory.access_count += 1
    memory.last_accessed_at = at
    memory.updated_at = at
    if (!memory.pinned) memory.importance = Math.min(1, memory.importance * 1.1)
    const copy = copyMemory(memory)
    const ageDays = Math.max(0, (now.getTime() - Date.parse(memory.created_at)) / 86_400_000)
    const { score: trustScore, signals } = trust(memory, now)
    copy.source_scope = scope
    copy.relevance_score = score
    copy.boosted_score = boosted
    copy.match_signals = ["keyword"]
    copy.trust_score = trustScore
    copy.trust_signals = signals
    // Accessed just now: the server adds 0.05 for an access within a day.
    copy.freshness_score = round(Math.min(1, freshness(ageDays) + 0.05), 4)
    copy.staleness_warning = staleness(ageDays)
    copy.age_days = round(ageDays, 2)
    return copy
  })
  return { memories, total: scored.length }
}

/** The server's token estimate: about one token per three characters. */
const estimateTokens = (text: string): number => (text === "" ? 0 : Math.max(1, Math.floor((text.length + 2) / 3)))

/** Fits the memories' content into `budget` tokens as the server does: shorter forms first, then cut, else left out. */
const pack = (memories: ReadonlyArray<MemoryRecord>, budget: number | null) => {
  const summary = (used: number, truncated = 0, omitted = 0) => ({
    requested: budget,
    used,
    estimator: "chars_div_3_conservative_v1",
    truncated_items: truncated,
    omitted_items: omitted
  })
  if (budget === null) return { memories, summary: summary(memories.reduce((sum, memory) => sum + estimateTokens(memory.content), 0)) }
  const packed: Array<MemoryRecord> = []
  let used = 0
  let truncated = 0
  let omitted = 0
  for (const memory of memories) {
    const remaining = budget - used
    if (remaining <= 0) {
      omitted++
      continue
    }
    const forms = [...new Set([memory.content, memory.overview, memory.abstract].filter((form): form is string => form !== null && form !== ""))]
    let selected = forms.find((form) => estimateTokens(form) <= remaining)
    if (selected === undefined && remaining * 3 >= 24) {
      selected = (memory.abstract ?? memory.overview ?? memory.content).slice(0, remaining * 3).trimEnd()
      while (selected !== "" && estimateTokens(selected) > remaining) selected = selected.slice(0, -1)
      if (selected !== "") truncated++
    }
    if (selected === undefined || selected === "") {
      omitted++
      continue
    }
    used += estimateTokens(selected)
    packed.push({ ...memory, content: selected })
  }
  return { memories: packed, summary: summary(used, truncated, omitted) }
}

const recall: Handlers["recall"] = (store, call) => {
  const body = call.input.body
  const recalled = recallMemories(store, call.now, { ...body, workspaceId: workspaceOf(store, call, body.workspace_id) })
  const { memories, summary } = pack(recalled.memories, body.budget_tokens ?? null)
  const freshnessScores = memories.map((memory) => memory.freshness_score as number)
  const lowTrust = memories.filter((memory) => (memory.trust_score ?? 1) < 0.5).length
  const top = memories[0]
  const [confidence, reasons] = body.include_confidence === false
    ? ["weak", []] as const
    : top === undefined
    ? ["weak", ["empty_result"]] as const
    : body.query.trim().toLowerCase() === top.id.toLowerCase()
    ? ["strong", ["exact_identifier_match"]] as const
    : ["moderate", ["strong_keyword_evidence"]] as const
  const llm = body.mode === "llm"
  return {
    memories,
    total_count: recalled.total,
    query_tokens: 0,
    search_latency_ms: 0,
    mode_used: llm ? "llm" : "rag",
    query_rewritten: llm ? body.query : null,
    sufficiency_reached: llm ? false : null,
    source_scope: null,
    boosted_score: null,
    token_summary: null,
    trajectory: null,
    drift_caveat: lowTrust === 0 ? null : `${lowTrust} of ${memories.length} recalled memories have low trust scores and may be stale or unreliable.`,
    freshness_metadata: memories.length === 0 ? null : {
      avg_freshness: round(freshnessScores.reduce((sum, score) => sum + score, 0) / freshnessScores.length, 4),
      min_freshness: round(Math.min(...freshnessScores), 4),
      max_freshness: round(Math.max(...freshnessScores), 4),
      severe_count: memories.filter((memory) => memory.staleness_warning === "severe").length,
      moderate_count: memories.filter((memory) => memory.staleness_warning === "moderate").length
    },
    query_intent: ["general"],
    retrieval_confidence: confidence,
    confidence_reasons: [...reasons],
    budget_summary: summary,
    generation_summary: null,
    relation_paths: [],
    relation_write_result: null
  }
}

/** What reflect answers when memories were found: the double, like a server without an LLM, cannot synthesize. */
export const NO_LLM_REFLECTION =
  "Memory synthesis requires LLM integration. Please configure an LLM profile (set MEMORYLAYER_LLM_PROFILE_DEFAULT_PROVIDER and MEMORYLAYER_LLM_PROFILE_DEFAULT_MODEL)."

const countWords = (text: string): number => text.split(/\s+/).filter((word) => word !== "").length

const reflect: Handlers["reflect"] = (store, call) => {
  const body = call.input.body
  const { memories } = recallMemories(store, call.now, {
    ...body,
    workspaceId: workspaceOf(store, call, body.workspace_id),
    limit: 20,
    min_relevance: 0.5
  })
  if (memories.length === 0) {
    return { reflection: "No relevant memories found to reflect upon.", source_memories: [], confidence: 0, tokens_processed: 0 }
  }
  const averageImportance = memories.reduce((sum, memory) => sum + memory.importance, 0) / memories.length
  const recent = memories[0]?.last_accessed_at === null ? 0 : 0.2
  const material = [body.query, ...memories.map((memory, i) => `[${i + 1}] ${memory.type.toUpperCase()} - ${memory.content}`)].join("\n")
  return {
    reflection: NO_LLM_REFLECTION,
    source_memories: body.include_sources === false ? [] : memories.map((memory) => memory.id),
    confidence: Math.min(1, Math.min(1, memories.length / 10) * 0.5 + averageImportance * 0.4 + recent),
    tokens_processed: countWords(material) + countWords(NO_LLM_REFLECTION)
  }
}

/** The recall handlers of the double. */
export const recallHandlers = { recall, reflect } satisfies Partial<Handlers>
