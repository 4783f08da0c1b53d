/**
 * Skill folders: the Python client's `skills.pull`, `skills.push` and
 * `skills.materialize`, as data rather than files, so they run wherever the
 * client runs (browsers and edge runtimes have no file system). A skill
 * folder is its SKILL.md text and its files by relative path: `pull` returns
 * one, `push` takes one, `materialize` returns those that changed. Writing
 * them to disk is the caller's, in a few lines of `node:fs` (see README.md);
 * every path `pull` and `materialize` return is checked to stay inside the
 * folder, so joining it to the folder's path is safe.
 *
 * This module is what both faces see (types, the Promise methods, the
 * service's methods); the work itself is in skill-transfer.ts, loaded on the
 * first call.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import type { SkillsOperations } from "../generated/service.gen.ts"
import type { Json, Skill, SkillFileKind, SkillSourceMode } from "../generated/types.gen.ts"
import { NamespaceCore } from "./namespace-core.ts"
import type { OperationError } from "./operation-error.ts"
import type { CallOptions } from "./options.ts"

/** One file of a skill folder. */
export interface SkillFolderFile {
  /** Path inside the folder, `/`-separated (`scripts/extract.py`); never absolute, never with `..`. */
  readonly path: string
  /** The file's bytes, or its text (stored as UTF-8). */
  readonly content: Uint8Array | string
  /** The media type the server serves the file with; without one it serves `application/octet-stream`. */
  readonly mimeType?: string | null | undefined
}

/** A skill folder: SKILL.md and the files beside it. */
export interface SkillFolder {
  /** The SKILL.md text: YAML front matter (`name`, `description`, ...) between `---` lines, then the body. */
  readonly manifest: string
  /** Every other file of the folder (SKILL.md itself is not one of them). */
  readonly files?: ReadonlyArray<SkillFolderFile> | undefined
}

/** A file of a pulled skill: its bytes, checked against the server's hash. */
export interface PulledSkillFile extends SkillFolderFile {
  readonly content: Uint8Array
  readonly mimeType: string | null
  /** From the top folder: `scripts/` script, `references/` reference, `assets/` asset, else other. */
  readonly kind: SkillFileKind
  /** SHA-256 of the bytes, hex. */
  readonly contentHash: string
  /** The file's size in bytes, checked against the bytes received. */
  readonly sizeBytes: number
}

/** A skill as `pull` and `materialize` return it: the record, SKILL.md as the server renders it, and every file. */
export interface PulledSkill extends SkillFolder {
  /** The skill's record, as the server resolved the name. */
  readonly skill: Skill
  readonly manifest: string
  readonly files: ReadonlyArray<PulledSkillFile>
  /** The hash of the files received (the bundle's footer, checked against them). */
  readonly bundleHash: string
}

/** Options of `skills.pull`. */
export interface SkillPullOptions extends CallOptions {
  /** Workspace to look the name up in; wins over the client's. */
  readonly workspaceId?: string | undefined
  /** Append the skill's accepted addenda to SKILL.md's body. Default false. */
  readonly includeAddenda?: boolean | undefined
}

/** Options of `skills.push`. */
export interface SkillPushOptions extends CallOptions {
  /** The skill's name when SKILL.md's front matter has none (Python takes the folder's name). */
  readonly name?: string | undefined
  /** Workspace to create the skill in; wins over the client's. */
  readonly workspaceId?: string | undefined
  /** Make the skill private to this user. */
  readonly userId?: string | undefined
  /** Where the skill's source of truth lives. Default `server`. */
  readonly sourceMode?: SkillSourceMode | undefined
  /** The skill's metadata, instead of the front matter's. */
  readonly metadata?: { readonly [key: string]: Json } | undefined
}

/** What the caller already has of a skill, by its name, for `materialize` to skip it. */
export interface KnownSkill {
  /** The `manifest_hash` of the skill you have (its record's field). */
  readonly manifestHash: string
  /** The `bundleHash` of the pull you have it from. */
  readonly bundleHash: string
}

/** Options of `skills.materialize`. */
export interface SkillMaterializeOptions extends CallOptions {
  /** Workspace whose visible skills to pull; wins over the client's. */
  readonly workspaceId?: string | undefined
  /** Include the tenant's `_global` skills. Default true. */
  readonly includeGlobal?: boolean | undefined
  /** Skills the caller has, by name (e.g. read from the folders `materialize` wrote before): unchanged ones are not pulled again. */
  readonly known?: { readonly [name: string]: KnownSkill } | undefined
  /** How many skills to pull at once. Default 4. */
  readonly concurrency?: number | undefined
}

/** What `materialize` found: the skills it pulled, and those the caller has already. */
export interface MaterializedSkills {
  /** The skills pulled: new to you, or changed since what you listed in `known`. */
  readonly pulled: ReadonlyArray<PulledSkill>
  /** The skills you have already, unchanged: their records only. */
  readonly unchanged: ReadonlyArray<Skill>
}

/** How `skills.pull` can fail. */
export type SkillPullError = OperationError<"skillsResolve" | "skillsGetManifest" | "skillsGetBundle">
/** How `skills.push` can fail. */
export type SkillPushError = OperationError<"skillsSave" | "skillsUpsertFile" | "skillsGet">
/** How `skills.materialize` can fail. */
export type SkillMaterializeError = OperationError<"skillsList" | "skillsGetManifest" | "skillsGetBundle">

/** The skill-folder methods of the service's `skills` namespace. */
export interface SkillFolderMethods {
  /**
   * The skill `name` resolves to (user, then workspace, then `_global`), as a
   * folder: SKILL.md as the server renders it and every file's bytes. The
   * files come in one bundle download, each checked against its hash; a path
   * that would leave the folder (absolute, `..`, a backslash) fails the pull
   * with `DecodeError` rather than reach the caller. No match is a
   * `NotFoundError`.
   *
   * @example
   * ```ts
   * const { manifest, files } = yield* ml.skills.pull("pdf-tools")
   * ```
   */
  pull(name: string, options?: SkillPullOptions): Effect.Effect<PulledSkill, SkillPullError>
  /**
   * Creates a skill from a folder: the manifest fields from SKILL.md's front
   * matter, the body after it, and the files. Text files (valid UTF-8) go
   * with the create, in one request; binary files are uploaded after it, one
   * request each, base64-encoded, byte for byte. A name already taken in the
   * workspace (deleted skills too) is a `ConflictError`; front matter that
   * cannot be read, or a path that is absolute or has `..`, a
   * `ValidationError` before anything is sent.
   *
   * @example
   * ```ts
   * const skill = yield* ml.skills.push({ manifest: "---\nname: pdf-tools\ndescription: Extract text\n---\n", files: [] })
   * ```
   */
  push(folder: SkillFolder, options?: SkillPushOptions): Effect.Effect<Skill, SkillPushError>
  /**
   * Every skill visible in the workspace (all pages; of same-named ones the
   * user's, then the workspace's, then the `_global` one), pulled as in
   * `pull`, except those `known` lists with the same manifest and bundle
   * hashes. Writes nothing: it returns what to write.
   *
   * @example
   * ```ts
   * const { pulled, unchanged } = yield* ml.skills.materialize({ known: { "pdf-tools": { manifestHash, bundleHash } } })
   * ```
   */
  materialize(options?: SkillMaterializeOptions): Effect.Effect<MaterializedSkills, SkillMaterializeError>
}

const transfer = Effect.promise(() => import("./skill-transfer.ts"))

/** The skill-folder methods over the service's `skills` operations. */
export const skillFolderMethods = (skills: SkillsOperations): SkillFolderMethods => ({
  pull: (name, options) => Effect.flatMap(transfer, (t) => t.pull(skills, name, options)),
  push: (folder, options) => Effect.flatMap(transfer, (t) => t.push(skills, folder, options)),
  materialize: (options) => Effect.flatMap(transfer, (t) => t.materialize(skills, options))
})

/** The skill-folder methods of `client.skills`, as Promises (the base of the generated `SkillsClient`). */
export class SkillFoldersClient extends NamespaceCore {
  /**
   * The skill `name` resolves to, as a folder: SKILL.md as the server renders
   * it and every file's bytes, each checked against its hash. A path that
   * would leave the folder rejects with `DecodeError`; no match with
   * `NotFoundError`.
   *
   * @example
   * ```ts
   * const { manifest, files } = await client.skills.pull("pdf-tools")
   * ```
   */
  pull(name: string, options?: SkillPullOptions): Promise<PulledSkill> {
    return this.compose("skills", "pull", [name, options])
  }

  /**
   * Creates a skill from a folder (SKILL.md and its files); binary files are
   * uploaded byte for byte after the create. A taken name rejects with
   * `ConflictError`.
   *
   * @example
   * ```ts
   * await client.skills.push({ manifest: skillMd, files: [{ path: "scripts/run.py", content: script }] })
   * ```
   */
  push(folder: SkillFolder, options?: SkillPushOptions): Promise<Skill> {
    return this.compose("skills", "push", [folder, options])
  }

  /**
   * Every visible skill, pulled, except those `known` has unchanged. Writes
   * nothing: it returns what to write.
   *
   * @example
   * ```ts
   * const { pulled, unchanged } = await client.skills.materialize()
   * ```
   */
  materialize(options?: SkillMaterializeOptions): Promise<MaterializedSkills> {
    return this.compose("skills", "materialize", [options])
  }
}
