/**
 * The client-side compositions of `client.skills` (pull, push, materialize)
 * and `client.mcpServers` (pushJson, pullJson) against an in-process server:
 * what they send, what they refuse before sending, and what they refuse to
 * hand back (paths that leave the folder, bytes that do not match their hash).
 */
import { createHash } from "node:crypto"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import { DecodeError, MemoryLayerClient, NotFoundError, ValidationError } from "../../src/index.ts"
import { unsafePath } from "../../src/skill-transfer.ts"
import { skillExample } from "../support/fixtures.ts"

const sha = (data: Uint8Array | string): string => createHash("sha256").update(data).digest("hex")

/** A bundle file record for `path` holding `bytes`. */
const fileRecord = (path: string, bytes: Uint8Array) => ({
  type: "file",
  path,
  kind: path.startsWith("scripts/") ? "script" : "other",
  content_b64: Buffer.from(bytes).toString("base64"),
  content_hash: sha(bytes),
  size_bytes: bytes.length,
  mime_type: null
})

/** The NDJSON bundle of `files` as memorylayer-server writes it (its bundle hash computed as the server does). */
const bundle = (files: ReadonlyArray<ReturnType<typeof fileRecord>>, tamper: (hash: string) => string = (h) => h): string => {
  const hash = sha([...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => `${f.path}:${f.content_hash}`).join("\n"))
  return [
    { type: "header", skill_id: "skl_1", skill_name: "pdf-tools", version: "0.1.0", file_count: files.length },
    ...files,
    { type: "footer", file_count: files.length, bundle_hash: tamper(hash) }
  ].map((r) => JSON.stringify(r)).join("\n") + "\n"
}

interface Sent {
  readonly method: string
  readonly path: string
  readonly body: unknown
}

/** A server for one skill: resolve finds it, the manifest and bundle are `manifest` and `ndjson`; every request is kept. */
const skillServer = (ndjson: string, sent: Array<Sent>, skill: Record<string, unknown> = { ...skillExample, id: "skl_1", name: "pdf-tools", workspace_id: "_global" }) =>
  async (request: Request): Promise<Response> => {
    const url = new URL(request.url)
    const text = await request.text()
    sent.push({ method: request.method, path: `${url.pathname}${url.search}`, body: text === "" ? undefined : JSON.parse(text) })
    if (url.pathname === "/v1/skills/resolve") return Response.json({ skill, candidates: [] })
    if (url.pathname.endsWith("/manifest")) return new Response("---\nname: pdf-tools\ndescription: d\nversion: 0.1.0\n---\n", { headers: { "content-type": "text/markdown; charset=utf-8" } })
    if (url.pathname.endsWith("/bundle")) return new Response(ndjson, { headers: { "content-type": "application/x-ndjson" } })
    return Response.json({ detail: "not here" }, { status: 404 })
  }

const client = (fetch: (request: Request) => Response | Promise<Response>): MemoryLayerClient => new MemoryLayerClient({ baseUrl: "http://ml.test", fetch, maxRetries: 0 })

describe("the Python client's compositions", () => {
  it("skills.pull, push, materialize and mcp_servers.push_json, pull_json exist, camelCased, on both faces", async () => {
    const c = new MemoryLayerClient({ baseUrl: "http://ml.test", fetch: () => Response.json({}) })
    const service = await Effect.runPromise(Effect.service(MemoryLayer).pipe(Effect.provide(MemoryLayer.layer({ baseUrl: "http://ml.test" }))))
    for (const face of [c, service] as const) {
      expect([face.skills.pull, face.skills.push, face.skills.materialize, face.mcpServers.pushJson, face.mcpServers.pullJson].map((f) => typeof f)).toEqual(Array(5).fill("function"))
      // Beside the generated methods of the same namespaces.
      expect(typeof face.skills.getBundle).toBe("function")
      expect(typeof face.mcpServers.importJson).toBe("function")
    }
    await c.close()
  })
})

describe("unsafePath", () => {
  it("accepts relative /-separated paths and refuses the ones that could leave the folder", () => {
    for (const path of ["SKILL2.md", "scripts/extract.py", "a/b/c.txt", ".hidden", "a..b/c"]) expect(unsafePath(path)).toBeUndefined()
    expect(unsafePath("../x")).toBe("must not have empty, . or .. segments")
    expect(unsafePath("a/../../x")).toBe("must not have empty, . or .. segments")
    expect(unsafePath("a//b")).toBe("must not have empty, . or .. segments")
    expect(unsafePath("./a")).toBe("must not have empty, . or .. segments")
    expect(unsafePath("/etc/passwd")).toBe("must be relative to the skill folder")
    expect(unsafePath("C:/x")).toBe("must be relative to the skill folder")
    expect(unsafePath("a\\..\\x")).toBe("must not contain a backslash (paths are /-separated)")
    expect(unsafePath("a\0b")).toBe("must not contain NUL")
    expect(unsafePath("SKILL.md")).toBe("is SKILL.md itself, which is the manifest")
    expect(unsafePath("")).toBe("must be a non-empty string")
  })
})

describe("skills.pull", () => {
  const script = new TextEncoder().encode("print('hi')\n")
  const binary = new Uint8Array([0, 255, 128, 7])

  it("reads the skill in its own workspace and returns SKILL.md and every file's bytes, checked against their hashes", async () => {
    const sent: Array<Sent> = []
    const c = client(skillServer(bundle([fileRecord("assets/x.bin", binary), fileRecord("scripts/run.py", script)]), sent))
    const pulled = await c.skills.pull("pdf-tools")
    await c.close()
    expect(pulled.manifest).toBe("---\nname: pdf-tools\ndescription: d\nversion: 0.1.0\n---\n")
    expect(pulled.files.map((f) => [f.path, f.kind, [...f.content], f.sizeBytes])).toEqual([
      ["assets/x.bin", "other", [0, 255, 128, 7], 4],
      ["scripts/run.py", "script", [...script], script.length]
    ])
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual([
      "POST /v1/skills/resolve",
      "GET /v1/skills/skl_1/manifest?workspace_id=_global",
      "GET /v1/skills/skl_1/bundle?format=ndjson&workspace_id=_global"
    ])
  })

  it("accepts a skill that never had files, whose bundle hash is empty", async () => {
    const c = client(skillServer(bundle([], () => ""), []))
    const pulled = await c.skills.pull("pdf-tools")
    await c.close()
    expect(pulled.files).toEqual([])
    expect(pulled.bundleHash).toBe("")
  })

  it("refuses a bundle with a path that leaves the folder, naming it, and returns nothing of it", async () => {
    for (const evil of ["../../.bashrc", "/etc/cron.d/x", "scripts/../../x", "a\\..\\..\\x"]) {
      const c = client(skillServer(bundle([fileRecord("scripts/run.py", script), fileRecord(evil, binary)]), []))
      const error = await c.skills.pull("pdf-tools").catch((e: unknown) => e)
      await c.close()
      expect(error).toBeInstanceOf(DecodeError)
      expect((error as DecodeError).message).toContain(`holds a file whose path would leave the skill folder: ${JSON.stringify(evil)}`)
    }
  })

  it("refuses a bundle whose bytes or bundle hash do not match, or whose counts disagree", async () => {
    const tampered = { ...fileRecord("scripts/run.py", script), content_b64: Buffer.from("print('pwned')\n").toString("base64") }
    const cases = [
      bundle([tampered]),
      bundle([fileRecord("scripts/run.py", script)], () => "0".repeat(64)),
      bundle([fileRecord("scripts/run.py", script)]).replace("\"file_count\": 1", "\"file_count\": 2").replace("\"file_count\":1", "\"file_count\":2")
    ]
    const messages: Array<string> = []
    for (const ndjson of cases) {
      const c = client(skillServer(ndjson, []))
      const error = await c.skills.pull("pdf-tools").catch((e: unknown) => e)
      await c.close()
      expect(error).toBeInstanceOf(DecodeError)
      messages.push((error as DecodeError).message.replace(/^.*\) /, ""))
    }
    expect(messages).toEqual([
      "holds scripts/run.py, whose bytes do not match its size or hash",
      "does not match its bundle hash",
      "announces 2 files and ends with 1, but holds 1"
    ])
  })

  it("fails with NotFoundError when no skill of that name is visible, and refuses a bad name or option before sending", async () => {
    const sent: Array<Sent> = []
    const none = client(async (request) => {
      sent.push({ method: request.method, path: new URL(request.url).pathname, body: undefined })
      return Response.json({ skill: null, candidates: [] })
    })
    const missing = await none.skills.pull("nope", { workspaceId: "ws-a" }).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(NotFoundError)
    expect((missing as NotFoundError).message).toBe("skills.pull: no skill named nope is visible in workspace ws-a")
    const bad = await none.skills.pull("", { workspaceID: "x" } as never).catch((e: unknown) => e)
    await none.close()
    expect(bad).toBeInstanceOf(ValidationError)
    expect((bad as ValidationError).issues.map((i) => i.path.join("."))).toEqual(["options.workspaceID", "name"])
    expect(sent).toHaveLength(1)
  })
})

describe("skills.push", () => {
  /** A server that creates what it is asked to and keeps every request. */
  const creatingServer = (sent: Array<Sent>) => async (request: Request): Promise<Response> => {
    const url = new URL(request.url)
    const text = await request.text()
    const body = text === "" ? undefined : JSON.parse(text) as Record<string, unknown>
    sent.push({ method: request.method, path: `${url.pathname}${url.search}`, body })
    const skill = { ...skillExample, id: "skl_new", workspace_id: "ws-a" }
    if (request.method === "POST") return Response.json({ skill: { ...skill, name: body?.["name"] }, replayed: false }, { status: 201 })
    if (request.method === "PUT") return Response.json({ path: "assets/logo.png", kind: "asset", size_bytes: 4, content_hash: "h", mime_type: "image/png" })
    return Response.json({ skill, replayed: false })
  }

  it("creates the skill from SKILL.md with the text files inline, then uploads each binary file byte for byte", async () => {
    const sent: Array<Sent> = []
    const c = client(creatingServer(sent))
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47])
    await c.skills.push({
      manifest: "---\nname: pdf-tools\ndescription: Extract text\nversion: 1.0\nallowed-tools: [Bash, Read]\nmetadata:\n  owner: data\n---\n\n# PDF tools\n",
      files: [
        { path: "scripts/run.py", content: "print('hi')\n", mimeType: "text/x-python" },
        { path: "references/notes.md", content: new TextEncoder().encode("\uFEFF# Notes é\n") },
        { path: "assets/logo.png", content: png, mimeType: "image/png" }
      ]
    }, { workspaceId: "ws-a" })
    await c.close()
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(["POST /v1/skills", "PUT /v1/skills/skl_new/files/assets%2Flogo.png?workspace_id=ws-a", "GET /v1/skills/skl_new?workspace_id=ws-a"])
    expect(sent[0]?.body).toEqual({
      name: "pdf-tools",
      description: "Extract text",
      version: "1.0",
      allowed_tools: "Bash Read",
      metadata: { owner: "data" },
      body: "# PDF tools\n",
      workspace_id: "ws-a",
      files: [
        { path: "scripts/run.py", content: "print('hi')\n", mime_type: "text/x-python" },
        { path: "references/notes.md", content: "\uFEFF# Notes é\n" }
      ]
    })
    expect(sent[1]?.body).toEqual({ content_b64: "iVBORw==", mime_type: "image/png" })
  })

  it("refuses, before sending anything, paths that leave the folder, unreadable front matter, and a missing name or description", async () => {
    const sent: Array<Sent> = []
    const c = client(creatingServer(sent))
    const error = await c.skills.push({
      manifest: "---\ndescription: {flow: map}\n---\n",
      files: [{ path: "../outside", content: "x" }, { path: "/abs", content: "x" }, { path: "ok.txt", content: 42 as never }]
    }).catch((e: unknown) => e)
    const noName = await c.skills.push({ manifest: "---\ndescription: d\nmetadata: \"{'a': 1}\"\n---\n" }).catch((e: unknown) => e)
    await c.close()
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((i) => i.path.join("."))).toEqual([
      "manifest",
      "folder.files.0.path",
      "folder.files.1.path",
      "folder.files.2.content",
      "manifest.name",
      "manifest.description"
    ])
    expect((noName as ValidationError).issues.map((i) => i.path.join("."))).toEqual(["manifest.metadata", "manifest.name"])
    expect(sent).toEqual([])
  })

  it("takes the name and metadata from the options when given", async () => {
    const sent: Array<Sent> = []
    const c = client(creatingServer(sent))
    await c.skills.push({ manifest: "---\ndescription: d\nmetadata: \"{'a': 1}\"\n---\nBody" }, { name: "from-options", metadata: { a: 1 } })
    await c.close()
    expect(sent[0]?.body).toEqual({ name: "from-options", description: "d", body: "Body", metadata: { a: 1 }, files: [] })
  })
})

describe("skills.materialize", () => {
  it("pulls one skill per name (the user's, then the workspace's, then _global), across pages, and skips the known unchanged ones", async () => {
    const skill = (id: string, name: string, workspace: string, user: string | null, hash = "m") =>
      ({ ...skillExample, id, name, workspace_id: workspace, user_id: user, manifest_hash: hash, bundle_hash: "" })
    // 99 skills the caller has, then the global pdf at the end of the first page of 100, the user's on the second.
    const filler = Array.from({ length: 99 }, (_, i) => skill(`skl_f${i}`, `filler-${i}`, "ws-a", null, "known"))
    const listed = [
      ...filler,
      skill("skl_g", "pdf", "_global", null),
      skill("skl_u", "pdf", "ws-a", "alice"),
      skill("skl_w", "csv", "ws-a", null),
      skill("skl_k", "zip", "ws-a", null, "known")
    ]
    const known = Object.fromEntries([...filler.map((f) => f["name"] as string), "zip"].map((name) => [name, { manifestHash: "known", bundleHash: "" }]))
    const read: Array<string> = []
    const c = client(async (request) => {
      const url = new URL(request.url)
      if (url.pathname === "/v1/skills") {
        const offset = Number(url.searchParams.get("offset") ?? 0)
        const page = listed.slice(offset, offset + Number(url.searchParams.get("limit") ?? 100))
        return Response.json({ skills: page, total_count: page.length })
      }
      read.push(url.pathname)
      if (url.pathname.endsWith("/manifest")) return new Response("---\n---\n", { headers: { "content-type": "text/markdown" } })
      return new Response(bundle([]), { headers: { "content-type": "application/x-ndjson" } })
    })
    const result = await c.skills.materialize({ known })
    await c.close()
    expect(result.pulled.map((p) => p.skill.id).sort()).toEqual(["skl_u", "skl_w"])
    expect(result.unchanged.map((s) => s.id)).toEqual([...filler.map((f) => f["id"]), "skl_k"])
    expect(read.sort()).toEqual(["/v1/skills/skl_u/bundle", "/v1/skills/skl_u/manifest", "/v1/skills/skl_w/bundle", "/v1/skills/skl_w/manifest"])
  })
})

describe("mcpServers.pushJson and pullJson", () => {
  it("pushJson sends a .mcp.json text or value as one import, and refuses what is not a document before sending", async () => {
    const sent: Array<Sent> = []
    const c = client(async (request) => {
      sent.push({ method: request.method, path: new URL(request.url).pathname, body: JSON.parse(await request.text()) })
      return Response.json({ imported: 1, updated: 0, skipped: 0, errors: [] })
    })
    const text = JSON.stringify({ mcpServers: { git: { command: "git-mcp", args: ["--repo", "."] } } })
    expect(await c.mcpServers.pushJson(text, { workspaceId: "ws-a" })).toEqual({ imported: 1, updated: 0, skipped: 0, errors: [] })
    await c.mcpServers.pushJson({ mcpServers: { web: { url: "https://mcp.example.test", type: "http" } } })
    const notJson = await c.mcpServers.pushJson("{ nope").catch((e: unknown) => e)
    const noServers = await c.mcpServers.pushJson({ servers: {} } as never).catch((e: unknown) => e)
    await c.close()
    expect(sent.map((s) => s.body)).toEqual([
      { mcpServers: { git: { command: "git-mcp", args: ["--repo", "."] } }, workspace_id: "ws-a" },
      { mcpServers: { web: { url: "https://mcp.example.test", type: "http" } } }
    ])
    expect(notJson).toBeInstanceOf(ValidationError)
    expect((notJson as ValidationError).message).toMatch(/^mcpServers\.pushJson: invalid input: document: is not JSON: /)
    expect((noServers as ValidationError).message).toBe("mcpServers.pushJson: invalid input: document: must have an mcpServers map of servers by name")
  })

  it("pullJson returns the export, only the servers of one transport when asked, on both faces", async () => {
    const exported = { mcpServers: { git: { command: "git-mcp" }, web: { url: "https://w.test", type: "http" }, feed: { url: "https://f.test", type: "sse" } } }
    const fetch = () => Response.json(exported)
    const c = client(fetch)
    expect(await c.mcpServers.pullJson()).toEqual(exported)
    expect(await c.mcpServers.pullJson({ transport: "stdio" })).toEqual({ mcpServers: { git: { command: "git-mcp" } } })
    await c.close()
    const viaEffect = await Effect.runPromise(Effect.flatMap(Effect.service(MemoryLayer), (ml) => ml.mcpServers.pullJson({ transport: "sse" })).pipe(
      Effect.provide(MemoryLayer.layer({ baseUrl: "http://ml.test", fetch }))
    ))
    expect(viaEffect).toEqual({ mcpServers: { feed: { url: "https://f.test", type: "sse" } } })
  })
})
