/**
 * Associations in the test double: associate, getAssociations and
 * traceMemory (a breadth-first walk of the association graph), with the
 * server's rules: both memories must live in the workspace the request acts
 * in, a repeated link returns the existing one, an unknown memory is a 400
 * for associate and an empty answer for the two reads.
 *
 * @module
 */
import { RelationshipType } from "../enums.ts"
import type { AssociationDirection } from "../types.ts"
import { failure, type Handlers, workspaceOf } from "./call.ts"
import { isoTime } from "./ids.ts"
import { memoryInWorkspace } from "./memories.ts"
import type { AssociationRecord, Store } from "./store.ts"

/** The relationship names associate accepts, in alphabetical order (as the server lists them). */
export const RELATIONSHIP_NAMES: ReadonlyArray<string> = Object.values(RelationshipType).sort()

/** The links of `memoryId` in `workspaceId`, in the given direction, oldest first. */
const linksOf = (store: Store, workspaceId: string, memoryId: string, direction: AssociationDirection): Array<AssociationRecord> =>
  [...store.associations.values()].filter((association) =>
    association.workspace_id === workspaceId &&
    ((direction !== "incoming" && association.source_id === memoryId) || (direction !== "outgoing" && association.target_id === memoryId))
  )

const associate: Handlers["associate"] = (store, call) => {
  const sourceId = call.input.path.memory_id
  const body = call.input.body
  const workspaceId = workspaceOf(store, call, body.workspace_id)
  if (!RELATIONSHIP_NAMES.includes(body.relationship)) {
    throw failure(400, `Invalid relationship type: ${body.relationship}. Valid types: ${RELATIONSHIP_NAMES.join(", ")}`)
  }
  if (memoryInWorkspace(store, sourceId, workspaceId) === undefined) throw failure(400, `Source memory not found: ${sourceId}`)
  if (memoryInWorkspace(store, body.target_id, workspaceId) === undefined) throw failure(400, `Target memory not found: ${body.target_id}`)
  if (sourceId === body.target_id) throw failure(400, "Cannot create self-association")
  const existing = [...store.associations.values()].find((association) =>
    association.workspace_id === workspaceId && association.source_id === sourceId && association.target_id === body.target_id &&
    association.relationship === body.relationship
  )
  if (existing !== undefined) return { association: structuredClone(existing) }
  const association: AssociationRecord = {
    id: store.ids.next("assoc_", 16),
    workspace_id: workspaceId,
    source_id: sourceId,
    target_id: body.target_id,
    relationship: body.relationship,
    strength: body.strength ?? 0.5,
    metadata: { ...body.metadata },
    created_at: isoTime(call.now)
  }
  store.associations.set(association.id, association)
  return { association: structuredClone(association) }
}

const getAssociations: Handlers["getAssociations"] = (store, call) => {
  const associations = linksOf(store, workspaceOf(store, call), call.input.path.memory_id, call.input.query?.direction ?? "both")
    .map((association) => structuredClone(association))
  return { associations, total_count: associations.length }
}

/**
 * Walks from the memory breadth-first, up to `max_depth` hops, following each
 * association once and never returning to a memory already reached. Each
 * association followed is one path: the memories from the start to the one
 * it reached, and (as server 0.2.0 reports it) that last association alone.
 */
const traceMemory: Handlers["traceMemory"] = (store, call) => {
  const start = call.input.path.memory_id
  const body = call.input.body
  const workspaceId = workspaceOf(store, call, body.workspace_id)
  const direction = body.direction ?? "both"
  const allowed = body.relationship_types !== undefined && body.relationship_types.length > 0 ? new Set(body.relationship_types) : undefined
  const reached = new Set([start])
  const paths: Array<{ nodes: Array<string>; edges: Array<AssociationRecord>; total_strength: number; depth: number }> = []
  let frontier: Array<ReadonlyArray<string>> = [[start]]
  for (let depth = 1; depth <= (body.max_depth ?? 2) && frontier.length > 0; depth++) {
    const next: Array<ReadonlyArray<string>> = []
    for (const nodes of frontier) {
      const from = nodes[nodes.length - 1] as string
      for (const association of linksOf(store, workspaceId, from, direction)) {
        if (allowed !== undefined && !allowed.has(association.relationship)) continue
        const to = association.source_id === from ? association.target_id : association.source_id
        if (reached.has(to)) continue
        reached.add(to)
        const path = [...nodes, to]
        paths.push({ nodes: path, edges: [structuredClone(association)], total_strength: association.strength, depth })
        next.push(path)
      }
    }
    frontier = next
  }
  return { paths, total_paths: paths.length, unique_nodes: [...reached], query_latency_ms: 0 }
}

/** The association handlers of the double. */
export const graphHandlers = { associate, getAssociations, traceMemory } satisfies Partial<Handlers>
