/**
 * One call of one method, as the methods table describes it: bind the
 * arguments, apply the method's client-side rules (defaults from the client,
 * the key of a write, the etag of a conditional write, a hook, an upload's
 * form), run the operation, and shape the answer into what the method
 * returns. Lists and NDJSON answers also come as Streams.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import { type MethodKey, methods, operations } from "../generated/operations.gen.ts"
import { bind, type Bound, type RequestInput, type Row } from "./bind.ts"
import { DecodeError, type ValidationIssue } from "./errors.ts"
import { hooks } from "./hooks.ts"
import { pageWalk } from "./pagination.ts"
import { lines } from "./records.ts"
import { checkRecord, type Extras, invalidInput, runOperation, type RunnerContext } from "./runner.ts"
import { isUploadSource, toFormData, type UploadProgress } from "./upload.ts"

/** What a successful answer becomes: the unwrapped field, `true`, or nothing. */
const shape = (row: Row, answer: unknown): unknown => {
  if ("result" in row) return row.result === "true" ? true : undefined
  if ("unwrap" in row) return (answer as Readonly<Record<string, unknown>>)[row.unwrap]
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
  readonly call: (key: MethodKey, args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown>
  /** Every item of every page of list method `key`, or every line of an NDJSON answer. */
  readonly stream: (key: MethodKey, args: ReadonlyArray<unknown>) => Stream.Stream<unknown, unknown>
}

/** The invoker over one client's runner context. */
export const makeInvoker = (ctx: RunnerContext): Invoker => {
  /** Reads the current etag of the resource a conditional write addresses. */
  const currentEtag = (row: Row, input: RequestInput, options: unknown): Effect.Effect<unknown, unknown> => {
    const etag = (row as { readonly etag: { readonly read: string; readonly field: string; readonly query?: Record<string, unknown> } }).etag
    const read = operations[etag.read as keyof typeof operations]
    const path = Object.fromEntries(read.pathParams.map((name) => [name, input.path?.[name]]))
    const readInput: RequestInput = { path, ...(etag.query === undefined ? {} : { query: { ...etag.query } }) }
    const callOptions = typeof options === "object" && options !== null ? options : undefined
    return Effect.map(runOperation(ctx, read, readInput, callOptions as never), (answer) => at(answer, etag.field))
  }

  /** Runs method `row` and succeeds with the answer before shaping (the body stream of a download). */
  const run = (row: Row, args: ReadonlyArray<unknown>): Effect.Effect<{ readonly answer: unknown; readonly bound: Bound }, unknown> =>
    Effect.suspend(() => {
      const bound = bind(row, args)
      const hook = "hook" in row ? hooks[row.hook] : undefined
      const issues: Array<ValidationIssue> = [...bound.issues]
      const input = bound.input
      if ("fromClient" in row) {
        for (const [field, source] of Object.entries(row.fromClient as Readonly<Record<string, string>>)) {
          if (input.path?.[field] !== undefined) continue
          if (source === "workspaceId" && ctx.workspaceId !== undefined) (input.path ??= {})[field] = ctx.workspaceId
          else issues.push({ path: [field], message: "is needed: give it, or set the client's workspaceId" })
        }
      }
      if ("session" in row && row.session === "set" && bound.client["autoSetSession"] !== undefined && typeof bound.client["autoSetSession"] !== "boolean") {
        issues.push({ path: ["options", "autoSetSession"], message: "must be a boolean" })
      }
      if ("upload" in row && !isUploadSource(bound.upload)) {
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
          const info = operations[row.operationId]
          const extras = (): Effect.Effect<Extras> => {
            const parseAs = "download" in row ? row.download : "stream" in row ? "stream" : "json"
            if (!("upload" in row)) return Effect.succeed({ parseAs })
            const filename = bound.client[row.upload.filename ?? ""]
            return Effect.map(
              Effect.promise(() => toFormData(input.body, row.upload.part, bound.upload as never, typeof filename === "string" ? filename : undefined)),
              (form): Extras => ({ parseAs, form, onUploadProgress: progress as ((p: UploadProgress) => void) | undefined })
            )
          }
          const needsEtag = "etag" in row && input.headers?.["If-Match"] === undefined
          const sent = Effect.flatMap(extras(), (more) =>
            needsEtag
              ? Effect.flatMap(currentEtag(row, input, bound.options), (etag) => {
                if (typeof etag === "string") input.headers = { ...input.headers, "If-Match": etag }
                return runOperation(ctx, info, input, bound.options, more)
              })
              : runOperation(ctx, info, input, bound.options, more))
          return Effect.map(sent, (answer) => ({ answer, bound }))
        }
      )
    })

  /** One call of method `row`: what it returns. */
  const call = (row: Row, args: ReadonlyArray<unknown>): Effect.Effect<unknown, unknown> => {
    if ("stream" in row) return Stream.runCollect(records(row, args))
    const hook = "hook" in row ? hooks[row.hook] : undefined
    return Effect.flatMap(run(row, args), ({ answer, bound }) => {
      const result = shape(row, hook?.finish === undefined ? answer : hook.finish(answer, bound.client))
      if ("session" in row && row.session === "set" && bound.client["autoSetSession"] !== false) {
        return Effect.as(Ref.set(ctx.session, (result as { readonly id: string }).id), result)
      }
      if ("session" in row && row.session === "clear") {
        const ended = bound.input.path?.["session_id"]
        return Effect.as(Ref.update(ctx.session, (active) => (active === ended ? undefined : active)), result)
      }
      return Effect.succeed(result)
    })
  }

  /** The lines of an NDJSON answer, each checked as it arrives. */
  const records = (row: Row, args: ReadonlyArray<unknown>): Stream.Stream<unknown, unknown> =>
    Stream.unwrap(Effect.map(run(row, args), ({ answer }) =>
      Stream.fromAsyncIterable(lines(answer as ReadableStream<Uint8Array>), (cause) => cause).pipe(
        Stream.mapEffect((line) =>
          Effect.suspend(() => {
            let parsed: unknown
            try {
              parsed = JSON.parse(line)
            } catch {
              return Effect.fail(new DecodeError({ message: `${row.operationId}: a line of the server's answer is not JSON`, statusCode: 200, operation: row.operationId }))
            }
            return checkRecord(row.operationId, parsed, 200)
          }))
      )))

  /** Every item of every page of list method `row`. */
  const pages = (row: Row, args: ReadonlyArray<unknown>): Stream.Stream<unknown, unknown> => {
    const walk = pageWalk(row, args)
    return Stream.paginate(walk.first as ReadonlyArray<unknown> | undefined, (current) =>
      current === undefined
        ? Effect.succeed([[], Option.none()] as const)
        : Effect.map(call(row, current), (page) => {
          const next = walk.next(page, current)
          return [walk.items(page), next === undefined ? Option.none() : Option.some(next)] as const
        }))
  }

  return {
    call: (key, args) => call(methods[key] as Row, args),
    stream: (key, args) => ("stream" in methods[key] ? records(methods[key] as Row, args) : pages(methods[key] as Row, args))
  }
}
