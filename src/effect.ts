/**
 * `memorylayer-client/effect`: the `MemoryLayer` Effect service, its layers,
 * errors and retry policy, for programs composed in Effect.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import { MemoryLayer } from "memorylayer-client/effect"
 *
 * const program = Effect.gen(function*() {
 *   const ml = yield* MemoryLayer
 *   return yield* ml.recall("deploy steps")
 * }).pipe(Effect.catchTag("NotFoundError", () => Effect.succeed(undefined)))
 *
 * await Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layerConfig())))
 * ```
 *
 * @module
 */

// Log lines of clients without a `logger` go through Effect's logger.
import "./effect-log.ts"

export * from "./enums.ts"
export * from "./errors.ts"
export type { ValidationIssue } from "./errors.ts"
export type { MemoryLayerOperations } from "../generated/service.gen.ts"
export type * from "../generated/service.gen.ts"
export { type ActingSubject, MemoryLayer, type MemoryLayerService, type Op, type SessionMethods, type ViewMethods } from "./MemoryLayer.ts"
export type { OperationError } from "./operation-error.ts"
export type { OperationId } from "../generated/operations.gen.ts"
export { stream } from "./streams.ts"
export type { CallOptions, FetchLike, MemoryLayerOptions } from "./options.ts"
export type { UploadProgress, UploadSource } from "./upload.ts"
export type { WithResponse } from "./with-response.ts"
export type { Logger, LogFields, LogLevel } from "./log-level.ts"
export { LOG_LEVELS } from "./log-level.ts"
export type {
  KnownSkill, MaterializedSkills, PulledSkill, PulledSkillFile, SkillFolder, SkillFolderFile, SkillMaterializeOptions, SkillPullOptions, SkillPushOptions,
  SkillFolderMethods,
  SkillMaterializeError,
  SkillPullError,
  SkillPushError
} from "./skill-folders.ts"
export type { McpJsonInput, McpPullJsonOptions, McpPushJsonOptions, McpJsonMethods } from "./mcp-json.ts"
export { defaultRetryPolicy, isRetryable, type RetryPolicy, retrySchedule } from "./retry.ts"
export type * from "./types.ts"
