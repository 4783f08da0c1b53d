/**
 * The Effect face's Streams: every item of every page of a list, fetched as
 * the stream is read, and every line of an NDJSON answer (the workspace
 * export) as it arrives, in constant memory. A function of its own rather
 * than methods on the service, so an app that never streams never bundles
 * effect/Stream.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { StreamMethods } from "../generated/service.gen.ts"
import type { Invoker } from "./invoke.ts"
import { invokerOf, MemoryLayer } from "./MemoryLayer.ts"
import { pageWalk } from "./pagination.ts"
import { methodRowOf } from "./rows.ts"

/** Every item of every page of list method `key`. */
const pages = (invoker: Invoker, key: string, args: ReadonlyArray<unknown>): Stream.Stream<unknown, unknown> =>
  Stream.unwrap(Effect.map(methodRowOf(key), (row) => {
    const walk = pageWalk(row, args)
    return Stream.paginate(walk.first as ReadonlyArray<unknown> | undefined, (current) =>
      current === undefined
        ? Effect.succeed([[], Option.none()] as const)
        : Effect.map(invoker.call(key, current), (page) => {
          const next = walk.next(page, current)
          return [walk.items(page), next === undefined ? Option.none() : Option.some(next)] as const
        }))
  }))

/**
 * A list method's items, or an NDJSON method's lines, as a `Stream` that
 * needs the `MemoryLayer` service: `key` is the method's name (`"listMemories"`,
 * or `"threads.list"` in a namespace), then the method's own arguments.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import * as Stream from "effect/Stream"
 * import { MemoryLayer, stream } from "memorylayer-client/effect"
 *
 * const ids = stream("listMemories", { limit: 100 }).pipe(
 *   Stream.map((memory) => memory.id),
 *   Stream.runCollect
 * )
 * const records = stream("exportWorkspace", "ws_team").pipe(Stream.runForEach((record) => Effect.log(record.type)))
 * await Effect.runPromise(ids.pipe(Effect.provide(MemoryLayer.layer())))
 * ```
 */
export const stream = <K extends keyof StreamMethods>(
  key: K,
  ...args: StreamMethods[K]["args"]
): Stream.Stream<StreamMethods[K]["item"], StreamMethods[K]["error"], MemoryLayer> =>
  Stream.unwrap(Effect.flatMap(Effect.service(MemoryLayer), (service) => {
    const invoker = invokerOf(service)
    return Effect.map(methodRowOf(key), (row) =>
      row.stream !== undefined
        ? Stream.unwrap(Effect.map(invoker.records(key, args), (iterable) => Stream.fromAsyncIterable(iterable, (error) => error)))
        : pages(invoker, key, args))
  })) as Stream.Stream<StreamMethods[K]["item"], StreamMethods[K]["error"], MemoryLayer>
