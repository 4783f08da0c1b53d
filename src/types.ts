/**
 * Public types: the API's objects (snake_case, as the server sends them) and
 * the options object of every method (camelCase, as TypeScript reads), all
 * generated from openapi.yaml with their documentation, plus two names of
 * the documented client.
 *
 * @module
 */
import type { BatchCreateOp, BatchDeleteOp, BatchUpdateOp } from "../generated/types.gen.ts"
import type { RelationshipType } from "../generated/api/types.gen.ts"

export type * from "../generated/types.gen.ts"

/** One operation of `batchMemories`, told apart by `op`. */
export type BatchOperation = BatchCreateOp | BatchUpdateOp | BatchDeleteOp

/** A relationship name of the server's ontology, e.g. `"solved_by"` (see the `RelationshipType` enum). */
export type Relationship = RelationshipType
