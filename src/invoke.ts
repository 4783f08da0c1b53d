/**
 * One call of one method, as the methods table describes it: bind the
 * arguments, apply the method's client-side rules (defaults from the client,
 * the key of a write, the etag of a conditional write, a hook, an upload's
 * form), run the operation, and shape the answer into what the method
 * returns. Lists and NDJSON answers also come as Streams. `withResponse`
 * runs a call the same way and keeps the answer it came from.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import type { OperationId } from "../generated/operations.gen.ts"
import { bind, type Bound, type RequestInput, type Row } from "./bind.ts"
import { DecodeError, type ValidationIssue } from "./errors.ts"
import { hooks } from "./hooks.ts"
import { records } from "./records.ts"
import { methodRowOf, type OperationRow, operationRow } from "./rows.ts"
import { answerContext, answeredRequestId, checkInput, checkRecord, type Extras, invalidInput, runOperation, type RunnerContext } from "./runner.ts"
import { isUploadSource, toFormData, type UploadProgress } from "./upload.ts"
import type { WithResponse } from "./with-response.ts"

/** Told the answer of the method's own operation, and the request id sent. */
type OnResponse = NonNullable<Extras["onResponse"]>

/** Stands in for the etag a conditional write reads, while its input is checked before the read. */
const PENDING_ETAG = "\"etag-to-be-read\""

/** What a successful answer becomes: the unwrapped field, `true`, or nothing. */
const shape = (row: Row, answer: unknown): unknown => {
  if (row.result !== undefined) return row.result === "true" ? true : undefined
  if (row.unwrap !== undefined) return (answer as Readonly<Record<string, unknown>>)[row.unwrap]
  return answer
}

/** The value at a dotted path with `[n]` indexes (`revisions[0].observation.etag`). */
const at = (value: unknown, path: string): unknown =>
  path.split(/\.|\[(\d+)\]/).filter((part) => part !== undefined && part !== "").reduce<unknown>(
    (node, key) => (typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined),
    value
  )

/** Calls of the methods of one client. */
export interface Invoker {
  /** One call of method `key` with `args`: succeeds with what the method returns. */
  readonly call: (key: string, args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown>
  /** The checked records of NDJSON method `key`, read as they arrive (the call starts when the Effect runs). */
  readonly records: (key: string, args: ReadonlyArray<unknown>) => Effect.Effect<AsyncIterable<unknown>, unknown>
  /** One call of method `key`: what it returns, with the answer of its operation. */
  readonly withResponse: (key: string, args: ReadonlyArray<unknown>) => Effect.Effect<WithResponse<unknown>, unknown>
}

/** The invoker over one client's runner context. */
export const makeInvoker = (ctx: RunnerContext): Invoker => {
  /** Reads the current etag of the resource a conditional write addresses. */
  const currentEtag = (row: Row, input: RequestInput, options: unknown): Effect.Effect<unknown, unknown> => {
    const etag = row.etag as NonNullable<Row["etag"]>
    // The read lives in the same namespace as the write, so its row is loaded.
    const read = operationRow(etag.read) as OperationRow
    const path = Object.fromEntries((read.pathParams ?? []).map((name) => [name, input.path?.[name]]))
    // The read addresses the resource in the workspace the write names (as a query parameter or a body field).
    const workspace = input.query?.["workspace_id"] ?? input.body?.["workspace_id"]
    const scope = workspace !== undefined && etag.scoped === true ? { workspace_id: workspace } : {}
    const query = { ...scope, ...etag.query }
    const readInput: RequestInput = { path, ...(Object.keys(query).length === 0 ? {} : { query }) }
    const callOptions = typeof options === "object" && options !== null ? options : undefined
    return Effect.map(runOperation(ctx, read, readInput, callOptions as never), (answer) => at(answer, etag.field))
  }

  /** Runs method `row` and succeeds with the answer before shaping (the body stream of a download). */
  const run = (row: Row, args: ReadonlyArray<unknown>, onResponse?: OnResponse): Effect.Effect<{ readonly answer: unknown; readonly bound: Bound }, unknown> =>
    Effect.suspend(() => {
      const bound = bind(row, args)
      const hook = row.hook === undefined ? undefined : hooks[row.hook]
      const issues: Array<ValidationIssue> = [...bound.issues]
      const input = bound.input
      if (row.fromClient !== undefined) {
        for (const [field, source] of Object.entries(row.fromClient)) {
          if (input.path?.[field] !== undefined) continue
          if (source === "workspaceId" && ctx.workspaceId !== undefined) (input.path ??= {})[field] = ctx.workspaceId
          else issues.push({ path: [field], message: "is needed: give it, or set the client's workspaceId" })
        }
      }
      if (row.session === "set" && bound.client["autoSetSession"] !== undefined && typeof bound.client["autoSetSession"] !== "boolean") {
        issues.push({ path: ["options", "autoSetSession"], message: "must be a boolean" })
      }
      if (row.upload !== undefined && !isUploadSource(bound.upload)) {
        issues.push({ path: [row.upload.part], message: "must be a Blob, File, ReadableStream or Uint8Array" })
      }
      const progress = bound.client["onUploadProgress"]
      if (progress !== undefined && typeof progress !== "function") issues.push({ path: ["options", "onUploadProgress"], message: "must be a function" })
      const prepared = hook?.prepare?.(input, bound.client) ?? []
      return Effect.flatMap(
        // A hook that reads the caller's records (importWorkspaceStream) fails with their source's error, not a defect.
        prepared instanceof Promise ? Effect.tryPromise({ try: () => prepared, catch: (cause) => cause }) : Effect.succeed(prepared as ReadonlyArray<ValidationIssue>),
        (hookIssues) => {
          issues.push(...hookIssues)
          if (issues.length > 0) return Effect.fail(invalidInput(row.operationId, issues))
          const info = operationRow(row.operationId) as OperationRow
          const upload = row.upload
          const extras = (): Effect.Effect<Extras> => {
            const parseAs = row.download ?? (row.stream !== undefined ? "stream" : "json")
            if (upload === undefined) return Effect.succeed(onResponse === undefined ? { parseAs } : { parseAs, onResponse })
            const filename = bound.client[upload.filename ?? ""]
            return Effect.map(
              Effect.promise(() => toFormData(input.body, upload.part, bound.upload as never, typeof filename === "string" ? filename : undefined)),
              (form): Extras => ({ parseAs, form, onUploadProgress: progress as ((p: UploadProgress) => void) | undefined, onResponse })
            )
          }
          const needsEtag = row.etag !== undefined && input.headers?.["If-Match"] === undefined
          const prepared = Effect.flatMap(extras(), (more) =>
            needsEtag
              ? Effect.flatMap(currentEtag(row, input, bound.options), (etag) => {
                if (typeof etag === "string") input.headers = { ...input.headers, "If-Match": etag }
                return runOperation(ctx, info, input, bound.options, more)
              })
              : runOperation(ctx, info, input, bound.options, more))
          // Reading the etag or building the form comes first: check the input before it, so bad input sends nothing.
          // The etag the SDK reads is stood in for by a well-formed one.
          const sent = needsEtag || upload !== undefined
            ? Effect.andThen(checkInput(info, needsEtag ? { ...input, headers: { ...input.headers, "If-Match": PENDING_ETAG } } : input, bound.options), prepared)
            : prepared
          return Effect.map(sent, (answer) => ({ answer, bound }))
        }
      )
    })

  /** One call of method `row`: what it returns. */
  const call = (row: Row, args: ReadonlyArray<unknown>, onResponse?: OnResponse): Effect.Effect<unknown, unknown> => {
    if (row.stream !== undefined) return collect(row, args, onResponse)
    const hook = row.hook === undefined ? undefined : hooks[row.hook]
    return Effect.flatMap(run(row, args, onResponse), ({ answer, bound }) => {
      const result = shape(row, hook?.finish === undefined ? answer : hook.finish(answer, bound.client))
      if (row.session === "set" && bound.client["autoSetSession"] !== false) {
        return Effect.as(Ref.set(ctx.session, (result as { readonly id: string }).id), result)
      }
      if (row.session === "clear") {
        const ended = bound.input.path?.["session_id"]
        return Effect.as(Ref.update(ctx.session, (active) => (active === ended ? undefined : active)), result)
      }
      return Effect.succeed(result)
    })
  }

  /** The checked records of an NDJSON answer, read as they arrive; a bad line's error carries the answer's headers and request id. */
  const recordsOf = (row: Row, args: ReadonlyArray<unknown>, onResponse?: OnResponse): Effect.Effect<AsyncIterable<unknown>, unknown> =>
    Effect.suspend(() => {
      let answered: readonly [Response, string | undefined] | undefined
      const seen: OnResponse = (response, requestId) => {
        answered = [response, requestId]
        onResponse?.(response, requestId)
      }
      const context = () => (answered === undefined ? undefined : answerContext(ctx.http, answered[0], answered[1]))
      return Effect.map(run(row, args, seen), ({ answer }) =>
        records(
          answer as ReadableStream<Uint8Array>,
          (line) => Effect.runPromise(checkRecord(row.operationId as OperationId, line, 200, context())),
          () => new DecodeError({ message: `${row.operationId}: a line of the server's answer is not JSON`, statusCode: 200, operation: row.operationId, ...context() })
        ))
    })

  /** Every record of an NDJSON answer, once it has ended. */
  const collect = (row: Row, args: ReadonlyArray<unknown>, onResponse?: OnResponse): Effect.Effect<unknown, unknown> =>
    Effect.flatMap(recordsOf(row, args, onResponse), (iterable) =>
      Effect.tryPromise({
        try: async () => {
          const all: Array<unknown> = []
          for await (const record of iterable) all.push(record)
          return all
        },
        catch: (error) => error
      }))

  /** One call of method `row`, with the answer of its own operation (not of the etag it read first). */
  const withResponse = (row: Row, args: ReadonlyArray<unknown>): Effect.Effect<WithResponse<unknown>, unknown> =>
    Effect.suspend(() => {
      let last: readonly [Response, string | undefined] | undefined
      return Effect.map(call(row, args, (response, requestId) => (last = [response, requestId])), (data) => {
        const [response, sent] = last as readonly [Response, string | undefined]
        return { data, response, requestId: answeredRequestId(response, sent) }
      })
    })

  return {
    call: (key, args) => Effect.flatMap(methodRowOf(key), (row) => call(row, args)),
    records: (key, args) => Effect.flatMap(methodRowOf(key), (row) => recordsOf(row, args)),
    withResponse: (key, args) => Effect.flatMap(methodRowOf(key), (row) => withResponse(row, args))
  }
}
