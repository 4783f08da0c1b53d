/**
 * The few methods with real client-side logic, named by `x-sdk.hook` in
 * openapi.yaml. Everything else about a method is data in the operations
 * table.
 *
 * @module
 */
import type { RequestInput } from "./bind.ts"
import type { ValidationIssue } from "./errors.ts"

/** Client-side logic around one operation. */
export interface Hook {
  /** Adjusts the bound request before it is validated; returns the broken rules, if any. */
  readonly prepare?: (input: RequestInput, client: Readonly<Record<string, unknown>>) => ReadonlyArray<ValidationIssue>
  /**
   * As `prepare`, for a hook that must wait (to read the caller's records,
   * to hash): its calls run in Effect from the start, and it runs once.
   */
  readonly prepareAsync?: (input: RequestInput, client: Readonly<Record<string, unknown>>) => Promise<ReadonlyArray<ValidationIssue>>
  /** Shapes the decoded answer into what the method returns. */
  readonly finish?: (result: unknown, client: Readonly<Record<string, unknown>>) => unknown
}

/** The documented briefing window, in hours. */
const BRIEFING_DEFAULT_HOURS = 24

/**
 * `getBriefing({ lookbackHours })`: the documented window is in hours
 * (default 24); the server reads `lookback_minutes` (default 60), so hours
 * are sent as whole minutes. `lookbackMinutes` is taken as is.
 */
const getBriefing: Hook = {
  prepare: (input, client) => {
    const hours = client["lookbackHours"]
    const query = (input.query ??= {})
    if (hours !== undefined && query["lookback_minutes"] !== undefined) {
      return [{ path: ["options", "lookbackHours"], message: "give lookbackHours or lookbackMinutes, not both" }]
    }
    if (query["lookback_minutes"] === undefined) {
      const window = hours ?? BRIEFING_DEFAULT_HOURS
      // A value that is not a number is left for validation to name.
      input.query = { lookback_minutes: typeof window === "number" ? Math.round(window * 60) : window, ...query }
    }
    return []
  }
}

/**
 * `getContext(sessionId, keys)`: the server returns one key or all of them;
 * the documented method takes a list, so every key is read and the requested
 * ones that exist are returned (all of them when `keys` is omitted or empty).
 */
const getContext: Hook = {
  prepare: (_input, client) => {
    const keys = client["keys"]
    return keys === undefined || (Array.isArray(keys) && keys.every((k) => typeof k === "string"))
      ? []
      : [{ path: ["keys"], message: "must be an array of strings" }]
  },
  finish: (result, client) => {
    const keys = client["keys"] as ReadonlyArray<string> | undefined
    if (keys === undefined || keys.length === 0) return result
    const all = result as Readonly<Record<string, unknown>>
    return Object.fromEntries(keys.filter((key) => Object.hasOwn(all, key)).map((key) => [key, all[key]]))
  }
}

/**
 * The records of an export, from an array or any (async) iterable (an Effect
 * `Stream` goes through `Stream.toAsyncIterable`).
 */
const recordsOf = (value: unknown): AsyncIterable<unknown> | Iterable<unknown> | undefined =>
  typeof value === "object" && value !== null && (Symbol.asyncIterator in value || Symbol.iterator in value)
    ? (value as AsyncIterable<unknown>)
    : undefined

/**
 * `importWorkspaceStream(workspaceId, records)`: the records of an export
 * (as `exportWorkspace` yields them: header, memories, associations, footer)
 * become the JSON envelope the import takes. memorylayer-server 0.2.0 refuses
 * NDJSON uploads, so they are gathered first rather than streamed up.
 */
const importWorkspaceRecords: Hook = {
  prepareAsync: async (input, client) => {
    const records = recordsOf(client["records"])
    if (records === undefined) return [{ path: ["records"], message: "must be an array, an iterable or an AsyncIterable of export records (a Stream: Stream.toAsyncIterable)" }]
    let header: Readonly<Record<string, unknown>> | undefined
    const memories: Array<unknown> = []
    const associations: Array<unknown> = []
    for await (const record of records as AsyncIterable<unknown>) {
      const { type, data } = (record ?? {}) as { readonly type?: unknown; readonly data?: unknown }
      if (type === "header") header = record as Readonly<Record<string, unknown>>
      else if (type === "memory") memories.push(data)
      else if (type === "association") associations.push(data)
    }
    input.body = {
      data: {
        version: header?.["version"] ?? "1.0",
        exported_at: header?.["exported_at"] ?? new Date().toISOString(),
        workspace_id: header?.["workspace_id"] ?? input.path?.["workspace_id"],
        memories,
        associations
      }
    }
    return []
  }
}

/**
 * `views.putObservation`: the time of the observation is fixed once per call
 * (when the caller gives none), so every retry sends the same request and the
 * server replays it instead of refusing the reused key; without `ifMatch` the
 * write is a create (`If-None-Match: *`).
 */
const stampObservedAt: Hook = {
  prepare: (input) => {
    const body = (input.body ??= {})
    if (body["observed_at"] === undefined) body["observed_at"] = new Date().toISOString()
    // A caller's own If-None-Match is kept (and checked), not replaced.
    if (input.headers?.["If-Match"] === undefined && input.headers?.["If-None-Match"] === undefined) input.headers = { ...input.headers, "If-None-Match": "*" }
    return []
  }
}

/**
 * `remember(content, { logicalKey })`: the server stores a keyed memory only
 * as a conditional create, with `Idempotency-Key` and `If-None-Match: *`, so
 * both are sent (a new key per call unless the caller gives one). Without a
 * logical key they are not sent: either header turns a plain remember into
 * that create, which the server then refuses for lack of a key.
 */
const keyedCreate: Hook = {
  prepare: (input) => {
    const logicalKey = input.body?.["logical_key"]
    const given = input.headers?.["Idempotency-Key"]
    if (logicalKey === undefined || logicalKey === null) {
      return given === undefined ? [] : [{ path: ["options", "idempotencyKey"], message: "only applies to a keyed create: give logicalKey too" }]
    }
    input.headers = { ...input.headers, "Idempotency-Key": given ?? crypto.randomUUID(), "If-None-Match": "*" }
    return []
  }
}

/** The SHA-256 of `text`'s UTF-8 bytes, as lower-case hex. */
const sha256Hex = async (text: string): Promise<string> => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("")
}

/**
 * `createCheckpoint(sessionId, segment)`: the server checks the segment
 * against its SHA-256 and deduplicates captures by key, so the hash is
 * computed here and a key made once per call (its retries then replay the
 * first capture) unless the caller gives them.
 */
const checkpointCapture: Hook = {
  prepareAsync: async (input) => {
    const body = (input.body ??= {})
    const segment = body["transcript_segment"]
    // A segment that is not a string is left for validation to name.
    if (body["content_hash"] === undefined && typeof segment === "string") body["content_hash"] = await sha256Hex(segment)
    if (body["idempotency_key"] === undefined) body["idempotency_key"] = crypto.randomUUID()
    return []
  }
}

/** The hooks by the name `x-sdk.hook` gives them. */
export const hooks: Readonly<Record<string, Hook>> = { checkpointCapture, getBriefing, getContext, importWorkspaceRecords, keyedCreate, stampObservedAt }
