/**
 * Reading the client's settings through Effect `Config`, for
 * `MemoryLayer.layerConfig`. effect/Config is built on effect/Schema, so this
 * module loads only when that layer is built, keeping both out of the import
 * path of everyone else.
 *
 * @module
 */
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { LogLevel } from "./log-level.ts"
import type { MemoryLayerOptions } from "./options.ts"

/**
 * `MEMORYLAYER_URL`, `MEMORYLAYER_API_KEY` (as a redacted secret) and
 * `MEMORYLAYER_WORKSPACE_ID` from the current `ConfigProvider`, over
 * `overrides`; and `MEMORYLAYER_LOG` (any case) when `overrides` has no
 * `logLevel`.
 */
export const optionsFromConfig = (
  overrides: Omit<MemoryLayerOptions, "baseUrl" | "apiKey" | "workspaceId">
): Effect.Effect<MemoryLayerOptions, Config.ConfigError> =>
  Effect.gen(function*() {
    const baseUrl = yield* Config.option(Config.String("MEMORYLAYER_URL"))
    const apiKey = yield* Config.option(Config.Redacted("MEMORYLAYER_API_KEY"))
    const workspaceId = yield* Config.option(Config.String("MEMORYLAYER_WORKSPACE_ID"))
    const logLevel = overrides.logLevel === undefined ? Option.getOrUndefined(yield* Config.option(Config.String("MEMORYLAYER_LOG"))) : undefined
    return {
      ...overrides,
      ...(logLevel === undefined ? {} : { logLevel: logLevel.toLowerCase() as LogLevel }),
      baseUrl: Option.getOrUndefined(baseUrl),
      apiKey: Option.getOrUndefined(apiKey),
      workspaceId: Option.getOrUndefined(workspaceId)
    }
  })
