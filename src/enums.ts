/**
 * The API's enumerations, generated from openapi.yaml: `as const` objects
 * with the documented member names, and a string-literal union type of the
 * same name, so `MemoryType.SEMANTIC === "semantic"` and plain strings work.
 *
 * - `MemoryType`: episodic, semantic, procedural, working.
 * - `MemorySubtype`: the server's 18 domain subtypes (solution, problem, fix, ...).
 * - `RecallMode`: rag, llm, hybrid, agentic.
 * - `SearchTolerance`: loose, moderate, strict.
 * - `RelationshipType`: the 85 relationship names of the server's ontology.
 * - `AssociationDirection`: outgoing, incoming, both.
 *
 * @example
 * ```ts
 * import { RelationshipType } from "memorylayer-client"
 * await client.associate(problem.id, fix.id, RelationshipType.SOLVED_BY)
 * ```
 *
 * @module
 */
export { AssociationDirection, MemorySubtype, MemoryType, RecallMode, RelationshipType, SearchTolerance } from "../generated/api/types.gen.ts"
