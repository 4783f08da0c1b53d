/**
 * The Python client's client-side compositions, on both faces against the
 * real server: `skills.pull`, `skills.push` and `skills.materialize` with
 * text and binary files, and `mcpServers.pushJson` / `pullJson`; and the
 * paths a stored skill can hold that must never reach a caller.
 */
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, inject, it } from "vitest"
import { MemoryLayer, type MemoryLayerService } from "../../src/effect.ts"
import { ConflictError, DecodeError, MemoryLayerClient, NotFoundError, ValidationError } from "../../src/index.ts"
import { recording, reportCoverage } from "./coverage.ts"

const baseUrl = inject("memorylayerUrl")
const fetch = recording()
reportCoverage("tools-compositions")

const clients: Array<MemoryLayerClient> = []
afterAll(() => Promise.all(clients.map((c) => c.close())))

const tag = (): string => crypto.randomUUID().slice(0, 8)
const workspace = (label: string): string => `ws-compose-${label}-${tag()}`
const inWorkspace = (ws: string): MemoryLayerClient => {
  const client = new MemoryLayerClient({ baseUrl, apiKey: "e2e-key", workspaceId: ws, fetch })
  clients.push(client)
  return client
}
const withService = <A, E>(ws: string, program: (ml: MemoryLayerService) => Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromise(Effect.flatMap(Effect.service(MemoryLayer), program).pipe(
    Effect.provide(MemoryLayer.layer({ baseUrl, apiKey: "e2e-key", workspaceId: ws, fetch }))
  ))

const SKILL_MD = [
  "---",
  "name: folder-skill",
  "description: >-",
  "  Extract text and tables",
  "  from PDF files.",
  "version: 1.2.0",
  "license: MIT",
  "allowed-tools: [Bash, Read]",
  "---",
  "",
  "# Folder skill",
  "",
  "Run `scripts/extract.py <file>`.",
  ""
].join("\n")
const script = "import sys\nprint(sys.argv[1:])  # é\n"
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0xfe, 0x80])
const folder = {
  manifest: SKILL_MD,
  files: [
    { path: "scripts/extract.py", content: script, mimeType: "text/x-python" },
    { path: "assets/logo.png", content: png, mimeType: "image/png" },
    { path: "references/deep/notes.md", content: new TextEncoder().encode("# Notes\n") }
  ]
}

describe("skills.push, pull and materialize", () => {
  it("Promise: push a folder with text and binary files, pull it back byte for byte, and push the pull into another workspace", async () => {
    const ws = workspace("round-trip")
    const client = inWorkspace(ws)
    const pushed = await client.skills.push(folder)
    expect(pushed).toMatchObject({
      name: "folder-skill",
      description: "Extract text and tables from PDF files.",
      version: "1.2.0",
      license: "MIT",
      allowed_tools: "Bash Read",
      body: "# Folder skill\n\nRun `scripts/extract.py <file>`.\n",
      workspace_id: ws
    })
    expect((await client.skills.listFiles(pushed.id)).map((f) => [f.path, f.kind, f.mime_type])).toEqual([
      ["assets/logo.png", "asset", "image/png"],
      ["references/deep/notes.md", "reference", null],
      ["scripts/extract.py", "script", "text/x-python"]
    ])

    const pulled = await client.skills.pull("folder-skill")
    expect(pulled.skill.id).toBe(pushed.id)
    expect(pulled.bundleHash).toBe(pushed.bundle_hash)
    expect(pulled.manifest).toBe(await client.skills.getManifest(pushed.id))
    expect(Object.fromEntries(pulled.files.map((f) => [f.path, [...f.content]]))).toEqual({
      "assets/logo.png": [...png],
      "references/deep/notes.md": [...new TextEncoder().encode("# Notes\n")],
      "scripts/extract.py": [...new TextEncoder().encode(script)]
    })

    // A pulled folder pushes as it is: same files, same bundle hash.
    const copy = await inWorkspace(workspace("copy")).skills.push(pulled)
    expect(copy.id).not.toBe(pushed.id)
    expect(copy.bundle_hash).toBe(pushed.bundle_hash)
    expect(copy).toMatchObject({ description: pushed.description, version: "1.2.0", allowed_tools: "Bash Read", body: pushed.body })

    const again = await client.skills.push(folder).catch((e: unknown) => e)
    expect(again).toBeInstanceOf(ConflictError)
    expect((again as ConflictError).statusCode).toBe(409)
  })

  it("Effect: push, then pull with addenda off, then materialize pulls only what changed since the caller's hashes", async () => {
    const ws = workspace("effect")
    const { pushed, pulled, first, second } = await withService(ws, (ml) =>
      Effect.gen(function*() {
        const pushed = yield* ml.skills.push(folder, { metadata: { owner: "docs" } })
        yield* ml.skills.push({ manifest: "---\nname: tiny-skill\ndescription: Tiny\n---\n" })
        const pulled = yield* ml.skills.pull("folder-skill")
        const first = yield* ml.skills.materialize({ includeGlobal: false })
        const known = Object.fromEntries(first.pulled.map((p) => [p.skill.name, { manifestHash: p.skill.manifest_hash, bundleHash: p.bundleHash }]))
        yield* ml.skills.replaceManifest(pushed.id, "Extract text, tables and images from PDF files.")
        const second = yield* ml.skills.materialize({ includeGlobal: false, known })
        return { pushed, pulled, first, second }
      }))
    expect(pushed.metadata).toEqual({ owner: "docs" })
    // 0.2.0 renders metadata as the text of a Python dict.
    expect(pulled.manifest).toContain("metadata: \"{'owner': 'docs'}\"")
    expect(pulled.files.map((f) => f.path)).toEqual(["assets/logo.png", "references/deep/notes.md", "scripts/extract.py"])
    expect(first.pulled.map((p) => p.skill.name).sort()).toEqual(["folder-skill", "tiny-skill"])
    expect(first.unchanged).toEqual([])
    expect(second.pulled.map((p) => [p.skill.name, p.manifest.includes("images")])).toEqual([["folder-skill", true]])
    expect(second.unchanged.map((s) => s.name)).toEqual(["tiny-skill"])
  })

  it("pull finds a _global skill from any workspace and reads it where it lives; a name nobody has is NotFoundError", async () => {
    const name = `global-${tag()}`
    const owner = inWorkspace(workspace("owner"))
    await owner.skills.push({ manifest: `---\nname: ${name}\ndescription: Shared\n---\n`, files: [{ path: "a.txt", content: "A" }] }, { workspaceId: "_global" })
    const elsewhere = workspace("elsewhere")
    const pulled = await inWorkspace(elsewhere).skills.pull(name)
    expect(pulled.skill.workspace_id).toBe("_global")
    expect(pulled.files.map((f) => new TextDecoder().decode(f.content))).toEqual(["A"])
    const viaEffect = await withService(elsewhere, (ml) => ml.skills.pull(name))
    expect(viaEffect.bundleHash).toBe(pulled.bundleHash)

    const missing = await inWorkspace(elsewhere).skills.pull(`nobody-${tag()}`).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(NotFoundError)
  })

  it("a stored path that would leave the folder never reaches the caller: pull and materialize fail with DecodeError naming it", async () => {
    const ws = workspace("traversal")
    const client = inWorkspace(ws)
    const skill = await client.skills.push({ manifest: "---\nname: sneaky\ndescription: Sneaky\n---\n", files: [{ path: "ok.txt", content: "fine" }] })
    // The server stores any path as given.
    await client.skills.upsertFile(skill.id, "../../.bashrc", btoa("echo pwned\n"))
    expect((await client.skills.listFiles(skill.id)).map((f) => f.path)).toContain("../../.bashrc")

    const pulled = await client.skills.pull("sneaky").catch((e: unknown) => e)
    expect(pulled).toBeInstanceOf(DecodeError)
    expect((pulled as DecodeError).message).toBe(
      `skills.pull: the bundle of skill sneaky (${skill.id}) holds a file whose path would leave the skill folder: "../../.bashrc" must not have empty, . or .. segments; it was not read`
    )
    const materialized = await withService(ws, (ml) => Effect.flip(ml.skills.materialize({ includeGlobal: false })))
    expect(materialized).toBeInstanceOf(DecodeError)
    expect(materialized.operation).toBe("skills.materialize")

    // And push refuses such paths before sending anything.
    const refused = await client.skills.push({ manifest: "---\nname: other\ndescription: x\n---\n", files: [{ path: "/etc/passwd", content: "x" }] }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(ValidationError)
    expect((refused as ValidationError).issues).toEqual([{ path: ["folder", "files", 0, "path"], message: "must be relative to the skill folder" }])
    expect((await client.skills.list({ includeGlobal: false })).skills.map((s) => s.name)).toEqual(["sneaky"])
  })
})

describe("mcpServers.pushJson and pullJson", () => {
  const document = JSON.stringify({
    mcpServers: {
      git: { command: "git-mcp", args: ["--repo", "."], env: { GIT_TOKEN: "s3cret" } },
      search: { url: "https://mcp.example.test/search", type: "http", headers: { Authorization: "Bearer abc" } }
    }
  }, null, 2)

  it("Promise: a .mcp.json text is imported in one request, pushed again it updates, and pulls back as a document", async () => {
    const client = inWorkspace(workspace("mcp"))
    expect(await client.mcpServers.pushJson(document)).toEqual({ imported: 2, updated: 0, skipped: 0, errors: [] })
    expect(await client.mcpServers.pushJson(document)).toEqual({ imported: 0, updated: 2, skipped: 0, errors: [] })
    expect(await client.mcpServers.pullJson({ revealSecrets: true })).toEqual(JSON.parse(document))
    expect(await client.mcpServers.pullJson()).toEqual({
      mcpServers: {
        git: { command: "git-mcp", args: ["--repo", "."], env: { GIT_TOKEN: "***" } },
        search: { url: "https://mcp.example.test/search", type: "http", headers: { Authorization: "***" } }
      }
    })
    expect(Object.keys((await client.mcpServers.pullJson({ transport: "http" })).mcpServers)).toEqual(["search"])
    expect((await client.mcpServers.list()).mcp_servers.map((s) => s.name).sort()).toEqual(["git", "search"])
  })

  it("Effect: push a parsed document, pull only stdio servers; a document that is not one is a ValidationError", async () => {
    const ws = workspace("mcp-effect")
    const result = await withService(ws, (ml) =>
      Effect.gen(function*() {
        const pushed = yield* ml.mcpServers.pushJson(JSON.parse(document) as { mcpServers: Record<string, never> })
        const stdio = yield* ml.mcpServers.pullJson({ transport: "stdio", revealSecrets: true })
        const refused = yield* Effect.flip(ml.mcpServers.pushJson("{\"servers\": {}}"))
        return { pushed, stdio, refused }
      }))
    expect(result.pushed.imported).toBe(2)
    expect(result.stdio).toEqual({ mcpServers: { git: { command: "git-mcp", args: ["--repo", "."], env: { GIT_TOKEN: "s3cret" } } } })
    expect(result.refused).toBeInstanceOf(ValidationError)
  })
})
