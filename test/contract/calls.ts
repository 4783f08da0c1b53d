/**
 * One valid call of every HTTP operation, written once and run through both
 * faces: the Promise client and the Effect service have the same methods.
 */
import type { OperationId } from "../../generated/operations.gen.ts"
import type { MemoryLayerClient } from "../../src/index.ts"
import type { MemoryLayerService } from "../../src/effect.ts"
import { contentCalls } from "./calls-content.ts"
import { toolsCalls } from "./calls-tools.ts"
import { coreCalls } from "./calls-core.ts"

/** Either face of the SDK. */
export type Face = MemoryLayerClient | MemoryLayerService

/** The session the context operations run in (they need one). */
export const SESSION_ID = "sess_contract"

/** A call of each operation with typical arguments, and what its result must look like. */
export const calls: Partial<Record<OperationId, { readonly run: (api: Face) => unknown; readonly check: (result: unknown) => boolean }>> = {
  remember: { run: (api) => api.remember("The deploy script lives in scripts/deploy.sh", { type: "procedural", importance: 0.8, tags: ["deploy"] }), check: isMemory },
  recall: { run: (api) => api.recall("how do I deploy?", { limit: 5, minRelevance: 0.2, types: ["procedural"] }), check: (r) => Array.isArray(field(r, "memories")) },
  reflect: { run: (api) => api.reflect("what do we know about deploys?", { maxTokens: 200 }), check: (r) => typeof field(r, "reflection") === "string" },
  getMemory: { run: (api) => api.getMemory("mem_e73ad5e6be624b5b"), check: isMemory },
  updateMemory: { run: (api) => api.updateMemory("mem_e73ad5e6be624b5b", { importance: 0.9, tags: ["deploy", "ops"] }), check: isMemory },
  forget: { run: (api) => api.forget("mem_e73ad5e6be624b5b", { hard: true }), check: (r) => r === true },
  decay: { run: (api) => api.decay("mem_e73ad5e6be624b5b", { decayRate: 0.2 }), check: isMemory },
  traceMemory: { run: (api) => api.traceMemory("mem_e73ad5e6be624b5b", { maxDepth: 2, direction: "outgoing" }), check: (r) => Array.isArray(field(r, "paths")) },
  batchMemories: {
    run: (api) =>
      api.batchMemories([
        { op: "create", content: "Batch-created memory", importance: 0.4 },
        { op: "update", memory_id: "mem_e73ad5e6be624b5b", tags: ["batch"] },
        { op: "delete", memory_id: "mem_fb1d60afcded407f" }
      ]),
    check: (r) => typeof field(r, "total_operations") === "number"
  },
  associate: { run: (api) => api.associate("mem_8c00c5ec06dd4107", "mem_fb1d60afcded407f", "depends_on", { strength: 0.9 }), check: (r) => typeof field(r, "relationship") === "string" },
  getAssociations: { run: (api) => api.getAssociations("mem_8c00c5ec06dd4107", { direction: "outgoing" }), check: Array.isArray },
  createSession: { run: (api) => api.createSession({ ttlSeconds: 600, workspaceId: "ws-contract", autoSetSession: false }), check: isSession },
  getSession: { run: (api) => api.getSession(SESSION_ID), check: isSession },
  deleteSession: { run: (api) => api.deleteSession("sess_other"), check: (r) => r === true },
  setContext: { run: (api) => api.setContext(SESSION_ID, "current_file", { path: "src/index.ts", line: 42 }, { ttlSeconds: 120 }), check: (r) => r === undefined },
  getContext: { run: (api) => api.getContext(SESSION_ID), check: (r) => typeof r === "object" && r !== null },
  commitSession: { run: (api) => api.commitSession(SESSION_ID, { minImportance: 0.3, maxMemories: 10 }), check: (r) => typeof field(r, "memories_created") === "number" },
  touchSession: { run: (api) => api.touchSession(SESSION_ID, { extendSeconds: 600 }), check: (r) => typeof field(r, "expires_at") === "string" },
  getBriefing: { run: (api) => api.getBriefing({ lookbackHours: 2 }), check: (r) => typeof field(r, "workspace_summary") === "object" },
  createWorkspace: { run: (api) => api.createWorkspace("SDK Test Workspace", { tags: ["sdk"] }), check: isWorkspace },
  getWorkspace: { run: (api) => api.getWorkspace("ws-created"), check: isWorkspace },
  updateWorkspace: { run: (api) => api.updateWorkspace("ws-created", { name: "Renamed", settings: { decay_enabled: true } }), check: isWorkspace },
  getWorkspaceSchema: { run: (api) => api.getWorkspaceSchema("ws-created"), check: (r) => Array.isArray(field(r, "relationship_types")) },
  contextExec: { run: (api) => api.contextExec("x = 1 + 2", { resultVar: "x" }), check: (r) => typeof r === "object" && r !== null },
  contextInspect: { run: (api) => api.contextInspect({ variable: "x", previewChars: 50 }), check: (r) => typeof r === "object" && r !== null },
  contextLoad: { run: (api) => api.contextLoad("mems", "deploy script", { limit: 5 }), check: (r) => typeof r === "object" && r !== null },
  contextInject: { run: (api) => api.contextInject("cfg", "{\"a\": 1}", { parseJson: true }), check: (r) => typeof r === "object" && r !== null },
  contextQuery: { run: (api) => api.contextQuery("What is x?", ["x"], { maxContextChars: 1000 }), check: (r) => typeof r === "object" && r !== null },
  contextRlm: { run: (api) => api.contextRlm("Summarize the deploy memories", { maxIterations: 2, detailLevel: "minimal" }), check: (r) => typeof r === "object" && r !== null },
  contextStatus: { run: (api) => api.contextStatus(), check: (r) => typeof field(r, "exists") === "boolean" },
  contextCheckpoint: { run: (api) => api.contextCheckpoint(), check: (r) => r === undefined },
  contextCleanup: { run: (api) => api.contextCleanup(), check: (r) => r === undefined },
  ...contentCalls,
  ...toolsCalls,
  ...coreCalls
}

/** The operations that have a call here. */
export const covered = (Object.keys(calls) as Array<OperationId>).filter((id) => calls[id] !== undefined)

/** The call of operation `id`; every id of `covered` has one. */
export const callOf = (id: OperationId): NonNullable<(typeof calls)[OperationId]> => {
  const call = calls[id]
  if (call === undefined) throw new Error(`test/contract/calls.ts has no call of ${id}`)
  return call
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined
}

function isMemory(value: unknown): boolean {
  return typeof field(value, "id") === "string" && typeof field(value, "content") === "string"
}

function isSession(value: unknown): boolean {
  return typeof field(value, "id") === "string" && typeof field(value, "expires_at") === "string"
}

function isWorkspace(value: unknown): boolean {
  return typeof field(value, "id") === "string" && typeof field(value, "name") === "string"
}
