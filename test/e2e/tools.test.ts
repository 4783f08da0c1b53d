/**
 * Every operation of the skills, mcpServers, kb, agentSpecs, promptNotes and
 * dataProviders namespaces against the real server, through the Promise
 * client and the contract-checking proxy, with real data and the answers a
 * user relies on; and the typed error of each failure a user can meet. Each
 * test works in a workspace of its own.
 */
import { afterAll, describe, expect, inject, it } from "vitest"
import {
  ConflictError,
  MemoryLayerClient,
  type MemoryLayerError,
  NotFoundError,
  RelationshipType,
  ServerError,
  ValidationError
} from "../../src/index.ts"
import { bytesOf, tarGzEntries, zipEntries } from "../support/archives.ts"
import { recording, reportCoverage } from "./coverage.ts"

const baseUrl = inject("memorylayerUrl")
const fetch = recording()
reportCoverage("tools")

const root = new MemoryLayerClient({ baseUrl, apiKey: "e2e-key", fetch })
/**
 * The server itself, without the proxy: prism proxy passes binary answers on as if they were UTF-8 text (every
 * byte sequence that is not valid UTF-8 becomes U+FFFD), so the bytes of binary downloads are compared here, after
 * the same call went through the proxy for the contract check.
 */
const direct = new MemoryLayerClient({ baseUrl: inject("serverUrl"), apiKey: "e2e-key", fetch })
const opened: Array<MemoryLayerClient> = []
afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()))
  await root.close()
  await direct.close()
})

const tag = (): string => crypto.randomUUID().slice(0, 8)

/** A client acting in a fresh workspace (which need not exist for these namespaces). */
const inWorkspace = (label: string): { readonly client: MemoryLayerClient; readonly ws: string } => {
  const ws = `ws-tools-${label}-${tag()}`
  const client = root.forWorkspace(ws)
  opened.push(client)
  return { client, ws }
}

/** The error a promise rejects with (fails the test when it resolves). */
const failure = async (promise: PromiseLike<unknown>): Promise<MemoryLayerError> => {
  const outcome = await Promise.resolve(promise).then((value) => ({ value }), (error: unknown) => ({ error }))
  if ("value" in outcome) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`)
  return outcome.error as MemoryLayerError
}

const ETAG = /^"vr-\d+-[0-9a-f]{64}"$/
const SKILL_ETAG = /^"skill-\d+-[0-9a-f]{64}"$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const sha256 = async (bytes: Uint8Array<ArrayBuffer>): Promise<string> =>
  Buffer.from(await crypto.subtle.digest("SHA-256", bytes)).toString("hex")

describe("agentSpecs", () => {
  it("a specification's life: create, get, replace, list, delete, restore, and one revision per write with the SDK's key", async () => {
    const { client, ws } = inWorkspace("spec")
    const created = await client.agentSpecs.create("reviewer", "Code reviewer", "Reviews pull requests", "Review the diff for bugs.", {
      model: "claude-sonnet",
      allowedTools: ["Read", "Grep"],
      maxTurns: 12,
      metadata: { team: "platform" }
    })
    expect(created).toMatchObject({
      key: "reviewer",
      workspace_id: ws,
      revision: 1,
      model: "claude-sonnet",
      allowed_tools: ["Read", "Grep"],
      max_turns: 12,
      permission_mode: "inherit",
      metadata: { team: "platform" },
      deleted_at: null
    })
    expect(created.etag).toMatch(ETAG)
    expect(await client.agentSpecs.get(created.id)).toEqual(created)

    // Replace is a full replacement: what is not given returns to its default.
    const replaced = await client.agentSpecs.replace(created.id, "Code reviewer", "Reviews pull requests", "Review the diff; cite lines.")
    expect(replaced).toMatchObject({ id: created.id, revision: 2, instructions: "Review the diff; cite lines.", model: "", allowed_tools: [], max_turns: 0 })
    expect(replaced.etag).not.toBe(created.etag)
    expect((await client.agentSpecs.list()).specifications.map((s) => [s.id, s.revision])).toEqual([[created.id, 2]])

    const deleted = await client.agentSpecs.delete(created.id)
    expect(deleted.deleted_at).not.toBeNull()
    expect(deleted.revision).toBe(3)
    expect(await failure(client.agentSpecs.get(created.id))).toBeInstanceOf(NotFoundError)
    expect((await client.agentSpecs.get(created.id, { includeDeleted: true })).etag).toBe(deleted.etag)
    expect((await client.agentSpecs.list()).specifications).toEqual([])
    expect((await client.agentSpecs.list({ includeDeleted: true })).specifications.map((s) => s.id)).toEqual([created.id])

    const restored = await client.agentSpecs.restore(created.id)
    expect(restored).toMatchObject({ revision: 4, deleted_at: null, instructions: "Review the diff; cite lines." })

    const { revisions, next_page_token } = await client.agentSpecs.listRevisions(created.id)
    expect(revisions.map((r) => [r.action, r.specification.revision])).toEqual([["restore", 4], ["delete", 3], ["replace", 2], ["create", 1]])
    expect(revisions.every((r) => UUID.test(r.operation_id))).toBe(true)
    expect(new Set(revisions.map((r) => r.operation_id)).size).toBe(4)
    expect(next_page_token).toBeNull()
  })

  it("typed errors: a key taken, a stale etag, restoring an active one, deleting twice, an unknown id, a bad key, a foreign page token", async () => {
    const { client } = inWorkspace("spec-errors")
    const spec = await client.agentSpecs.create("planner", "Planner", "Plans work", "Break the goal into steps.")
    await client.agentSpecs.replace(spec.id, "Planner", "Plans work", "Break the goal into small steps.")

    const taken = await failure(client.agentSpecs.create("planner", "Other", "Other", "Other"))
    expect(taken).toBeInstanceOf(ConflictError)
    expect(taken.statusCode).toBe(409)
    expect(taken.message).toBe("agentSpecsCreate: 409 resource id or key already exists")

    const stale = await failure(client.agentSpecs.replace(spec.id, "Planner", "Plans", "x", { ifMatch: spec.etag }))
    expect(stale).toBeInstanceOf(ConflictError)
    expect(stale.statusCode).toBe(412)
    expect(stale.message).toBe("agentSpecsReplace: 412 ETag does not match current revision")

    const active = await failure(client.agentSpecs.restore(spec.id))
    expect(active).toBeInstanceOf(ConflictError)
    expect(active.message).toBe("agentSpecsRestore: 409 resource is not deleted")

    await client.agentSpecs.delete(spec.id)
    // The SDK reads the etag first: a deleted specification is not found for a second delete.
    expect(await failure(client.agentSpecs.delete(spec.id))).toBeInstanceOf(NotFoundError)
    expect(await failure(client.agentSpecs.get("vrs_does_not_exist"))).toBeInstanceOf(NotFoundError)
    expect(await failure(client.agentSpecs.listRevisions("vrs_does_not_exist"))).toBeInstanceOf(NotFoundError)

    const badKey = await failure(client.agentSpecs.create("-bad", "x", "x", "x"))
    expect(badKey).toBeInstanceOf(ValidationError)
    expect(badKey.statusCode).toBeUndefined()

    const token = (await client.agentSpecs.list({ limit: 1, includeDeleted: true })).next_page_token
    const other = await client.agentSpecs.create("other", "Other", "Other", "Other")
    await client.agentSpecs.create("third", "Third", "Third", "Third")
    const page = await client.agentSpecs.listRevisions(other.id, { limit: 1 })
    expect(token).toBeNull()
    const foreign = await failure(client.agentSpecs.list({ pageToken: page.next_page_token ?? "none" }))
    expect(foreign).toBeInstanceOf(ValidationError)
    expect(foreign.statusCode).toBe(400)
    expect(foreign.message).toBe("agentSpecsList: 400 invalid page token")
  })
})

describe("promptNotes", () => {
  it("a note's life: create, get, replace, list, delete, restore, listRevisions; and its typed errors", async () => {
    const { client, ws } = inWorkspace("note")
    const note = await client.promptNotes.create("style/tone", "Tone", "Answer briefly and cite sources.", { metadata: { source: "onboarding" } })
    expect(note).toMatchObject({ key: "style/tone", title: "Tone", workspace_id: ws, revision: 1, enabled: true, metadata: { source: "onboarding" } })
    expect(note.etag).toMatch(ETAG)
    expect(await client.promptNotes.get(note.id)).toEqual(note)

    const replaced = await client.promptNotes.replace(note.id, "Tone", "", { enabled: false })
    expect(replaced).toMatchObject({ revision: 2, content: "", enabled: false, metadata: {} })
    expect((await client.promptNotes.list()).notes.map((n) => n.id)).toEqual([note.id])

    const stale = await failure(client.promptNotes.delete(note.id, { ifMatch: note.etag }))
    expect(stale).toBeInstanceOf(ConflictError)
    expect(stale.statusCode).toBe(412)

    expect((await client.promptNotes.delete(note.id)).deleted_at).not.toBeNull()
    expect((await client.promptNotes.list()).notes).toEqual([])
    expect(await failure(client.promptNotes.get(note.id))).toBeInstanceOf(NotFoundError)
    const restored = await client.promptNotes.restore(note.id)
    expect(restored).toMatchObject({ revision: 4, deleted_at: null, content: "" })
    expect((await client.promptNotes.listRevisions(note.id)).revisions.map((r) => r.action)).toEqual(["restore", "delete", "replace", "create"])

    const active = await failure(client.promptNotes.restore(note.id))
    expect(active).toBeInstanceOf(ConflictError)
    expect(active.message).toBe("promptNotesRestore: 409 resource is not deleted")
    expect(await failure(client.promptNotes.create("style/tone", "Again", "x"))).toBeInstanceOf(ConflictError)
    const blank = await failure(client.promptNotes.create("blank", " ", "x"))
    expect(blank).toBeInstanceOf(ValidationError)
    expect(blank.statusCode).toBeUndefined()
  })
})

describe("skills", () => {
  const script = "import sys\nprint(sys.argv[1:])\n"
  const binary = new Uint8Array([0, 1, 2, 253, 254, 255, 0x89, 0x50, 0x4e, 0x47])

  it("save with files, then get, getManifest, listFiles, getFile (text and binary), getBundle (NDJSON and tar.gz), upsertFile, deleteFile, sync", async () => {
    const { client, ws } = inWorkspace("skill")
    const skill = await client.skills.save("pdf-tools", "Extract text and tables from PDF files", {
      body: "# PDF tools\n\nRun scripts/extract.py.\n",
      license: "MIT",
      allowedTools: "Bash Read",
      files: [{ path: "scripts/extract.py", content: script, mime_type: "text/x-python" }]
    })
    expect(skill).toMatchObject({ name: "pdf-tools", workspace_id: ws, revision: 1, license: "MIT", allowed_tools: "Bash Read", deleted_at: null })
    expect(skill.etag).toMatch(SKILL_ETAG)
    expect(skill.bundle_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(await client.skills.get(skill.id)).toEqual(skill)

    expect(await client.skills.getManifest(skill.id)).toBe(
      "---\nname: pdf-tools\ndescription: Extract text and tables from PDF files\nversion: 0.1.0\nlicense: MIT\nallowed-tools: Bash Read\n---\n\n" +
        "# PDF tools\n\nRun scripts/extract.py.\n"
    )

    const uploaded = await client.skills.upsertFile(skill.id, "assets/logo.png", Buffer.from(binary).toString("base64"), { mimeType: "image/png" })
    expect(uploaded).toEqual({ path: "assets/logo.png", kind: "asset", size_bytes: binary.length, content_hash: await sha256(binary), mime_type: "image/png" })
    const afterUpload = await client.skills.get(skill.id)
    expect(afterUpload.bundle_hash).not.toBe(skill.bundle_hash)
    // Bundle files are not part of the manifest's etag.
    expect(afterUpload.etag).toBe(skill.etag)

    const files = await client.skills.listFiles(skill.id)
    expect(files.map((f) => [f.path, f.kind, f.size_bytes, f.mime_type])).toEqual([
      ["assets/logo.png", "asset", binary.length, "image/png"],
      ["scripts/extract.py", "script", script.length, "text/x-python"]
    ])

    const text = await client.skills.getFile(skill.id, "scripts/extract.py")
    expect(text).toBeInstanceOf(Blob)
    expect(text.type).toBe("text/x-python;charset=utf-8")
    expect(await text.text()).toBe(script)
    const image = await client.skills.getFile(skill.id, "assets/logo.png")
    expect(image.type).toBe("image/png")
    const exact = await direct.skills.getFile(skill.id, "assets/logo.png", { workspaceId: ws })
    expect(exact.type).toBe("image/png")
    expect(new Uint8Array(await exact.arrayBuffer())).toEqual(binary)

    const ndjson = new TextDecoder().decode(await bytesOf(await client.skills.getBundle(skill.id)))
    const records = ndjson.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(records.map((r) => r["type"])).toEqual(["header", "file", "file", "footer"])
    expect(records[0]).toEqual({ type: "header", skill_id: skill.id, skill_name: "pdf-tools", version: "0.1.0", file_count: 2 })
    expect(records[1]).toMatchObject({ path: "assets/logo.png", content_b64: Buffer.from(binary).toString("base64") })
    expect(records[3]).toEqual({ type: "footer", file_count: 2, bundle_hash: afterUpload.bundle_hash })

    expect((await bytesOf(await client.skills.getBundle(skill.id, "tar.gz"))).length).toBeGreaterThan(0)
    const tar = tarGzEntries(await bytesOf(await direct.skills.getBundle(skill.id, "tar.gz", { workspaceId: ws })))
    expect([...tar.keys()].sort()).toEqual(["assets/logo.png", "scripts/extract.py"])
    expect(tar.get("assets/logo.png")).toEqual(binary)
    expect(new TextDecoder().decode(tar.get("scripts/extract.py"))).toBe(script)

    expect(await client.skills.sync(skill.id, {})).toMatchObject({ action: "pull", server_manifest_hash: skill.manifest_hash, server_bundle_hash: afterUpload.bundle_hash })
    expect((await client.skills.sync(skill.id, { manifestHash: skill.manifest_hash, bundleHash: afterUpload.bundle_hash })).action).toBe("in_sync")
    expect((await client.skills.sync(skill.id, { manifestHash: "0".repeat(64), bundleHash: afterUpload.bundle_hash })).action).toBe("conflict")

    await client.skills.deleteFile(skill.id, "assets/logo.png")
    expect((await client.skills.listFiles(skill.id)).map((f) => f.path)).toEqual(["scripts/extract.py"])
    expect((await client.skills.get(skill.id)).bundle_hash).toBe(skill.bundle_hash)
    // Deleting a path that holds no file is not an error.
    await expect(client.skills.deleteFile(skill.id, "assets/logo.png")).resolves.toBeUndefined()
    expect(await failure(client.skills.getFile(skill.id, "assets/logo.png"))).toBeInstanceOf(NotFoundError)
  })

  it("update, replaceManifest, deleteManifest, restoreManifest and delete write revisions; listRevisions lists them newest first", async () => {
    const { client } = inWorkspace("skill-revisions")
    const skill = await client.skills.save("csv-tools", "Read CSV files", { files: [{ path: "references/format.md", content: "# CSV\n" }] })

    const updated = await client.skills.update(skill.id, { version: "0.2.0", metadata: { owner: "data" } })
    expect(updated).toMatchObject({ version: "0.2.0", metadata: { owner: "data" }, revision: 2, description: "Read CSV files" })

    const replaced = await client.skills.replaceManifest(skill.id, "Read and write CSV files", { version: "0.3.0" })
    expect(replaced).toMatchObject({ revision: 3, description: "Read and write CSV files", version: "0.3.0", metadata: {} })
    expect(replaced.etag).toMatch(SKILL_ETAG)

    const stale = await failure(client.skills.replaceManifest(skill.id, "Stale", { ifMatch: skill.etag }))
    expect(stale).toBeInstanceOf(ConflictError)
    expect(stale.statusCode).toBe(412)

    const tombstone = await client.skills.deleteManifest(skill.id)
    expect(tombstone.deleted_at).not.toBeNull()
    expect(await failure(client.skills.get(skill.id))).toBeInstanceOf(NotFoundError)
    // A deleted skill keeps its name.
    const nameTaken = await failure(client.skills.save("csv-tools", "Another"))
    expect(nameTaken).toBeInstanceOf(ConflictError)
    expect(nameTaken.message).toBe("skillsSave: 409 skill id or scoped name already exists")

    const restored = await client.skills.restoreManifest(skill.id)
    expect(restored).toMatchObject({ deleted_at: null, revision: 5, description: "Read and write CSV files" })
    expect((await client.skills.listFiles(skill.id)).map((f) => f.path)).toEqual(["references/format.md"])
    expect(await failure(client.skills.restoreManifest(skill.id))).toBeInstanceOf(ConflictError)

    await client.skills.delete(skill.id)
    expect(await failure(client.skills.get(skill.id))).toBeInstanceOf(NotFoundError)
    expect(await failure(client.skills.delete(skill.id))).toBeInstanceOf(NotFoundError)

    const { revisions } = await client.skills.listRevisions(skill.id)
    expect(revisions.map((r) => [r.action, r.skill.revision])).toEqual([
      ["delete", 6], ["restore", 5], ["delete", 4], ["replace", 3], ["replace", 2], ["create", 1]
    ])
    // The conditional writes (3, 4, 5) carry the SDK's Idempotency-Key; the unconditional ones a key of the server's.
    expect(revisions.map((r) => UUID.test(r.operation_id))).toEqual([false, true, true, true, false, false])
  })

  it("list and resolve find a skill by name; query-mode resolve finds nothing on 0.2.0; typed errors of bad input", async () => {
    const { client } = inWorkspace("skill-find")
    const skill = await client.skills.save("pdf-tools", "Extract text from PDF files")
    const csv = await client.skills.save("csv-tools", "Read CSV files")
    await client.skills.update(csv.id, { enabled: false })

    expect((await client.skills.list({ includeGlobal: false })).skills.map((s) => s.name).sort()).toEqual(["csv-tools", "pdf-tools"])
    expect((await client.skills.list({ includeGlobal: false, name: "pdf-tools" })).skills.map((s) => s.id)).toEqual([skill.id])
    expect((await client.skills.list({ includeGlobal: false, enabled: false })).skills.map((s) => s.name)).toEqual(["csv-tools"])

    expect(await client.skills.resolve("pdf-tools")).toEqual({ skill, candidates: [] })
    expect(await client.skills.resolve("no-such-skill")).toEqual({ skill: null, candidates: [] })
    // Query mode searches memory mirrors the default skills service never writes.
    expect(await client.skills.resolve(undefined, { query: "extract text from a PDF" })).toEqual({ skill: null, candidates: [] })

    const neither = await failure(client.skills.resolve())
    expect(neither).toBeInstanceOf(ValidationError)
    expect(neither.statusCode).toBe(400)
    const badName = await failure(client.skills.save("PDF", "Upper case is refused"))
    expect(badName).toBeInstanceOf(ValidationError)
    expect(badName.statusCode).toBeUndefined()
    const conditionalWithFiles = await failure(client.skills.save("with-files", "Files", {
      idempotencyKey: crypto.randomUUID(),
      ifNoneMatch: "*",
      files: [{ path: "a.txt", content: "a" }]
    }))
    expect(conditionalWithFiles).toBeInstanceOf(ValidationError)
    expect(conditionalWithFiles.statusCode).toBe(400)
    expect(await failure(client.skills.getManifest("skl_does_not_exist"))).toBeInstanceOf(NotFoundError)
    expect(await failure(client.skills.getBundle("skl_does_not_exist"))).toBeInstanceOf(NotFoundError)
  })

  it("a conditional save (Idempotency-Key and If-None-Match: *) is replayed, not repeated, when sent again", async () => {
    const { client } = inWorkspace("skill-conditional")
    const key = crypto.randomUUID()
    const first = await client.skills.save("cond-skill", "Conditional", { idempotencyKey: key, ifNoneMatch: "*" })
    const again = await client.skills.save("cond-skill", "Conditional", { idempotencyKey: key, ifNoneMatch: "*" })
    expect(again).toEqual(first)
    expect((await client.skills.list({ includeGlobal: false })).skills.map((s) => s.id)).toEqual([first.id])
  })
})

describe("mcpServers", () => {
  it("create, get, list, update, sync, delete; secrets masked unless revealSecrets", async () => {
    const { client, ws } = inWorkspace("mcp")
    const git = await client.mcpServers.create("git", "stdio", { command: "git-mcp", args: ["--repo", "."], env: { TOKEN: "s3cret", HOME: "${HOME}" } })
    expect(git).toMatchObject({ name: "git", transport: "stdio", workspace_id: ws, command: "git-mcp", args: ["--repo", "."], env: { TOKEN: "***", HOME: "${HOME}" }, enabled: true })
    const web = await client.mcpServers.create("web", "http", { url: "https://mcp.example.test/v1", headers: { Authorization: "Bearer abc" }, description: "Web search" })
    expect(web.headers).toEqual({ Authorization: "***" })

    expect((await client.mcpServers.get(git.id, { revealSecrets: true })).env).toEqual({ TOKEN: "s3cret", HOME: "${HOME}" })
    expect(await client.mcpServers.get(git.id)).toEqual(git)
    expect((await client.mcpServers.list()).mcp_servers.map((s) => s.name).sort()).toEqual(["git", "web"])
    expect((await client.mcpServers.list({ transport: "http" })).mcp_servers.map((s) => s.id)).toEqual([web.id])

    const updated = await client.mcpServers.update(git.id, { args: ["--repo", "/srv/repo"], enabled: false })
    expect(updated).toMatchObject({ args: ["--repo", "/srv/repo"], enabled: false, env: { TOKEN: "***", HOME: "${HOME}" } })
    expect(updated.manifest_hash).not.toBe(git.manifest_hash)

    expect((await client.mcpServers.sync(git.id, {})).action).toBe("pull")
    expect((await client.mcpServers.sync(git.id, { manifestHash: updated.manifest_hash }))).toMatchObject({ action: "in_sync", server_manifest_hash: updated.manifest_hash })
    expect((await client.mcpServers.sync(git.id, { manifestHash: git.manifest_hash })).action).toBe("conflict")

    await client.mcpServers.delete(git.id)
    expect(await failure(client.mcpServers.get(git.id))).toBeInstanceOf(NotFoundError)
    expect(await failure(client.mcpServers.delete(git.id))).toBeInstanceOf(NotFoundError)
    expect(await failure(client.mcpServers.sync(git.id, {}))).toBeInstanceOf(NotFoundError)
  })

  it("importJson creates then updates by name, exportJson renders the enabled ones as .mcp.json, resolve finds by name", async () => {
    const { client } = inWorkspace("mcp-json")
    const document = {
      git: { command: "git-mcp", args: ["--repo", "."], env: { TOKEN: "${GIT_TOKEN}" } },
      web: { url: "https://mcp.example.test/v2", type: "http" }
    }
    expect(await client.mcpServers.importJson(document)).toEqual({ imported: 2, updated: 0, skipped: 0, errors: [] })
    // An update replaces the lists and maps it is given and clears those it is not.
    expect(await client.mcpServers.importJson({ git: { command: "git-mcp", args: ["--repo", "/srv"] } })).toEqual({ imported: 0, updated: 1, skipped: 0, errors: [] })

    expect(await client.mcpServers.exportJson()).toEqual({
      mcpServers: {
        git: { command: "git-mcp", args: ["--repo", "/srv"] },
        web: { url: "https://mcp.example.test/v2", type: "http" }
      }
    })
    const web = (await client.mcpServers.resolve("web")).mcp_server
    expect(web).toMatchObject({ name: "web", transport: "http", url: "https://mcp.example.test/v2" })
    expect(await client.mcpServers.resolve("missing")).toEqual({ mcp_server: null, candidates: [] })
    expect(await client.mcpServers.resolve(undefined, { query: "search the web" })).toEqual({ mcp_server: null, candidates: [] })
    await client.mcpServers.update(web?.id ?? "", { enabled: false })
    expect(Object.keys((await client.mcpServers.exportJson()).mcpServers)).toEqual(["git"])
  })

  it("typed errors: a stdio server without command, a duplicate name (500 on 0.2.0), a bad document, neither name nor query", async () => {
    const { client } = inWorkspace("mcp-errors")
    const noCommand = await failure(client.mcpServers.create("broken", "stdio"))
    expect(noCommand).toBeInstanceOf(ValidationError)
    expect(noCommand.statusCode).toBe(422)

    await client.mcpServers.create("dup", "stdio", { command: "x" })
    const duplicate = await failure(client.mcpServers.create("dup", "stdio", { command: "y", maxRetries: 0 }))
    expect(duplicate).toBeInstanceOf(ServerError)
    expect(duplicate.statusCode).toBe(500)
    expect(duplicate.message).toBe("mcpServersCreate: 500 Failed to create MCP server")

    const badDocument = await failure(client.mcpServers.importJson({ "Bad Name": { command: "x" } }))
    expect(badDocument).toBeInstanceOf(ValidationError)
    expect(badDocument.statusCode).toBe(400)
    expect(await failure(client.mcpServers.resolve())).toBeInstanceOf(ValidationError)
  })
})

describe("dataProviders", () => {
  it("create, get, list, update, sync, delete; _default only in the server's first workspace; typed errors", async () => {
    const { client, ws } = inWorkspace("providers")
    const { client: later } = inWorkspace("providers-later")
    // The first read of a workspace's providers tries to create its `_default` local provider, but 0.2.0 keys
    // providers by id across the server, so only the first workspace that reads any gets one.
    const first = await client.dataProviders.list()
    expect(first.providers.every((p) => p.id === "_default" && p.workspace_id === ws && p.provider_type === "local")).toBe(true)
    expect(await later.dataProviders.list()).toEqual({ providers: [], total_count: 0 })
    expect(await failure(later.dataProviders.get("_default"))).toBeInstanceOf(NotFoundError)
    const before = first.total_count

    const drive = await client.dataProviders.create("  Team drive  ", { description: "Shared documents", connectionArgs: { root: "/srv/docs" } })
    expect(drive).toMatchObject({ name: "Team drive", workspace_id: ws, provider_type: "local", description: "Shared documents", connection_args: { root: "/srv/docs" }, enabled: true, last_sync_at: null })
    expect(drive.id).toMatch(/^dp_/)
    expect(await client.dataProviders.get(drive.id)).toEqual(drive)
    expect((await client.dataProviders.list()).total_count).toBe(before + 1)

    const updated = await client.dataProviders.update(drive.id, { enabled: false, schedule: "0 * * * *" })
    expect(updated).toMatchObject({ enabled: false, schedule: "0 * * * *", description: "Shared documents" })

    expect(await client.dataProviders.sync(drive.id)).toEqual({ provider_id: drive.id, workspace_id: ws, synced_documents: [] })
    expect((await client.dataProviders.get(drive.id)).last_sync_at).toBeNull()

    await client.dataProviders.delete(drive.id)
    expect(await failure(client.dataProviders.get(drive.id))).toBeInstanceOf(NotFoundError)
    expect(await failure(client.dataProviders.update(drive.id, { enabled: true }))).toBeInstanceOf(NotFoundError)
    expect(await failure(client.dataProviders.sync(drive.id))).toBeInstanceOf(NotFoundError)
    expect(await failure(client.dataProviders.delete(drive.id))).toBeInstanceOf(NotFoundError)
    const blank = await failure(client.dataProviders.create("   "))
    expect(blank).toBeInstanceOf(ValidationError)
    expect(blank.statusCode).toBeUndefined()
  })
})

describe("kb", () => {
  it("generate from six linked memories: metadata, articles, one article, the vault ZIP, graph analysis and communities", async () => {
    const ws = `ws-tools-kb-${tag()}`
    await root.createWorkspace("Knowledge base", { id: ws })
    const client = root.forWorkspace(ws)
    opened.push(client)

    const before = await failure(client.kb.get())
    expect(before).toBeInstanceOf(NotFoundError)
    expect(before.message).toBe("kbGet: 404 No knowledgebase found for this workspace. Run POST /v1/knowledgebase/generate first.")
    expect(await client.kb.listArticles()).toEqual({ articles: [], total: 0 })
    // Before any generation the vault is an empty ZIP (22 bytes), not a 404.
    expect(zipEntries(await bytesOf(await client.kb.exportVault())).size).toBe(0)
    const exact = direct.forWorkspace(ws)
    opened.push(exact)

    const facts = ["Alice leads the payments team", "Bob reviews payments code", "Carol owns the ledger service", "Dave runs the search cluster", "Erin tunes search ranking", "Frank writes search docs"]
    const memories = []
    for (const fact of facts) memories.push(await client.remember(fact))
    const ids = memories.map((m) => m.id)
    for (const [a, b] of [[0, 1], [1, 2], [0, 2], [3, 4], [4, 5], [3, 5], [2, 3]] as const) {
      await client.associate(ids[a] ?? "", ids[b] ?? "", RelationshipType.RELATED_TO)
    }

    const generated = await client.kb.generate({ maxCommunities: 10 })
    expect(generated).toMatchObject({ workspace_id: ws, article_count: 9, community_count: 2, stats: { node_count: 6, edge_count: 7, community_count: 2 } })
    expect(await client.kb.get(ws)).toMatchObject({ workspace_id: ws, article_count: 9, community_count: 2 })

    const { articles, total } = await client.kb.listArticles()
    expect(total).toBe(9)
    expect(articles.filter((a) => a.article_type === "community").map((a) => a.id).sort()).toEqual(["community-0", "community-1"])
    expect(articles.filter((a) => a.article_type === "entity")).toHaveLength(6)
    expect((await client.kb.listArticles({ articleType: "community" })).articles).toHaveLength(2)
    const alice = articles.find((a) => a.title === "Alice leads the payments team")
    expect(alice?.id).toBe(`entity-alice-leads-the-payments-team-${ids[0]?.slice(0, 8)}`)

    const index = await client.kb.getArticle("index")
    expect(index).toMatchObject({ id: "index", article_type: "index" })
    expect(index.content_md).toContain("| Memories (nodes) | 6 |")
    expect(await failure(client.kb.getArticle("community-99"))).toBeInstanceOf(NotFoundError)

    expect((await bytesOf(await client.kb.exportVault())).length).toBeGreaterThan(1000)
    const vault = zipEntries(await bytesOf(await exact.kb.exportVault()))
    expect([...vault.keys()].sort()).toEqual([
      "communities/community-0.md",
      "communities/community-1.md",
      ...facts.map((f, i) => `entities/${f.toLowerCase().replaceAll(" ", "-")}-${ids[i]?.slice(0, 8)}.md`).sort(),
      "index.md"
    ].sort())
    expect(new TextDecoder().decode(vault.get("index.md"))).toBe(index.content_md)

    const analysis = await client.kb.getGraphAnalysis()
    expect(analysis.communities.map((c) => c.size)).toEqual([3, 3])
    expect(analysis.snapshot).toMatchObject({ workspace_id: ws, node_count: 6, edge_count: 7 })
    expect(analysis.bridges.length).toBeGreaterThan(0)
    expect((await client.kb.getGraphAnalysis({ includeCentralNodes: false })).central_nodes).toEqual([])

    const community = await client.kb.getCommunity(0)
    expect(community).toMatchObject({ id: 0, size: 3, label: "Community 0" })
    expect(community.memory_ids.every((id) => ids.includes(id))).toBe(true)
    const missing = await failure(client.kb.getCommunity(99))
    expect(missing).toBeInstanceOf(NotFoundError)
    expect(missing.message).toBe("kbGetCommunity: 404 Community 99 not found")
    expect(await failure(client.kb.getCommunity(1.5))).toBeInstanceOf(ValidationError)

    // In the background the answer is the current metadata at once.
    expect(await client.kb.generate({ background: true })).toMatchObject({ article_count: 9 })
  })
})
