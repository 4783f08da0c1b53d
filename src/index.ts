/**
 * memorylayer-client: the TypeScript SDK for MemoryLayer, the open-source
 * memory server for AI agents. This entry point is the Promise client, its
 * types, errors and enums; `memorylayer-client/effect` is the Effect service.
 *
 * @example
 * ```ts
 * import { MemoryLayerClient, MemoryType } from "memorylayer-client"
 *
 * const client = new MemoryLayerClient()
 * await client.remember("Deploys run from scripts/deploy.sh", { type: MemoryType.PROCEDURAL })
 * ```
 *
 * @module
 */
export { MemoryLayerClient } from "../generated/facade.gen.ts"
export type * from "../generated/facade.gen.ts"
export * from "./enums.ts"
export {
  type AnyMemoryLayerError,
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  ConnectionError,
  DecodeError,
  MemoryLayerError,
  type MemoryLayerErrorFields,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
  type ValidationIssue
} from "./errors.ts"
export type { CallOptions, FetchLike, MemoryLayerOptions } from "./options.ts"
export type { OperationError } from "./operation-error.ts"
export type { OperationId } from "../generated/operations.gen.ts"
export type { ActingSubject } from "./MemoryLayer.ts"
export type { PagePromise } from "./pagination.ts"
export type { RecordStream } from "./records.ts"
export type { UploadProgress, UploadSource } from "./upload.ts"
export type { WithResponse } from "./with-response.ts"
export type { Logger, LogFields, LogLevel } from "./log-level.ts"
export { LOG_LEVELS } from "./log-level.ts"
export type { KnownSkill, MaterializedSkills, PulledSkill, PulledSkillFile, SkillFolder, SkillFolderFile, SkillMaterializeOptions, SkillPullOptions, SkillPushOptions } from "./skill-folders.ts"
export type { McpJsonInput, McpPullJsonOptions, McpPushJsonOptions } from "./mcp-json.ts"
export type * from "./types.ts"
