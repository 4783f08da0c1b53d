/**
 * The work of the skill-folder methods (skill-folders.ts): pulling a skill as
 * its SKILL.md and files (one bundle download, every file and the bundle
 * checked against their hashes, every path checked to stay in the folder),
 * pushing a folder (text files with the create, binary ones uploaded after
 * it), and materializing every visible skill. Loaded on their first call.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import type { SkillsOperations } from "../generated/service.gen.ts"
import type { Json, Skill, SkillBundleFile, SkillBundleRecord } from "../generated/types.gen.ts"
import { CALL_OPTION_KEYS } from "./bind.ts"
import { ConnectionError, DecodeError, NotFoundError, type ValidationIssue } from "./errors.ts"
import type { OperationError } from "./operation-error.ts"
import { lines } from "./records.ts"
import { checkRecord, invalidInput } from "./runner.ts"
import type {
  MaterializedSkills,
  PulledSkill,
  PulledSkillFile,
  SkillFolder,
  SkillMaterializeError,
  SkillMaterializeOptions,
  SkillPullError,
  SkillPullOptions,
  SkillPushError,
  SkillPushOptions
} from "./skill-folders.ts"
import { parseSkillMd } from "./skill-manifest.ts"
import { unknownOptionMessage } from "./suggest.ts"

/** The per-call options every underlying request of a composition gets. */
const callOptions = (options: object | undefined): Record<string, unknown> =>
  Object.fromEntries(Object.entries(options ?? {}).filter(([key]) => CALL_OPTION_KEYS.has(key)))

/** The broken rules of an options object: not an object, or a key the method does not take. */
const optionIssues = (options: unknown, known: ReadonlyArray<string>): Array<ValidationIssue> => {
  if (options === undefined) return []
  if (typeof options !== "object" || options === null || Array.isArray(options)) return [{ path: ["options"], message: "must be an object" }]
  return Object.keys(options).flatMap((key) => {
    if (known.includes(key) || CALL_OPTION_KEYS.has(key)) return []
    return [{ path: ["options", key], message: unknownOptionMessage(key, known, CALL_OPTION_KEYS) }]
  })
}

/**
 * Why `path` cannot be a file of a skill folder, or `undefined` when it can:
 * it must be relative, `/`-separated, without empty, `.` or `..` segments,
 * and not SKILL.md itself, so that joining it to the folder stays inside.
 */
export const unsafePath = (path: unknown): string | undefined => {
  if (typeof path !== "string" || path === "") return "must be a non-empty string"
  if (path.includes("\0")) return "must not contain NUL"
  if (path.includes("\\")) return "must not contain a backslash (paths are /-separated)"
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "must be relative to the skill folder"
  if (path.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) return "must not have empty, . or .. segments"
  if (path === "SKILL.md") return "is SKILL.md itself, which is the manifest"
  return undefined
}

/** Base64 of `bytes` (in chunks, so large files do not overflow the argument list). */
const toBase64 = (bytes: Uint8Array): string => {
  let binary = ""
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000))
  return btoa(binary)
}

const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

const hex = (buffer: ArrayBuffer): string => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("")

const sha256 = async (data: Uint8Array | string): Promise<string> =>
  hex(await crypto.subtle.digest("SHA-256", typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(data)))

/** Code-point order, as the server sorts paths. */
const byCodePoint = (a: string, b: string): number => {
  const [x, y] = [Array.from(a), Array.from(b)]
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0)
    if (d !== 0) return d
  }
  return x.length - y.length
}

/** The server's bundle hash: SHA-256 of the `path:content_hash` lines, sorted by path. */
const bundleHashOf = (files: ReadonlyArray<{ readonly path: string; readonly contentHash: string }>): Promise<string> =>
  sha256([...files].sort((a, b) => byCodePoint(a.path, b.path)).map((f) => `${f.path}:${f.contentHash}`).join("\n"))

const isWellFormed = (text: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

/** The text of `bytes` when they are valid UTF-8 (so sending it as text stores the same bytes), else `undefined`. */
const utf8 = (bytes: Uint8Array): string | undefined => {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}

/** Every line of an NDJSON bundle, parsed and checked against SkillBundleRecord. */
const readBundle = (body: ReadableStream<Uint8Array>, operation: string): Effect.Effect<ReadonlyArray<SkillBundleRecord>, ConnectionError | DecodeError> =>
  Effect.tryPromise({
    try: async () => {
      const texts: Array<string> = []
      for await (const line of lines(body)) texts.push(line)
      return texts
    },
    catch: (cause) =>
      new ConnectionError({ message: `${operation}: the bundle download broke off (${cause instanceof Error ? cause.message : String(cause)})`, statusCode: undefined, operation, requestSent: true })
  }).pipe(Effect.flatMap((texts) =>
    Effect.forEach(texts, (text) => {
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        return Effect.fail(new DecodeError({ message: `${operation}: a line of the bundle is not JSON`, statusCode: 200, operation }))
      }
      return checkRecord("skillsGetBundle", parsed, 200) as Effect.Effect<SkillBundleRecord, DecodeError>
    })
  ))

/** The files of a bundle, each checked: its path, size and hash, their number, and the bundle's hash. */
const filesOf = (skill: Skill, records: ReadonlyArray<SkillBundleRecord>, operation: string): Effect.Effect<{ readonly files: ReadonlyArray<PulledSkillFile>; readonly bundleHash: string }, DecodeError> => {
  const broken = (what: string) => new DecodeError({ message: `${operation}: the bundle of skill ${skill.name} (${skill.id}) ${what}`, statusCode: 200, operation })
  const header = records[0]
  const footer = records.at(-1)
  const fileRecords = records.slice(1, -1)
  if (header?.type !== "header" || footer?.type !== "footer" || records.length < 2) return Effect.fail(broken("is not a header, files and a footer"))
  if (!fileRecords.every((r): r is SkillBundleFile => r.type === "file")) return Effect.fail(broken("has a header or footer among its files"))
  if (header.file_count !== fileRecords.length || footer.file_count !== fileRecords.length) {
    return Effect.fail(broken(`announces ${header.file_count} files and ends with ${footer.file_count}, but holds ${fileRecords.length}`))
  }
  for (const record of fileRecords) {
    const reason = unsafePath(record.path)
    if (reason !== undefined) return Effect.fail(broken(`holds a file whose path would leave the skill folder: ${JSON.stringify(record.path)} ${reason}; it was not read`))
  }
  return Effect.flatMap(
    Effect.promise(async () => {
      const files: Array<PulledSkillFile> = []
      for (const record of fileRecords) {
        const content = fromBase64(record.content_b64)
        const contentHash = await sha256(content)
        if (content.length !== record.size_bytes || contentHash !== record.content_hash) return { bad: record.path }
        files.push({ path: record.path, content, mimeType: record.mime_type, kind: record.kind, contentHash, sizeBytes: content.length })
      }
      return { files, hash: await bundleHashOf(files) }
    }),
    (result) => {
      if ("bad" in result) return Effect.fail(broken(`holds ${result.bad}, whose bytes do not match its size or hash`))
      // A skill that never had files has an empty bundle hash.
      const empty = result.files.length === 0 && footer.bundle_hash === ""
      if (!empty && result.hash !== footer.bundle_hash) return Effect.fail(broken("does not match its bundle hash"))
      return Effect.succeed({ files: result.files, bundleHash: footer.bundle_hash })
    }
  )
}

/** One skill as a folder: SKILL.md and its checked files, read in the skill's own workspace. */
const pullSkill = (
  skills: SkillsOperations,
  skill: Skill,
  includeAddenda: boolean,
  call: Record<string, unknown>,
  operation: string
): Effect.Effect<PulledSkill, OperationError<"skillsGetManifest" | "skillsGetBundle">> =>
  Effect.gen(function*() {
    // A _global skill is read in _global: the client's workspace does not hold it.
    const where = { workspaceId: skill.workspace_id, ...call }
    const manifest = yield* skills.getManifest(skill.id, includeAddenda ? { ...where, includeAddenda } : where)
    const body = yield* skills.getBundle(skill.id, "ndjson", where)
    const { files, bundleHash } = yield* filesOf(skill, yield* readBundle(body, operation), operation)
    return { skill, manifest, files, bundleHash }
  })

const PULL_OPTIONS = ["workspaceId", "includeAddenda"]

/** `skills.pull(name, options)`. */
export const pull = (skills: SkillsOperations, name: string, options?: SkillPullOptions): Effect.Effect<PulledSkill, SkillPullError> =>
  Effect.gen(function*() {
    const issues = optionIssues(options, PULL_OPTIONS)
    if (typeof name !== "string" || name === "") issues.push({ path: ["name"], message: "must be a non-empty string" })
    if (issues.length > 0) return yield* Effect.fail(invalidInput("skills.pull", issues))
    const call = callOptions(options)
    const workspaceId = options?.workspaceId
    const { skill } = yield* skills.resolve(name, { ...(workspaceId === undefined ? {} : { workspaceId }), ...call })
    if (skill === null) {
      return yield* Effect.fail(new NotFoundError({
        message: `skills.pull: no skill named ${name} is visible${workspaceId === undefined ? "" : ` in workspace ${workspaceId}`}`,
        statusCode: undefined,
        operation: "skills.pull"
      }))
    }
    return yield* pullSkill(skills, skill, options?.includeAddenda === true, call, "skills.pull")
  })

const PUSH_OPTIONS = ["name", "workspaceId", "userId", "sourceMode", "metadata"]

/** A file of a folder to push: as text for the create, or as bytes to upload after it. */
type Outgoing = { readonly path: string; readonly mimeType: string | undefined } & ({ readonly text: string } | { readonly bytes: Uint8Array })

/** The files of `folder`, checked; the broken rules go to `issues`. */
const outgoingFiles = (folder: SkillFolder, issues: Array<ValidationIssue>): ReadonlyArray<Outgoing> => {
  if (folder.files === undefined) return []
  if (!Array.isArray(folder.files)) {
    issues.push({ path: ["folder", "files"], message: "must be an array" })
    return []
  }
  const seen = new Set<string>()
  return folder.files.flatMap((file: unknown, i): Array<Outgoing> => {
    const at = ["folder", "files", i]
    if (typeof file !== "object" || file === null) {
      issues.push({ path: at, message: "must be an object with path and content" })
      return []
    }
    const { path, content, mimeType } = file as { readonly path?: unknown; readonly content?: unknown; readonly mimeType?: unknown }
    const reason = unsafePath(path)
    if (reason !== undefined) issues.push({ path: [...at, "path"], message: reason })
    else if (seen.has(path as string)) issues.push({ path: [...at, "path"], message: `${path as string} is given twice` })
    seen.add(path as string)
    if (mimeType !== undefined && mimeType !== null && typeof mimeType !== "string") issues.push({ path: [...at, "mimeType"], message: "must be a string" })
    const type = typeof mimeType === "string" ? mimeType : undefined
    if (typeof content === "string") {
      if (!isWellFormed(content)) issues.push({ path: [...at, "content"], message: "must not contain a lone surrogate (it cannot be stored as UTF-8)" })
      return [{ path: path as string, mimeType: type, text: content }]
    }
    if (content instanceof Uint8Array) {
      const text = utf8(content)
      return [text === undefined ? { path: path as string, mimeType: type, bytes: content } : { path: path as string, mimeType: type, text }]
    }
    issues.push({ path: [...at, "content"], message: "must be a Uint8Array or a string" })
    return []
  })
}

/** `skills.push(folder, options)`. */
export const push = (skills: SkillsOperations, folder: SkillFolder, options?: SkillPushOptions): Effect.Effect<Skill, SkillPushError> =>
  Effect.gen(function*() {
    const issues = optionIssues(options, PUSH_OPTIONS)
    if (typeof folder !== "object" || folder === null || typeof folder.manifest !== "string") {
      return yield* Effect.fail(invalidInput("skills.push", [...issues, { path: ["folder", "manifest"], message: "must be the SKILL.md text" }]))
    }
    const parsed = parseSkillMd(folder.manifest)
    // Metadata given in the options stands in for the front matter's, readable or not.
    issues.push(...parsed.issues.filter((issue) => options?.metadata === undefined || issue.path.join(".") !== "manifest.metadata"))
    const { fields } = parsed
    const files = outgoingFiles(folder, issues)
    const name = options?.name ?? fields.name
    if (name === undefined) issues.push({ path: ["manifest", "name"], message: "is missing: give it in SKILL.md's front matter or as options.name" })
    if (fields.description === undefined) issues.push({ path: ["manifest", "description"], message: "is missing from SKILL.md's front matter (the server requires one)" })
    if (issues.length > 0 || name === undefined || fields.description === undefined) return yield* Effect.fail(invalidInput("skills.push", issues))

    const call = callOptions(options)
    const skill = yield* skills.save(name, fields.description, {
      version: fields.version,
      license: fields.license,
      compatibility: fields.compatibility,
      allowedTools: fields.allowed_tools,
      body: fields.body,
      metadata: options?.metadata ?? (fields.metadata as { readonly [key: string]: Json } | undefined),
      sourceMode: options?.sourceMode,
      workspaceId: options?.workspaceId,
      userId: options?.userId,
      files: files.flatMap((f) => ("text" in f ? [{ path: f.path, content: f.text, ...(f.mimeType === undefined ? {} : { mime_type: f.mimeType }) }] : [])),
      ...call
    })
    const binary = files.filter((f): f is Extract<Outgoing, { readonly bytes: Uint8Array }> => "bytes" in f)
    if (binary.length === 0) return skill
    const where = { workspaceId: skill.workspace_id, ...call }
    for (const file of binary) yield* skills.upsertFile(skill.id, file.path, toBase64(file.bytes), { ...where, mimeType: file.mimeType })
    return yield* skills.get(skill.id, where)
  })

const MATERIALIZE_OPTIONS = ["workspaceId", "includeGlobal", "known", "concurrency"]
const PAGE = 100
const SKILL_NAME = /^(?!.*--)[a-z0-9]([a-z0-9-]*[a-z0-9])?$/

/** Which of same-named skills wins: the user's, then the workspace's, then the `_global` one; then the newest. */
const precedence = (skill: Skill): number => (skill.user_id !== null ? 0 : skill.workspace_id === "_global" ? 2 : 1)

/** `skills.materialize(options)`. */
export const materialize = (skills: SkillsOperations, options?: SkillMaterializeOptions): Effect.Effect<MaterializedSkills, SkillMaterializeError> =>
  Effect.gen(function*() {
    const issues = optionIssues(options, MATERIALIZE_OPTIONS)
    const known = options?.known ?? {}
    if (typeof known !== "object" || known === null) issues.push({ path: ["options", "known"], message: "must be an object of { manifestHash, bundleHash } by skill name" })
    const concurrency = options?.concurrency ?? 4
    if (!Number.isInteger(concurrency) || concurrency < 1) issues.push({ path: ["options", "concurrency"], message: "must be a whole number >= 1" })
    if (issues.length > 0) return yield* Effect.fail(invalidInput("skills.materialize", issues))

    const call = callOptions(options)
    const filters = {
      ...(options?.workspaceId === undefined ? {} : { workspaceId: options.workspaceId }),
      ...(options?.includeGlobal === undefined ? {} : { includeGlobal: options.includeGlobal }),
      ...call
    }
    // Every page: the server drops shadowed skills after cutting a page, so the next one starts a whole page on,
    // and only an empty page is the last.
    const listed: Array<Skill> = []
    for (let offset = 0; ; offset += PAGE) {
      const { skills: page } = yield* skills.list({ ...filters, limit: PAGE, offset })
      if (page.length === 0) break
      listed.push(...page)
    }
    // Pages are shadowed one at a time on the server; across pages it is done here, so each name is one folder.
    const chosen = new Map<string, Skill>()
    for (const skill of listed) {
      const held = chosen.get(skill.name)
      if (held === undefined || precedence(skill) < precedence(held)) chosen.set(skill.name, skill)
    }
    const odd = [...chosen.keys()].find((name) => !SKILL_NAME.test(name))
    if (odd !== undefined) {
      return yield* Effect.fail(new DecodeError({ message: `skills.materialize: the server listed a skill named ${JSON.stringify(odd)}, which is not a safe folder name`, statusCode: 200, operation: "skills.materialize" }))
    }
    const unchanged: Array<Skill> = []
    const stale: Array<Skill> = []
    for (const skill of chosen.values()) {
      const have = (known as Readonly<Record<string, { readonly manifestHash?: unknown; readonly bundleHash?: unknown }>>)[skill.name]
      if (have?.manifestHash === skill.manifest_hash && have.bundleHash === skill.bundle_hash) unchanged.push(skill)
      else stale.push(skill)
    }
    const pulled = yield* Effect.forEach(stale, (skill) => pullSkill(skills, skill, false, call, "skills.materialize"), { concurrency })
    return { pulled, unchanged }
  })
