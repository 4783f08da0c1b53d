/**
 * The features of the skills, mcpServers, kb, agentSpecs, promptNotes and
 * dataProviders namespaces on both faces, against the real server: every
 * page of every list walked with a small limit, the downloads (text, Blob,
 * byte streams), and the versioned writes (the Idempotency-Key sent and
 * reused by a retry, the etag read when none is given, no 428 for the
 * caller, a stale etag as ConflictError, a replay instead of a second write).
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { afterAll, describe, expect, inject, it } from "vitest"
import { MemoryLayer, type MemoryLayerService, stream } from "../../src/effect.ts"
import { ConflictError, type FetchLike, MemoryLayerClient, RelationshipType } from "../../src/index.ts"
import { bytesOf, tarGzEntries, zipEntries } from "../support/archives.ts"
import { operationOf, recording, reportCoverage } from "./coverage.ts"

const baseUrl = inject("memorylayerUrl")
const serverUrl = inject("serverUrl")
reportCoverage("tools-features")

/** One request and its answer, as the wire saw them. */
interface Exchange {
  readonly method: string
  readonly operation: string | undefined
  readonly status: number
  readonly key: string | null
  readonly ifMatch: string | null
  readonly ifNoneMatch: string | null
  /** The answer's body, for JSON answers. */
  readonly body: unknown
}

/**
 * A fetch that records every exchange; when `loseAnswer` says so for a
 * request, the request reaches the server but its answer is replaced by a 503,
 * as when a gateway drops the answer of a write that landed.
 */
const wire = (loseAnswer: (request: Request) => boolean = () => false): { readonly fetch: FetchLike; readonly log: Array<Exchange> } => {
  const log: Array<Exchange> = []
  const send = recording()
  return {
    log,
    fetch: async (request, init) => {
      const lose = loseAnswer(request)
      const response = await send(request, init)
      const json = response.headers.get("content-type")?.startsWith("application/json") === true
      log.push({
        method: request.method,
        operation: operationOf(request.method, request.url),
        status: response.status,
        key: request.headers.get("idempotency-key"),
        ifMatch: request.headers.get("if-match"),
        ifNoneMatch: request.headers.get("if-none-match"),
        body: json ? await response.clone().json() : undefined
      })
      if (!lose) return response
      await response.body?.cancel()
      return Response.json({ detail: "the gateway lost the answer" }, { status: 503 })
    }
  }
}

/** Loses the answer of the first request for which `match` holds, and only that one. */
const loseFirst = (match: (request: Request) => boolean): ((request: Request) => boolean) => {
  let lost = false
  return (request) => {
    if (lost || !match(request)) return false
    lost = true
    return true
  }
}

const tag = (): string => crypto.randomUUID().slice(0, 8)
const workspace = (label: string): string => `ws-features-${label}-${tag()}`

const clients: Array<MemoryLayerClient> = []
afterAll(() => Promise.all(clients.map((c) => c.close())))

/** A Promise client in workspace `ws`, its traffic through `fetch`. */
const promiseClient = (ws: string, fetch: FetchLike = recording(), url = baseUrl): MemoryLayerClient => {
  const client = new MemoryLayerClient({ baseUrl: url, apiKey: "e2e-key", workspaceId: ws, fetch })
  clients.push(client)
  return client
}

/** Runs `program` with a service in workspace `ws`, its traffic through `fetch`. */
const withService = <A, E>(ws: string, program: (ml: MemoryLayerService) => Effect.Effect<A, E, MemoryLayer>, fetch: FetchLike = recording(), url = baseUrl): Promise<A> =>
  Effect.runPromise(Effect.flatMap(Effect.service(MemoryLayer), program).pipe(
    Effect.provide(MemoryLayer.layer({ baseUrl: url, apiKey: "e2e-key", workspaceId: ws, fetch }))
  ))

const isWrite = (operation: string | undefined): boolean =>
  operation !== undefined && /^(agentSpecs|promptNotes)(Create|Replace|Delete|Restore)$|^skills(Replace|Delete|Restore)Manifest$/.test(operation)

describe("pagination: every page of every list, limit 2, on both faces", () => {
  /** A list: how to fill a fresh workspace with its items, and how each face walks it. */
  interface ListCase {
    readonly name: string
    /** Fills the workspace; returns what identifies every item the list must yield, and the list's own argument. */
    readonly fill: (client: MemoryLayerClient) => Promise<{ readonly expected: ReadonlyArray<string>; readonly arg?: string }>
    readonly promise: (client: MemoryLayerClient, arg: string) => AsyncIterable<unknown>
    readonly effect: (ml: MemoryLayerService, arg: string) => Stream.Stream<unknown, unknown, MemoryLayer>
    readonly key: (item: unknown) => string
  }

  const id = (item: unknown): string => (item as { readonly id: string }).id
  const revision = (field: string) => (item: unknown): string =>
    `${(item as Record<string, unknown>)["action"] as string}:${((item as Record<string, Record<string, unknown>>)[field] ?? {})["revision"] as number}`
  const five = [1, 2, 3, 4, 5]
  /**
   * `make` for each of `values`, one after the other: the first requests into a new workspace create it, and
   * 0.2.0 answers 500 to all but one of several that race to do so.
   */
  const inTurn = async <A>(values: ReadonlyArray<number>, make: (value: number) => Promise<A>): Promise<Array<A>> => {
    const out: Array<A> = []
    for (const value of values) out.push(await make(value))
    return out
  }

  const cases: ReadonlyArray<ListCase> = [
    {
      name: "agentSpecs.list (cursor)",
      fill: async (c) => ({ expected: await inTurn(five, async (i) => (await c.agentSpecs.create(`spec-${i}`, `Spec ${i}`, "d", "i")).id) }),
      promise: (c) => c.agentSpecs.list({ limit: 2 }),
      effect: () => stream("agentSpecs.list", { limit: 2 }),
      key: id
    },
    {
      name: "agentSpecs.listRevisions (cursor)",
      fill: async (c) => {
        const spec = await c.agentSpecs.create("revised", "Revised", "d", "i0")
        for (const i of [1, 2, 3]) await c.agentSpecs.replace(spec.id, "Revised", "d", `i${i}`)
        await c.agentSpecs.delete(spec.id)
        return { expected: ["create:1", "replace:2", "replace:3", "replace:4", "delete:5"], arg: spec.id }
      },
      promise: (c, spec) => c.agentSpecs.listRevisions(spec, { limit: 2 }),
      effect: (_, spec) => stream("agentSpecs.listRevisions", spec, { limit: 2 }),
      key: revision("specification")
    },
    {
      name: "promptNotes.list (cursor)",
      fill: async (c) => ({ expected: await inTurn(five, async (i) => (await c.promptNotes.create(`note-${i}`, `Note ${i}`, "text")).id) }),
      promise: (c) => c.promptNotes.list({ limit: 2 }),
      effect: () => stream("promptNotes.list", { limit: 2 }),
      key: id
    },
    {
      name: "promptNotes.listRevisions (cursor)",
      fill: async (c) => {
        const note = await c.promptNotes.create("revised", "Revised", "v0")
        for (const i of [1, 2, 3, 4]) await c.promptNotes.replace(note.id, "Revised", `v${i}`)
        return { expected: ["create:1", "replace:2", "replace:3", "replace:4", "replace:5"], arg: note.id }
      },
      promise: (c, note) => c.promptNotes.listRevisions(note, { limit: 2 }),
      effect: (_, note) => stream("promptNotes.listRevisions", note, { limit: 2 }),
      key: revision("note")
    },
    {
      name: "skills.list (offset, ends on an empty page)",
      fill: async (c) => ({ expected: await inTurn(five, async (i) => (await c.skills.save(`skill-${i}`, `Skill ${i}`)).id) }),
      // The tenant's _global skills (other tests make some) are left out.
      promise: (c) => c.skills.list({ limit: 2, includeGlobal: false }),
      effect: () => stream("skills.list", { limit: 2, includeGlobal: false }),
      key: id
    },
    {
      name: "skills.listRevisions (cursor)",
      fill: async (c) => {
        const skill = await c.skills.save("revised", "v0")
        for (const i of [1, 2, 3, 4]) await c.skills.replaceManifest(skill.id, `v${i}`)
        return { expected: ["create:1", "replace:2", "replace:3", "replace:4", "replace:5"], arg: skill.id }
      },
      promise: (c, skill) => c.skills.listRevisions(skill, { limit: 2 }),
      effect: (_, skill) => stream("skills.listRevisions", skill, { limit: 2 }),
      key: revision("skill")
    },
    {
      name: "mcpServers.list (offset, ends on an empty page)",
      fill: async (c) => ({ expected: await inTurn(five, async (i) => (await c.mcpServers.create(`server-${i}`, "stdio", { command: "mcp" })).id) }),
      promise: (c) => c.mcpServers.list({ limit: 2 }),
      effect: () => stream("mcpServers.list", { limit: 2 }),
      key: id
    },
    {
      name: "dataProviders.list (offset, up to the total)",
      fill: async (c) => {
        const made = await inTurn(five, async (i) => (await c.dataProviders.create(`Provider ${i}`)).id)
        // 0.2.0 gives only the server's first workspace a _default provider; this list has it or not.
        const all = (await c.dataProviders.list({ limit: 200 })).providers.map((p) => p.id)
        expect(all).toEqual(expect.arrayContaining(made))
        return { expected: all }
      },
      promise: (c) => c.dataProviders.list({ limit: 2 }),
      effect: () => stream("dataProviders.list", { limit: 2 }),
      key: id
    },
    {
      name: "kb.listArticles (offset, ends on a short page)",
      fill: async (c) => {
        const ids: Array<string> = []
        for (const fact of ["Ann maps the API", "Ben tests the API", "Cy ships the API"]) ids.push((await c.remember(fact)).id)
        await c.associate(ids[0] ?? "", ids[1] ?? "", RelationshipType.RELATED_TO)
        await c.associate(ids[1] ?? "", ids[2] ?? "", RelationshipType.RELATED_TO)
        await c.kb.generate()
        return { expected: (await c.kb.listArticles({ limit: 1000 })).articles.map((a) => a.id) }
      },
      promise: (c) => c.kb.listArticles({ limit: 2 }),
      effect: () => stream("kb.listArticles", { limit: 2 }),
      key: id
    }
  ]

  it.each(cases)("$name yields every item once, page after page, through both faces", async (list) => {
    const ws = workspace("pages")
    const filler = promiseClient(ws)
    const { expected, arg = "" } = await list.fill(filler)
    expect(expected.length).toBeGreaterThanOrEqual(4)

    const promiseWire = wire()
    const viaPromise: Array<string> = []
    for await (const item of list.promise(promiseClient(ws, promiseWire.fetch), arg)) viaPromise.push(list.key(item))

    const effectWire = wire()
    const viaEffect = (await withService(ws, (ml) => Stream.runCollect(list.effect(ml, arg)), effectWire.fetch)).map(list.key)

    for (const [got, exchanges] of [[viaPromise, promiseWire.log], [viaEffect, effectWire.log]] as const) {
      expect(new Set(got).size).toBe(got.length)
      expect([...got].sort()).toEqual([...expected].sort())
      // At least ceil(n / 2) pages were asked for, all of this list.
      expect(exchanges.length).toBeGreaterThanOrEqual(Math.ceil(expected.length / 2))
      expect(new Set(exchanges.map((e) => e.operation)).size).toBe(1)
    }
    expect(viaEffect).toEqual(viaPromise)
  })

  it("a Promise list awaited gives one page, with the cursor of the next", async () => {
    const ws = workspace("one-page")
    const client = promiseClient(ws)
    for (const i of [1, 2, 3]) await client.agentSpecs.create(`spec-${i}`, `Spec ${i}`, "d", "i")
    const page = await client.agentSpecs.list({ limit: 2 })
    expect(page.specifications).toHaveLength(2)
    const next = await client.agentSpecs.list({ limit: 2, pageToken: page.next_page_token ?? "" })
    expect(next.specifications).toHaveLength(1)
    expect(next.next_page_token).toBeNull()
  })
})

describe("downloads on both faces", () => {
  const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 254, 1])

  it("SKILL.md as text, a file as a Blob, the bundle as a byte stream (NDJSON and tar.gz), the vault as a ZIP stream", async () => {
    const ws = workspace("downloads")
    const client = promiseClient(ws)
    const skill = await client.skills.save("dl-skill", "Downloads", { body: "Use it.\n", files: [{ path: "references/notes.md", content: "# Notes\n", mime_type: "text/markdown" }] })
    await client.skills.upsertFile(skill.id, "assets/pixel.png", Buffer.from(binary).toString("base64"), { mimeType: "image/png" })
    const [a, b] = [await client.remember("Gil maintains the vault"), await client.remember("Hana reads the vault")]
    await client.associate(a.id, b.id, RelationshipType.RELATED_TO)
    await client.kb.generate()
    const manifest = "---\nname: dl-skill\ndescription: Downloads\nversion: 0.1.0\n---\n\nUse it.\n"

    // The Promise face, through the proxy (contract) and from the server itself (bytes: the proxy re-encodes binary).
    const exact = promiseClient(ws, recording(), serverUrl)
    expect(await client.skills.getManifest(skill.id)).toBe(manifest)
    expect(await (await client.skills.getFile(skill.id, "references/notes.md")).text()).toBe("# Notes\n")
    expect(new Uint8Array(await (await exact.skills.getFile(skill.id, "assets/pixel.png")).arrayBuffer())).toEqual(binary)
    const ndjson = new TextDecoder().decode(await bytesOf(await client.skills.getBundle(skill.id, "ndjson")))
    expect(ndjson.trim().split("\n").map((line) => (JSON.parse(line) as { type: string }).type)).toEqual(["header", "file", "file", "footer"])
    expect(tarGzEntries(await bytesOf(await exact.skills.getBundle(skill.id, "tar.gz"))).get("assets/pixel.png")).toEqual(binary)
    const vault = zipEntries(await bytesOf(await exact.kb.exportVault()))
    expect(vault.has("index.md")).toBe(true)

    // The Effect face gets the same values.
    const viaEffect = await withService(ws, (ml) =>
      Effect.all({
        manifest: ml.skills.getManifest(skill.id),
        notes: Effect.flatMap(ml.skills.getFile(skill.id, "references/notes.md"), (blob) => Effect.promise(() => blob.text())),
        ndjson: Effect.flatMap(ml.skills.getBundle(skill.id), (stream) => Effect.promise(() => bytesOf(stream)))
      }))
    expect(viaEffect.manifest).toBe(manifest)
    expect(viaEffect.notes).toBe("# Notes\n")
    expect(new TextDecoder().decode(viaEffect.ndjson)).toBe(ndjson)
    const exactViaEffect = await withService(ws, (ml) =>
      Effect.all({
        pixel: Effect.flatMap(ml.skills.getFile(skill.id, "assets/pixel.png"), (blob) => Effect.promise(() => blob.arrayBuffer())),
        tar: Effect.flatMap(ml.skills.getBundle(skill.id, "tar.gz"), (stream) => Effect.promise(() => bytesOf(stream))),
        vault: Effect.flatMap(ml.kb.exportVault(), (stream) => Effect.promise(() => bytesOf(stream)))
      }), recording(), serverUrl)
    expect(new Uint8Array(exactViaEffect.pixel)).toEqual(binary)
    expect([...tarGzEntries(exactViaEffect.tar).keys()].sort()).toEqual(["assets/pixel.png", "references/notes.md"])
    expect([...zipEntries(exactViaEffect.vault).keys()].sort()).toEqual([...vault.keys()].sort())
  })

  it("a byte stream can be read as it arrives and cancelled part way", async () => {
    const ws = workspace("stream")
    const client = promiseClient(ws)
    const skill = await client.skills.save("big-skill", "Many files", {
      files: Array.from({ length: 40 }, (_, i) => ({ path: `references/part-${String(i).padStart(2, "0")}.md`, content: `# Part ${i}\n${"lorem ipsum ".repeat(200)}` }))
    })
    const reader = (await client.skills.getBundle(skill.id)).getReader()
    const first = await reader.read()
    expect(first.done).toBe(false)
    expect(new TextDecoder().decode(first.value).startsWith("{\"type\": \"header\"")).toBe(true)
    await reader.cancel()
    // The client is still usable after a cancelled download.
    expect((await client.skills.listFiles(skill.id)).length).toBe(40)
  })
})

describe("versioned writes on both faces", () => {
  it("Promise: a create and a replace whose answers are lost are retried with the same key, replayed, and applied once", async () => {
    const ws = workspace("lost-promise")
    const { fetch, log } = wire(loseFirst((r) => r.method === "POST" && operationOf(r.method, r.url) === "agentSpecsCreate"))
    const client = promiseClient(ws, fetch)
    const spec = await client.agentSpecs.create("reviewer", "Reviewer", "Reviews", "Review the diff")
    const creates = log.filter((e) => e.operation === "agentSpecsCreate")
    expect(creates.map((e) => e.status)).toEqual([201, 201])
    expect(creates[0]?.key).toBe(creates[1]?.key)
    expect(creates.map((e) => (e.body as { replayed: boolean }).replayed)).toEqual([false, true])
    expect((await client.agentSpecs.list()).specifications.map((s) => s.id)).toEqual([spec.id])

    const { fetch: lossy, log: replaceLog } = wire(loseFirst((r) => r.method === "PUT"))
    const replaced = await promiseClient(ws, lossy).agentSpecs.replace(spec.id, "Reviewer", "Reviews", "Review the diff twice")
    const replaces = replaceLog.filter((e) => e.operation === "agentSpecsReplace")
    expect(replaces).toHaveLength(2)
    expect(new Set(replaces.map((e) => `${e.key} ${e.ifMatch}`)).size).toBe(1)
    expect(replaces.map((e) => (e.body as { replayed: boolean }).replayed)).toEqual([false, true])
    expect(replaced.revision).toBe(2)
    expect((await client.agentSpecs.listRevisions(spec.id)).revisions.map((r) => r.action)).toEqual(["replace", "create"])
  })

  it("Effect: a prompt note's create and a skill manifest's replace whose answers are lost are applied once", async () => {
    const ws = workspace("lost-effect")
    const { fetch, log } = wire(loseFirst((r) => r.method !== "GET"))
    const note = await withService(ws, (ml) => ml.promptNotes.create("tone", "Tone", "Be brief."), fetch)
    expect(log.filter((e) => e.operation === "promptNotesCreate").map((e) => [e.status, (e.body as { replayed: boolean }).replayed])).toEqual([[201, false], [201, true]])

    const skill = await promiseClient(ws).skills.save("lossy", "v1")
    const { fetch: lossy, log: manifestLog } = wire(loseFirst((r) => r.method === "PUT"))
    const { replaced, revisions, notes } = await withService(ws, (ml) =>
      Effect.gen(function*() {
        const replaced = yield* ml.skills.replaceManifest(skill.id, "v2")
        const revisions = yield* Stream.runCollect(stream("skills.listRevisions", skill.id))
        const notes = yield* Stream.runCollect(stream("promptNotes.list"))
        return { replaced, revisions, notes }
      }), lossy)
    const writes = manifestLog.filter((e) => e.operation === "skillsReplaceManifest")
    expect(writes).toHaveLength(2)
    expect(writes[0]?.key).toBe(writes[1]?.key)
    expect(replaced).toMatchObject({ revision: 2, description: "v2" })
    expect(revisions.map((r) => r.action)).toEqual(["replace", "create"])
    expect(notes.map((n) => n.id)).toEqual([note.id])
  })

  it("the same idempotencyKey sent again is a replay on both faces; the key with another request is a ConflictError", async () => {
    const ws = workspace("same-key")
    const key = crypto.randomUUID()
    const client = promiseClient(ws)
    const first = await client.promptNotes.create("greeting", "Greeting", "Hello", { idempotencyKey: key })
    const again = await withService(ws, (ml) => ml.promptNotes.create("greeting", "Greeting", "Hello", { idempotencyKey: key }))
    expect(again).toEqual(first)
    expect((await client.promptNotes.list()).notes).toHaveLength(1)

    const reused = await client.promptNotes.create("greeting", "Greeting", "Bonjour", { idempotencyKey: key }).catch((e: unknown) => e)
    expect(reused).toBeInstanceOf(ConflictError)
    expect((reused as ConflictError).message).toBe("promptNotesCreate: 409 idempotency key was already used for a different request")
    const reusedViaEffect = await withService(ws, (ml) =>
      ml.promptNotes.create("greeting", "Greeting", "Hola", { idempotencyKey: key }).pipe(
        Effect.as("created"),
        Effect.catchTag("ConflictError", (error) => Effect.succeed(`${error._tag} ${error.statusCode}`))
      ))
    expect(reusedViaEffect).toBe("ConflictError 409")
  })

  it("without ifMatch the SDK reads the etag and sends it with a fresh key on both faces, so no 428 ever reaches the caller", async () => {
    const ws = workspace("etag")
    const promiseWire = wire()
    const client = promiseClient(ws, promiseWire.fetch)
    const spec = await client.agentSpecs.create("spec", "Spec", "d", "i")
    await client.agentSpecs.replace(spec.id, "Spec", "d", "i2")
    await client.agentSpecs.delete(spec.id)
    await client.agentSpecs.restore(spec.id)
    const skill = await client.skills.save("etag-skill", "v1")
    await client.skills.replaceManifest(skill.id, "v2")
    await client.skills.deleteManifest(skill.id)
    await client.skills.restoreManifest(skill.id)

    const effectWire = wire()
    await withService(ws, (ml) =>
      Effect.gen(function*() {
        const note = yield* ml.promptNotes.create("note", "Note", "a")
        yield* ml.promptNotes.replace(note.id, "Note", "b")
        yield* ml.promptNotes.delete(note.id)
        yield* ml.promptNotes.restore(note.id)
      }), effectWire.fetch)

    for (const log of [promiseWire.log, effectWire.log]) {
      expect(log.some((e) => e.status === 428)).toBe(false)
      const writes = log.filter((e) => isWrite(e.operation))
      expect(writes.length).toBeGreaterThanOrEqual(4)
      expect(new Set(writes.map((e) => e.key)).size).toBe(writes.length)
      for (const write of writes) {
        expect(write.key).toMatch(/^[0-9a-f-]{36}$/)
        if (write.operation?.endsWith("Create") === true) {
          expect(write.ifNoneMatch).toBe("*")
          continue
        }
        // The etag sent is the one the read just before it answered.
        const read = log[log.indexOf(write) - 1]
        const resource = Object.values(read?.body as Record<string, { etag?: string }>).find((v) => typeof v === "object" && v !== null && "etag" in v)
        expect(write.ifMatch).toBe(resource?.etag)
      }
    }

    // The server itself refuses the same writes without those headers.
    const bare = await fetch(`${serverUrl}/v1/agent-specifications/${spec.id}`, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-workspace-id": ws },
      body: JSON.stringify({ name: "Spec", description: "d", instructions: "i3" })
    })
    expect(bare.status).toBe(428)
    expect(await bare.json()).toEqual({ detail: "Idempotency-Key header is required" })
  })

  it("a stale etag is a ConflictError (412) on both faces, and nothing is written", async () => {
    const ws = workspace("stale")
    const client = promiseClient(ws)
    const spec = await client.agentSpecs.create("spec", "Spec", "d", "i")
    await client.agentSpecs.replace(spec.id, "Spec", "d", "i2")
    const skill = await client.skills.save("stale-skill", "v1")
    await client.skills.replaceManifest(skill.id, "v2")

    const viaPromise = await client.agentSpecs.delete(spec.id, { ifMatch: spec.etag }).catch((e: unknown) => e)
    expect(viaPromise).toBeInstanceOf(ConflictError)
    expect((viaPromise as ConflictError).statusCode).toBe(412)
    const viaEffect = await withService(ws, (ml) =>
      ml.skills.replaceManifest(skill.id, "v3", { ifMatch: skill.etag }).pipe(
        Effect.as("written"),
        Effect.catchTag("ConflictError", (error) => Effect.succeed(`${error._tag} ${error.statusCode}: ${error.message}`))
      ))
    expect(viaEffect).toBe("ConflictError 412: skillsReplaceManifest: 412 ETag does not match current revision")
    expect((await client.agentSpecs.get(spec.id)).revision).toBe(2)
    expect((await client.skills.get(skill.id)).description).toBe("v2")
  })
})
