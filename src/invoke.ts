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
import * as Tracer from "effect/Tracer"
import type { OperationId } from "../generated/operations.gen.ts"
import { bind, type Bound, type RequestInput, type Row } from "./bind.ts"
import { DecodeError, type ValidationIssue } from "./errors.ts"
import { unreadable } from "./request-values.ts"
import { hooks } from "./hooks.ts"
import { records } from "./records.ts"
import type { CallOptions } from "./options.ts"
import { methodRow, methodRowOf, type OperationRow, operationRow } from "./rows.ts"
import { answerContext, answeredRequestId, checkInput, checkRecord, type Extras, type FirstAttempt, firstAttempt, type FirstOutcome, invalidInput, mayAttemptFirst, runOperation, type RunnerContext } from "./runner.ts"
import { isUploadSource, toFormData, type UploadProgress } from "./upload.ts"
import type { WithResponse } from "./with-response.ts"

/** Told the answer of the method's own operation, and the request id sent. */
type OnResponse = NonNullable<Extras["onResponse"]>

/** Stands in for the etag a conditional write reads, while its input is checked before the read. */
const PENDING_ETAG = "\"etag-to-be-read\""

/**
 * A method whose call is JSON in and out, with no step of its own before the
 * request but a hook's: its first attempt can be made without a fiber.
 */
const isPlain = (row: Row): boolean =>
  row.etag === undefined && row.upload === undefined && row.stream === undefined && row.download === undefined && row.session === undefined &&
  (row.hook === undefined || hooks[row.hook]?.prepareAsync === undefined)

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
  /**
   * The same call as a Promise, its first attempt made without a fiber, for
   * the Promise face; `undefined` when the method or the call needs Effect
   * from the start. `settle` runs what the first attempt leaves (an error
   * answer, a retry) as the Promise face runs any Effect.
   */
  readonly fast: (key: string, args: ReadonlyArray<unknown>, settle: (effect: Effect.Effect<unknown, unknown>) => Promise<unknown>) => Promise<unknown> | undefined
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

  /** Binds `args` to method `row`'s operation, with the client's values, and what is wrong with them (before any hook). */
  const prepare = (row: Row, args: ReadonlyArray<unknown>): { readonly bound: Bound; readonly issues: Array<ValidationIssue> } => {
    const bound = bind(row, args)
    const issues = bound.issues
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
    return { bound, issues }
  }

  /** Runs method `row` and succeeds with the answer before shaping (the body stream of a download). */
  const run = (row: Row, args: ReadonlyArray<unknown>, onResponse?: OnResponse): Effect.Effect<{ readonly answer: unknown; readonly bound: Bound }, unknown> =>
    Effect.suspend(() => {
      const hook = row.hook === undefined ? undefined : hooks[row.hook]
      let bound: Bound
      let issues: Array<ValidationIssue>
      let prepared: ReadonlyArray<ValidationIssue> | Promise<ReadonlyArray<ValidationIssue>>
      try {
        ;({ bound, issues } = prepare(row, args))
        prepared = hook?.prepareAsync?.(bound.input, bound.client) ?? hook?.prepare?.(bound.input, bound.client) ?? []
      } catch (error) {
        return Effect.fail(invalidInput(row.operationId, [unreadable(error)]))
      }
      const input = bound.input
      const progress = bound.client["onUploadProgress"]
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

  /**
   * A call of a plain method whose first attempt can start at once, outside
   * Effect (see `firstAttempt` in runner.ts): `start` makes it; `rest`
   * settles what it leaves (an error answer, a retry) as the Effect path
   * would; `result` shapes the answer. `undefined` when the call must run in
   * Effect from the start (the Effect path then binds it again: nothing was
   * sent).
   */
  const plainCall = (key: string, args: ReadonlyArray<unknown>) => {
    try {
      return plainCallOf(key, args)
    } catch {
      // Input that throws when read (a getter, a Proxy): the Effect path reads it again and words the ValidationError.
      return undefined
    }
  }

  const plainCallOf = (key: string, args: ReadonlyArray<unknown>) => {
    const row = methodRow(key)
    if (row === undefined || !isPlain(row) || !mayAttemptFirst(ctx)) return undefined
    const { bound, issues } = prepare(row, args)
    const hook = row.hook === undefined ? undefined : hooks[row.hook]
    if (issues.length > 0 || (hook?.prepare?.(bound.input, bound.client) ?? []).length > 0) return undefined
    const info = operationRow(row.operationId) as OperationRow
    const options = bound.options as CallOptions | undefined
    const start = firstAttempt(ctx, info, bound.input, options)
    if (start === undefined) return undefined
    const result = (answer: unknown): unknown => shape(row, hook?.finish === undefined ? answer : hook.finish(answer, bound.client))
    const rest = (first: FirstAttempt): Effect.Effect<unknown, unknown> => Effect.map(runOperation(ctx, info, bound.input, options, { first }), result)
    return { start, rest, result }
  }

  const fast: Invoker["fast"] = (key, args, settle) => {
    const plain = plainCall(key, args)
    return plain?.start().then((outcome) => (outcome.ok ? plain.result(outcome.value) : settle(plain.rest(outcome.first))))
  }

  /** `call` on the Effect face: a plain call's first attempt in one Promise (interrupting the fiber aborts it), unless spans are on. */
  const callEffect = (key: string, args: ReadonlyArray<unknown>): Effect.Effect<unknown, unknown> =>
    Effect.withFiber((fiber) => {
      const plain = fiber.getRef(Tracer.Tracer) === Tracer.nativeTracer ? plainCall(key, args) : undefined
      if (plain === undefined) return Effect.flatMap(methodRowOf(key), (row) => call(row, args))
      // Interrupting the fiber aborts the attempt (through the function the attempt holds out, not a signal of Effect's).
      const attempt = Effect.callback<FirstOutcome>((resume) => {
        let abort: (() => void) | undefined
        plain.start((given) => (abort = given)).then((outcome) => resume(Effect.succeed(outcome)), (defect: unknown) => resume(Effect.die(defect)))
        return Effect.sync(() => abort?.())
      })
      return Effect.flatMap(attempt, (outcome) => outcome.ok ? Effect.succeed(plain.result(outcome.value)) : plain.rest(outcome.first))
    })

  return {
    fast,
    call: callEffect,
    records: (key, args) => Effect.flatMap(methodRowOf(key), (row) => recordsOf(row, args)),
    withResponse: (key, args) => Effect.flatMap(methodRowOf(key), (row) => withResponse(row, args))
  }
}
