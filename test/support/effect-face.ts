/**
 * The Effect service seen through a Promise-shaped surface, so that one
 * scenario written as `await api.remember(...)` runs against both faces of
 * the SDK. Every method of the service is run in a runtime built from the
 * layer; a failure must arrive in the typed error channel (a defect fails the
 * test instead), and is rethrown as the very error instance the service
 * failed with.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { MemoryLayer } from "../../src/effect.ts"
import type { MemoryLayerClient } from "../../src/index.ts"

/** A failure that reached the Effect service's defect channel instead of its typed error channel. */
export class DefectError extends Error {
  override readonly name = "DefectError"
}

/** Runs `effect` and settles with its value, or rejects with its typed error (a defect rejects with `DefectError`). */
const settle = async <A>(runtime: ManagedRuntime.ManagedRuntime<MemoryLayer, unknown>, effect: Effect.Effect<A, unknown, MemoryLayer>): Promise<A> => {
  const exit = await runtime.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return exit.value
  const error = Cause.findErrorOption(exit.cause)
  if (error._tag === "Some") throw error.value
  throw new DefectError(`the Effect service died instead of failing: ${Cause.pretty(exit.cause)}`)
}

/** The methods of `target` (the service, a namespace of it, or its `withResponse` view) run as Promises; objects in it are seen the same way. */
const promised = (runtime: ManagedRuntime.ManagedRuntime<MemoryLayer, unknown>, target: Record<string, unknown>, where: string): unknown =>
  new Proxy({}, {
    get: (_, name) => {
      if (name === "then") return undefined
      const member = target[name as string]
      if (typeof member === "object" && member !== null) return promised(runtime, member as Record<string, unknown>, `${where}.${String(name)}`)
      if (typeof member !== "function") throw new TypeError(`${where} has no method ${String(name)}`)
      return (...args: ReadonlyArray<unknown>) => settle(runtime, Effect.suspend(() => member(...args) as Effect.Effect<unknown, unknown>))
    }
  })

/**
 * A Promise-shaped view of the `MemoryLayer` service built from `layer`,
 * typed as the Promise client it mirrors (its namespaces and its
 * `withResponse` view included). `close()` disposes the runtime.
 */
export const effectFace = (layer: Layer.Layer<MemoryLayer, unknown>): MemoryLayerClient => {
  const runtime = ManagedRuntime.make(layer)
  const service = runtime.runSync(Effect.service(MemoryLayer)) as unknown as Record<string, unknown>
  const face = promised(runtime, service, "the MemoryLayer service") as Record<string | symbol, unknown>
  return new Proxy({} as MemoryLayerClient, {
    get: (_, name) => (name === "close" ? () => runtime.dispose() : face[name])
  })
}
