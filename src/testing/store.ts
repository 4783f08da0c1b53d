/**
 * The state of one test double: workspaces, memories, associations,
 * sessions with their working memory and sandboxes, and the log of requests
 * served. The handlers read and change it; `TestServer` shows copies of it.
 *
 * @module
 */
import type { Association, Json, Memory, Session, Workspace } from "../types.ts"
import { type IdSource, isoTime } from "./ids.ts"
import type { PyValue } from "./python-values.ts"

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** A memory as stored; answers are copies of it. */
export type MemoryRecord = Mutable<Memory>
/** An association as stored. */
export type AssociationRecord = Mutable<Association>
/** A workspace as stored. */
export type WorkspaceRecord = Mutable<Workspace>

/** One key of a session's working memory. */
export interface WorkingEntry {
  readonly value: Json
  readonly ttl_seconds: number | null
  readonly created_at: string
  readonly updated_at: string
}

/** A session's sandbox: its variables and the counters contextStatus reports. */
export interface Sandbox {
  readonly variables: Map<string, PyValue>
  readonly createdAt: Date
  execCount: number
  totalOperations: number
  lastExecAt: Date | null
}

/** A session, its working memory and its sandbox. */
export interface SessionRecord {
  session: Mutable<Session>
  readonly working: Map<string, WorkingEntry>
  sandbox: Sandbox | undefined
}

/**
 * One request the double answered, as `TestServer.requests()` lists it.
 *
 * @example
 * ```ts
 * const [first] = server.requests()
 * first?.operationId // "remember"
 * first?.status // 201
 * ```
 */
export interface RequestRecord {
  /** The contract operation, or `undefined` for a route the contract does not have. */
  readonly operationId: string | undefined
  /** The HTTP method, e.g. `"POST"`. */
  readonly method: string
  /** Path and query string, e.g. `/v1/memories/mem_0123456789abcdef?include_deleted=true`. */
  readonly path: string
  /** The status the server answered with. */
  readonly status: number
  /** The `X-Session-ID` header the request carried. */
  readonly sessionId: string | undefined
  /** The `X-Workspace-ID` header the request carried. */
  readonly workspaceId: string | undefined
}

/** The workspace every server starts with. */
export const DEFAULT_WORKSPACE = "_default"

/** Everything one double holds. */
export class Store {
  readonly workspaces = new Map<string, WorkspaceRecord>()
  readonly memories = new Map<string, MemoryRecord>()
  readonly associations = new Map<string, AssociationRecord>()
  readonly sessions = new Map<string, SessionRecord>()
  readonly requests: Array<RequestRecord> = []

  readonly ids: IdSource
  readonly now: () => Date

  constructor(ids: IdSource, now: () => Date) {
    this.ids = ids
    this.now = now
    this.reset()
  }

  /** Back to a fresh server: only the `_default` workspace, nothing else. */
  reset(): void {
    this.workspaces.clear()
    this.memories.clear()
    this.associations.clear()
    this.sessions.clear()
    this.requests.length = 0
    const at = isoTime(this.now())
    this.workspaces.set(DEFAULT_WORKSPACE, {
      id: DEFAULT_WORKSPACE,
      tenant_id: "_default",
      name: "Default Workspace",
      settings: {},
      tags: [],
      created_at: at,
      updated_at: at
    })
  }

  /** The session named `id` if it exists and has not expired at `now`. */
  liveSession(id: string | undefined, now: Date): SessionRecord | undefined {
    if (id === undefined) return undefined
    const record = this.sessions.get(id)
    return record !== undefined && Date.parse(record.session.expires_at) > now.getTime() ? record : undefined
  }

  /** The workspace `id`, created (named after its id) when missing, as a write does on the server. */
  ensureWorkspace(id: string, now: Date): WorkspaceRecord {
    let workspace = this.workspaces.get(id)
    if (workspace === undefined) {
      const at = isoTime(now)
      workspace = { id, tenant_id: "_default", name: id, settings: {}, tags: [], created_at: at, updated_at: at }
      this.workspaces.set(id, workspace)
    }
    return workspace
  }

  /** A live (not soft-deleted) memory by id, in any workspace. */
  liveMemory(id: string): MemoryRecord | undefined {
    const memory = this.memories.get(id)
    return memory === undefined || memory.deleted_at !== null ? undefined : memory
  }
}
