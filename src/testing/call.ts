/**
 * What a handler of the test double gets and gives: the validated input of
 * one operation (typed from the contract's generated schemas), the headers
 * that matter, the time of the request; and the contract's answer type, so
 * that the compiler checks every answer the double builds.
 *
 * @module
 */
import type { operationSchemas } from "../../generated/schemas.gen.ts"
import { DEFAULT_WORKSPACE, type Store } from "./store.ts"

/** The operations of the seed (the documented Python client) that the double serves. */
export const SEED_OPERATIONS = [
  "remember", "recall", "reflect", "batchMemories", "getMemory", "updateMemory", "forget", "decay", "traceMemory",
  "associate", "getAssociations",
  "createSession", "getSession", "deleteSession", "setContext", "getContext", "commitSession", "touchSession", "getBriefing",
  "createWorkspace", "getWorkspace", "updateWorkspace", "getWorkspaceSchema",
  "contextExec", "contextInspect", "contextLoad", "contextInject", "contextQuery", "contextRlm", "contextStatus",
  "contextCheckpoint", "contextCleanup"
] as const satisfies ReadonlyArray<keyof typeof operationSchemas>

/** One of the seed's operations. */
export type SeedOperationId = (typeof SEED_OPERATIONS)[number]

type Schemas = typeof operationSchemas

/** The validated input of operation `Id`: `{ path?, query?, body? }` as the contract names the fields. */
export type InputOf<Id extends SeedOperationId> = Schemas[Id]["input"]["Type"]

/** The success body of operation `Id`, or `void` for a 204. */
export type OutputOf<Id extends SeedOperationId> = Schemas[Id]["output"] extends { readonly Type: infer T } ? T : void

/** One request, as a handler sees it. */
export interface Call<Id extends SeedOperationId> {
  readonly input: InputOf<Id>
  /** `X-Session-ID`, when sent. */
  readonly sessionId: string | undefined
  /** `X-Workspace-ID`, when sent. */
  readonly workspaceId: string | undefined
  /** The double's clock, read once per request. */
  readonly now: Date
  /** Every header of the request. */
  readonly headers: Headers
}

/** Serves operation `Id`: returns its success body, or throws an {@link HttpFailure}. */
export type Handler<Id extends SeedOperationId> = (store: Store, call: Call<Id>) => OutputOf<Id>

/** A handler for every seed operation. */
export type Handlers = { readonly [Id in SeedOperationId]: Handler<Id> }

/** An error answer: its status and the `detail` of its `{"detail": ...}` body. */
export class HttpFailure extends Error {
  readonly status: number
  readonly detail: unknown
  constructor(status: number, detail: unknown) {
    super(typeof detail === "string" ? detail : JSON.stringify(detail))
    this.status = status
    this.detail = detail
  }
}

/**
 * The error answer `status` with `{"detail": detail}`, to throw.
 *
 * @example
 * ```ts
 * throw failure(404, `Memory not found: ${id}`)
 * ```
 */
export const failure = (status: number, detail: unknown): HttpFailure => new HttpFailure(status, detail)

/**
 * The workspace a request acts in, as the server resolves it: the one the
 * request names, else `X-Workspace-ID`, else the live session's, else `_default`.
 */
export const workspaceOf = (store: Store, call: Call<SeedOperationId>, named?: string | null): string =>
  named ?? call.workspaceId ?? store.liveSession(call.sessionId, call.now)?.session.workspace_id ?? DEFAULT_WORKSPACE

/** How long, in seconds, a session lives after it is used or touched without `extend_seconds`. */
export const SESSION_TOUCH_SECONDS = 3600
