/**
 * Public types: the API's objects (snake_case, as the server sends them) and
 * the options object of every method (camelCase, as TypeScript reads).
 *
 * @module
 */
import type * as Schema from "effect/Schema"
import type {
  AssociationCreateRequest,
  CommitOptions,
  ContextExecuteRequest,
  ContextInjectRequest,
  ContextInspectInput,
  ContextLoadRequest,
  ContextQueryRequest,
  ContextRLMRequest,
  GetAssociationsInput,
  GetBriefingInput,
  MemoryCreateRequest,
  MemoryDecayRequest,
  MemoryRecallRequest,
  MemoryReflectRequest,
  MemoryTraverseRequest,
  MemoryUpdateRequest,
  SessionCreateRequest,
  TouchSessionInput,
  WorkingMemorySetRequest,
  WorkspaceCreateRequest,
  WorkspaceUpdateRequest
} from "../generated/schemas.gen.ts"
import type * as Api from "../generated/schemas.gen.ts"
import type { CamelFields } from "./fields.ts"
import type { CallOptions } from "./options.ts"

/** A typed link between two memories. */
export type Association = Api.Association

/** A `create` operation of `batchMemories`. */
export type BatchCreateOp = Api.BatchCreateOp

/** A `delete` operation of `batchMemories`. */
export type BatchDeleteOp = Api.BatchDeleteOp

/** What `batchMemories` returns: counts and one result per operation. */
export type BatchOperationResponse = Api.BatchOperationResponse

/** The outcome of one operation of `batchMemories`. */
export type BatchOperationResult = Api.BatchOperationResult

/** An `update` operation of `batchMemories`. */
export type BatchUpdateOp = Api.BatchUpdateOp

/** What `commitSession` returns: how many memories were extracted, deduplicated and created. */
export type CommitResponse = Api.CommitResponse

/** What `contextExec` returns: output, result and changed variables, or `error`. */
export type ContextExecuteResponse = Api.ContextExecuteResponse

/** What `contextInject` returns: the variable set and a preview, or `error`. */
export type ContextInjectResponse = Api.ContextInjectResponse

/** What `contextInspect` returns: one variable, or a summary of all of them. */
export type ContextInspectResponse = Api.ContextInspectResponse

/** What `contextLoad` returns: how many memories were loaded into the variable. */
export type ContextLoadResponse = Api.ContextLoadResponse

/** What `contextQuery` returns: the LLM's answer, or `error`. */
export type ContextQueryResponse = Api.ContextQueryResponse

/** What `contextRlm` returns: result, iterations and a trace of each step. */
export type ContextRLMResponse = Api.ContextRLMResponse

/** What `contextStatus` returns: whether the sandbox exists, its variables and size. */
export type ContextStatusResponse = Api.ContextStatusResponse

/** One path of associations found by `traceMemory`. */
export type GraphPath = Api.GraphPath

/** What `traceMemory` returns: the paths of associations leading from the memory. */
export type GraphQueryResult = Api.GraphQueryResult

/** A memory as the server returns it (snake_case fields, every field present). */
export type Memory = Api.Memory

/** What `recall` returns: the memories found, ranked, with search diagnostics. */
export type RecallResult = Api.RecallResult

/** What `reflect` returns: the synthesis and the ids of the memories it drew on. */
export type ReflectResult = Api.ReflectResult

/** A working-memory session. */
export type Session = Api.Session

/** What `getBriefing` returns: a summary of recent activity in the workspace. */
export type SessionBriefing = Api.SessionBriefing

/** What `touchSession` returns: the new expiry time. */
export type TouchSessionResponse = Api.TouchSessionResponse

/** A session's working memory: key -> JSON value. */
export type WorkingMemory = Api.WorkingMemory

/** An isolated memory store. */
export type Workspace = Api.Workspace

/** What `getWorkspaceSchema` returns: the relationship types and memory subtypes the workspace accepts. */
export type WorkspaceSchema = Api.WorkspaceSchema

/** A relationship name of the server's ontology, e.g. `"solved_by"` (see the `RelationshipType` enum). */
export type Relationship = Api.RelationshipType

/** A JSON value, as stored in `metadata`, working memory and sandbox variables. */
export type Json = Schema.Json

type Query<T> = NonNullable<T>

/** Options of `remember`. `spaceId` is the documented name of the server's `context_id`. */
export type RememberOptions =
  & CamelFields<
    MemoryCreateRequest,
    "type" | "subtype" | "importance" | "tags" | "metadata" | "context_id" | "user_id" | "observer_id" | "subject_id" | "pinned" | "associations" | "workspace_id" | "scope"
  >
  & { readonly spaceId?: string | undefined }
  & CallOptions

/** Options of `recall`. */
export type RecallOptions =
  & CamelFields<
    MemoryRecallRequest,
    | "types"
    | "subtypes"
    | "tags"
    | "mode"
    | "limit"
    | "min_relevance"
    | "recency_weight"
    | "tolerance"
    | "include_associations"
    | "traverse_depth"
    | "max_expansion"
    | "offset"
    | "include_embeddings"
    | "context_id"
    | "workspace_id"
  >
  & CallOptions

/** Options of `reflect`. */
export type ReflectOptions =
  & CamelFields<
    MemoryReflectRequest,
    "max_tokens" | "include_sources" | "detail_level" | "depth" | "types" | "subtypes" | "tags" | "context_id" | "workspace_id"
  >
  & CallOptions

/** Options of `updateMemory`. */
export type UpdateMemoryOptions =
  & CamelFields<MemoryUpdateRequest, "content" | "importance" | "tags" | "metadata" | "type" | "subtype" | "pinned">
  & CallOptions

/** Options of `forget`. */
export type ForgetOptions = { readonly hard?: boolean | undefined } & CallOptions

/** Options of `decay`. */
export type DecayOptions = CamelFields<MemoryDecayRequest, "decay_rate"> & CallOptions

/** Options of `traceMemory`: how far and along which links to walk. */
export type TraceMemoryOptions =
  & CamelFields<MemoryTraverseRequest, "max_depth" | "relationship_types" | "direction" | "min_strength" | "workspace_id">
  & CallOptions

/** One operation of `batchMemories`, told apart by `op`. */
export type BatchOperation = BatchCreateOp | BatchUpdateOp | BatchDeleteOp

/** Options of `associate`. */
export type AssociateOptions = CamelFields<AssociationCreateRequest, "strength" | "metadata" | "workspace_id"> & CallOptions

/** Options of `getAssociations`. */
export type GetAssociationsOptions = CamelFields<Query<GetAssociationsInput["query"]>, "direction"> & CallOptions

/** Options of `createSession`. */
export type CreateSessionOptions =
  & CamelFields<SessionCreateRequest, "ttl_seconds" | "workspace_id" | "context_id" | "session_id" | "metadata" | "working_memory">
  & {
    /** Make the new session the active one, sent as `X-Session-ID` on later calls. Default `true`. */
    readonly autoSetSession?: boolean | undefined
  }
  & CallOptions

/** Options of `setContext`. */
export type SetContextOptions = CamelFields<WorkingMemorySetRequest, "ttl_seconds"> & CallOptions

/** Options of `commitSession`. */
export type CommitSessionOptions =
  & CamelFields<CommitOptions, "min_importance" | "deduplicate" | "categories" | "max_memories">
  & CallOptions

/** Options of `touchSession`. */
export type TouchSessionOptions = CamelFields<Query<TouchSessionInput["query"]>, "extend_seconds"> & CallOptions

/** Options of `createWorkspace`. */
export type CreateWorkspaceOptions = CamelFields<WorkspaceCreateRequest, "id" | "settings" | "tags"> & CallOptions

/** Options of `updateWorkspace`. */
export type UpdateWorkspaceOptions = CamelFields<WorkspaceUpdateRequest, "name" | "settings" | "tags"> & CallOptions

/**
 * Options of `getBriefing`. `lookbackHours` (documented, default 24) and
 * `lookbackMinutes` (the server's own unit) set the same window; give one.
 */
export type GetBriefingOptions =
  & CamelFields<
    Query<GetBriefingInput["query"]>,
    "lookback_minutes" | "detail_level" | "limit" | "include_memories" | "include_contradictions" | "workspace_id"
  >
  & { readonly lookbackHours?: number | undefined }
  & CallOptions

/** Options of `contextExec`. */
export type ContextExecOptions =
  & CamelFields<ContextExecuteRequest, "result_var" | "return_result" | "max_return_chars">
  & CallOptions

/** Options of `contextInspect`. */
export type ContextInspectOptions = CamelFields<Query<ContextInspectInput["query"]>, "variable" | "preview_chars"> & CallOptions

/** Options of `contextLoad`. */
export type ContextLoadOptions =
  & CamelFields<ContextLoadRequest, "limit" | "types" | "tags" | "min_relevance" | "include_embeddings">
  & CallOptions

/** Options of `contextInject`. */
export type ContextInjectOptions = CamelFields<ContextInjectRequest, "parse_json"> & CallOptions

/** Options of `contextQuery`. */
export type ContextQueryOptions = CamelFields<ContextQueryRequest, "max_context_chars" | "result_var"> & CallOptions

/** Options of `contextRlm`. */
export type ContextRlmOptions =
  & CamelFields<ContextRLMRequest, "memory_query" | "memory_limit" | "max_iterations" | "variables" | "result_var" | "detail_level">
  & CallOptions
