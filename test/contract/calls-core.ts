/**
 * Calls of the core group's operations beyond the seed's 32: memories,
 * associations, sessions and workspaces, and the tokens, entities,
 * contradictions, audit, representation, refinement-records, ingest and
 * graph namespaces. Each runs through both faces against the Prism mock
 * (see calls.ts), with a check of what the method returns.
 */
import type { OperationId } from "../../generated/operations.gen.ts"
import type { Face } from "./calls.ts"

type Call = { readonly run: (api: Face) => unknown; readonly check: (result: unknown) => boolean }

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined

const isObject = (value: unknown): boolean => typeof value === "object" && value !== null && !Array.isArray(value)
const hasString = (key: string) => (value: unknown): boolean => typeof field(value, key) === "string"
const hasArray = (key: string) => (value: unknown): boolean => Array.isArray(field(value, key))
const hasNumber = (key: string) => (value: unknown): boolean => typeof field(value, key) === "number"
const isVoid = (value: unknown): boolean => value === undefined
const isListOf = (key: string) => (value: unknown): boolean =>
  Array.isArray(value) && value.every((item) => typeof field(item, key) === "string")
const isMutation = (value: unknown): boolean => hasString("etag")(field(value, "memory")) && typeof field(value, "replayed") === "boolean"

const MEMORY = "mem_e73ad5e6be624b5b"
const SESSION = "sess_c0a6733f927d4d5d825488db4cd646f1"
const WORKSPACE = "ws-core"
const ETAG = "\"memory-1-53e524d082b66a2b479ba042b20a8b2567ab671b7c4a6c66aa3b1e604f8cebff\""

/** Records as exportWorkspace yields them: a header, a memory, an association, a footer. */
const exportRecords = [
  { type: "header", version: "1.0", workspace_id: WORKSPACE, exported_at: "2026-11-26T06:12:27.010919+00:00", total_memories: 1, total_associations: 1, offset: 0, limit: 0 },
  {
    type: "memory",
    index: 0,
    data: {
      id: MEMORY,
      content: "The deploy script lives in scripts/deploy.sh",
      content_hash: "",
      type: "procedural",
      subtype: null,
      importance: 0.8,
      tags: ["deploy"],
      metadata: {},
      abstract: null,
      overview: null,
      session_id: null,
      created_at: "2026-11-26T06:12:26.997445+00:00",
      updated_at: null
    }
  },
  { type: "association", data: { source_id: MEMORY, target_id: "mem_fb1d60afcded407f", relationship_type: "related_to", strength: 0.5, metadata: {} } },
  { type: "footer", memories_exported: 1, associations_exported: 1 }
] as const

/** One call of each operation of the core group, and what its result must look like. */
export const coreCalls: Partial<Record<OperationId, Call>> = {
  // memories
  listMemories: { run: (api) => api.listMemories({ limit: 2, offset: 0, tag: "deploy" }), check: hasArray("memories") },
  listMemoryRevisions: { run: (api) => api.listMemoryRevisions(MEMORY, { limit: 2 }), check: hasArray("revisions") },
  replaceKeyedMemory: {
    run: (api) => api.replaceKeyedMemory(MEMORY, { ifMatch: ETAG, content: "The build uses npm", type: "semantic", tags: ["build"] }),
    check: isMutation
  },
  deleteKeyedMemory: { run: (api) => api.deleteKeyedMemory(MEMORY, { ifMatch: ETAG }), check: isMutation },
  restoreKeyedMemory: { run: (api) => api.restoreKeyedMemory(MEMORY, { ifMatch: ETAG }), check: isMutation },
  // associations
  updateAssociation: { run: (api) => api.updateAssociation(MEMORY, "assoc_5d1c0a3e", { strength: 0.9, metadata: { reviewed: true } }), check: isVoid },
  deleteAssociation: { run: (api) => api.deleteAssociation(MEMORY, "assoc_5d1c0a3e"), check: isVoid },
  // sessions
  listSessions: { run: (api) => api.listSessions({ workspaceId: WORKSPACE }), check: isListOf("expires_at") },
  createCheckpoint: { run: (api) => api.createCheckpoint(SESSION, "user: where is the deploy script?\nassistant: scripts/deploy.sh"), check: hasString("raw_memory_id") },
  getCheckpoint: { run: (api) => api.getCheckpoint(SESSION, "chk_5e9aff3f21eb557249bbfa1fc75d29ee"), check: hasString("capture_status") },
  getContextPack: { run: (api) => api.getContextPack(SESSION, { topic: "deploys", budgetTokens: 512 }), check: (r) => typeof field(r, "rendered") === "string" && typeof field(r, "cursor") === "string" },
  getContextDelta: { run: (api) => api.getContextDelta(SESSION, "ctxc_1", { budgetTokens: 512 }), check: (r) => typeof field(r, "has_more") === "boolean" },
  // workspaces
  listWorkspaces: { run: (api) => api.listWorkspaces({ tags: ["core"], match: "any" }), check: isListOf("name") },
  deleteWorkspace: { run: (api) => api.deleteWorkspace(WORKSPACE), check: isVoid },
  exportWorkspace: {
    run: (api) => api.exportWorkspace(WORKSPACE, { limit: 10, includeAssociations: true }),
    check: (r) => Array.isArray(r) && r.length > 0 && r.every((record) => typeof field(record, "type") === "string")
  },
  importWorkspace: {
    run: (api) => api.importWorkspace(WORKSPACE, { exported_at: "2026-11-26T06:12:27Z", workspace_id: "ws-source", memories: [exportRecords[1].data], associations: [] }),
    check: hasNumber("imported")
  },
  createContext: { run: (api) => api.createContext(WORKSPACE, "project-alpha", { description: "The alpha project" }), check: hasString("name") },
  listContexts: { run: (api) => api.listContexts(WORKSPACE), check: isListOf("name") },
  deleteContext: { run: (api) => api.deleteContext("ctx_0123456789abcdef", WORKSPACE), check: isVoid },
  // tokens
  tokensList: { run: (api) => api.tokens.list({ includeRevoked: true }), check: isListOf("id") },
  tokensCreate: { run: (api) => api.tokens.create("ci-bot", { scopes: ["memories:read"], expiresInDays: 30 }), check: hasString("token") },
  tokensGet: { run: (api) => api.tokens.get("tok_1"), check: hasString("name") },
  tokensDelete: { run: (api) => api.tokens.delete("tok_1"), check: isVoid },
  tokensRevoke: { run: (api) => api.tokens.revoke("tok_1"), check: isVoid },
  // entities
  entitiesList: { run: (api) => api.entities.list({ status: "active", limit: 10 }), check: isListOf("canonical_name") },
  entitiesResolve: { run: (api) => api.entities.resolve("AJ", { entityType: "person" }), check: hasString("matched_via") },
  entitiesMerge: { run: (api) => api.entities.merge("ent_source", "ent_target", { reason: "same person" }), check: hasString("canonical_name") },
  entitiesBackfill: { run: (api) => api.entities.backfill({ batchSize: 100 }), check: hasNumber("scanned") },
  entitiesSeed: {
    run: (api) => api.entities.seed([{ name: "Alice Johnson", entity_type: "person", aliases: ["AJ"] }], { workspaceId: WORKSPACE }),
    check: hasNumber("seeded")
  },
  entitiesEnrich: { run: (api) => api.entities.enrich({ types: "org,person", limit: 10 }), check: hasNumber("checked") },
  entitiesDedupe: { run: (api) => api.entities.dedupe({ threshold: 0.9 }), check: hasNumber("clusters") },
  entitiesGet: { run: (api) => api.entities.get("ent_1"), check: hasString("canonical_name") },
  entitiesGetProvenance: { run: (api) => api.entities.getProvenance("ent_1"), check: hasString("origin") },
  entitiesListRelated: { run: (api) => api.entities.listRelated("ent_1", { limit: 5 }), check: hasArray("related") },
  entitiesDerive: { run: (api) => api.entities.derive("alice", { force: true }), check: hasArray("insights") },
  entitiesGetCard: { run: (api) => api.entities.getCard("alice"), check: hasString("reflection") },
  entitiesListInsights: { run: (api) => api.entities.listInsights("alice", { limit: 5 }), check: hasArray("insights") },
  // contradictions
  contradictionsList: { run: (api) => api.contradictions.list(WORKSPACE, { limit: 5 }), check: hasArray("contradictions") },
  contradictionsResolve: { run: (api) => api.contradictions.resolve("contra_1", "keep_a", { workspaceId: WORKSPACE }), check: hasString("resolution") },
  contradictionsScan: { run: (api) => api.contradictions.scan(WORKSPACE, { batchSize: 50 }), check: hasNumber("contradictions_found") },
  // audit
  auditListEvents: { run: (api) => api.audit.listEvents({ since: "2026-11-01T00:00:00Z", limit: 10 }), check: hasArray("events") },
  auditGetSummary: { run: (api) => api.audit.getSummary({ since: "2026-11-01T00:00:00Z" }), check: hasNumber("total") },
  // representation
  representationGet: { run: (api) => api.representation.get("Alice Johnson", "Acme", { subjectType: "concept", limit: 5 }), check: hasArray("observations") },
  representationGetForUser: { run: (api) => api.representation.getForUser({ userId: "u1" }), check: hasArray("observations") },
  // refinement records
  refinementRecordsCreate: {
    run: (api) =>
      api.refinementRecords.create({
        key: "ref/one",
        refinementId: "rf-1",
        phase: "proposal",
        trigger: "user_feedback",
        scope: "workspace",
        summary: "Make answers shorter",
        rationale: "User asked twice",
        expectedOutcome: "Shorter answers",
        evidence: [{ kind: "user_instruction", reference: "msg-1", description: "be brief" }],
        edits: [{ action: "replace", resource_kind: "prompt_note", resource_key: "style", reason: "shorter", content: { text: "be brief" } }],
        outcome: "proposed"
      }),
    check: (r) => hasString("etag")(field(r, "record")) && typeof field(r, "replayed") === "boolean"
  },
  refinementRecordsList: { run: (api) => api.refinementRecords.list({ limit: 10, phase: ["proposal"] }), check: hasArray("records") },
  refinementRecordsGet: { run: (api) => api.refinementRecords.get("vrs_ff12c8a9c5b94719"), check: (r) => hasString("key")(field(r, "record")) },
  // ingest
  ingestEmail: {
    run: (api) => api.ingest.email("alice@example.com", "The quarterly review is moved to Friday.", { subject: "Review", to: ["bob@example.com"] }),
    check: (r) => hasString("content")(field(r, "memory"))
  },
  // graph
  graphGetSnapshot: { run: (api) => api.graph.getSnapshot({ workspaceId: WORKSPACE }), check: hasNumber("node_count") },
  graphPreviewDensify: { run: (api) => api.graph.previewDensify({ workspaceId: WORKSPACE, cosineThreshold: 0.82 }), check: (r) => isObject(field(r, "baseline")) },
  graphListCommunities: { run: (api) => api.graph.listCommunities({ workspaceId: WORKSPACE }), check: Array.isArray },
  graphGetCentrality: { run: (api) => api.graph.getCentrality({ workspaceId: WORKSPACE }), check: Array.isArray },
  graphListBridges: { run: (api) => api.graph.listBridges({ workspaceId: WORKSPACE }), check: Array.isArray },
  graphGetStats: { run: (api) => api.graph.getStats({ workspaceId: WORKSPACE }), check: hasNumber("density") },
  graphAnalyze: { run: (api) => api.graph.analyze({ workspaceId: WORKSPACE }), check: (r) => isObject(field(r, "stats")) }
}

/** The export records above, for tests that import them. */
export const coreExportRecords = exportRecords
