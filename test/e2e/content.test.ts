/**
 * The threads, documents and views namespaces against the real
 * memorylayer-server, through the contract-checking proxy: every operation
 * with real data, on the Promise client and (for pagination, uploads and
 * versioned writes) on the Effect service too.
 *
 * What a plain local server cannot do is asserted as it answers: page search
 * needs an embed server (500), decomposing a thread needs an LLM (the task
 * runs and creates nothing), and the verify task has no handler (scheduled,
 * nothing happens).
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { afterAll, describe, expect, inject, it } from "vitest"
import type { OperationId } from "../../generated/operations.gen.ts"
import { MemoryLayer, stream } from "../../src/effect.ts"
import {
  AuthenticationError,
  ConflictError,
  type FetchLike,
  MemoryLayerClient,
  type MemoryLayerError,
  NotFoundError,
  ServerError,
  type UploadProgress,
  ValidationError
} from "../../src/index.ts"
import { contract, contractOperations } from "../support/contract.ts"
import { exercised, recording, reportCoverage } from "./coverage.ts"

const baseUrl = inject("memorylayerUrl")
const serverUrl = inject("serverUrl")
const authUrl = inject("authMemorylayerUrl")
const recorded = recording()
reportCoverage("content")

const client = new MemoryLayerClient({ baseUrl, fetch: recorded })
afterAll(() => client.close())

/** Runs `program` with a service over `fetch` (default: the recording one) against the proxied server. */
const run = <A, E>(program: Effect.Effect<A, E, MemoryLayer>, fetch: FetchLike = recorded): Promise<A> =>
  Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layer({ baseUrl, fetch }))))

const marker = (): string => crypto.randomUUID().slice(0, 8)

/** A new workspace of its own, so that lists hold only what the test put there. */
const freshWorkspace = async (): Promise<string> => (await client.createWorkspace(`content ${marker()}`, { id: `ws-content-${marker()}` })).id

const failureOf = (call: PromiseLike<unknown>): Promise<unknown> =>
  Promise.resolve(call).then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error
  )

/** Asserts the class, status and the server's detail of an SDK error. */
const expectError = (error: unknown, errorClass: abstract new(...args: never) => MemoryLayerError, statusCode: number, detail: string): void => {
  expect(error).toBeInstanceOf(errorClass)
  expect((error as MemoryLayerError).statusCode).toBe(statusCode)
  expect((error as MemoryLayerError).message).toContain(detail)
}

/** Calls `read` until `done` says yes (the server processes documents in the background), at most 10 s. */
const until = async <A>(read: () => Promise<A>, done: (value: A) => boolean): Promise<A> => {
  const deadline = Date.now() + 10_000
  for (;;) {
    const value = await read()
    if (done(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Notes the method, path and headers of every request, then sends it with the recording fetch. */
const capturing = (): { readonly fetch: FetchLike; readonly sent: Array<{ method: string; path: string; headers: Headers }> } => {
  const sent: Array<{ method: string; path: string; headers: Headers }> = []
  return {
    sent,
    fetch: (request, init) => {
      sent.push({ method: request.method, path: new URL(request.url).pathname, headers: new Headers(request.headers) })
      return recorded(request, init)
    }
  }
}

/**
 * A fetch whose first request matching `method` and `path` reaches the
 * server, and whose answer is then lost as if the connection had dropped:
 * the write landed, the client does not know it and retries.
 */
const losingFirstAnswer = (method: string, path: RegExp): { readonly fetch: FetchLike; readonly attempts: Array<{ key: string | null; body: string }> } => {
  const attempts: Array<{ key: string | null; body: string }> = []
  return {
    attempts,
    fetch: async (request, init) => {
      const ours = request.method === method && path.test(new URL(request.url).pathname)
      if (ours) attempts.push({ key: request.headers.get("Idempotency-Key"), body: await request.clone().text() })
      const response = await recorded(request, init)
      if (ours && attempts.length === 1) {
        await response.body?.cancel()
        throw new TypeError("fetch failed", { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) })
      }
      return response
    }
  }
}

const ids = (items: ReadonlyArray<{ readonly id: string }>): Array<string> => items.map((item) => item.id)

describe("threads", () => {
  it("create, get, update, archive, restore and delete a thread and its sub-thread", async () => {
    const workspaceId = await freshWorkspace()
    const ws = client.forWorkspace(workspaceId)
    const thread = await ws.threads.create({ title: "Launch planning", ownership: "workspace", scope: "web", metadata: { topic: "launch" } })
    expect(thread).toMatchObject({ workspace_id: workspaceId, title: "Launch planning", ownership: "workspace", scope: "web", metadata: { topic: "launch" }, message_count: 0, parent_thread: null, hidden_at: null })
    expect(await ws.threads.get(thread.id)).toEqual(thread)

    const updated = await ws.threads.update(thread.id, { title: "Launch", metadata: { topic: "launch", owner: "ann" }, idleAction: "hide" })
    expect(updated).toMatchObject({ id: thread.id, title: "Launch", metadata: { topic: "launch", owner: "ann" }, idle_action: "hide" })
    expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(thread.updated_at))
    expect(await ws.threads.update(thread.id, {})).toMatchObject({ title: "Launch", idle_action: "hide" })

    const sub = await ws.threads.create({ title: "Budget", parentThread: thread.id })
    expect(sub).toMatchObject({ parent_thread: thread.id, ownership: "workspace", scope: "web" })
    expect(ids((await ws.threads.list({ parentThread: thread.id })).threads)).toEqual([sub.id])

    const archived = await ws.threads.archive(thread.id)
    expect(archived.hidden_at).not.toBeNull()
    expect(ids((await ws.threads.list()).threads)).not.toContain(thread.id)
    expect(ids((await ws.threads.list({ includeHidden: true })).threads)).toContain(thread.id)
    expect((await ws.threads.restore(thread.id)).hidden_at).toBeNull()
    expect(ids((await ws.threads.list()).threads)).toContain(thread.id)

    await expect(ws.threads.delete(thread.id)).resolves.toBeUndefined()
    expectError(await failureOf(ws.threads.get(thread.id)), NotFoundError, 404, `Thread ${thread.id} not found`)
    expectError(await failureOf(ws.threads.get(sub.id)), NotFoundError, 404, `Thread ${sub.id} not found`)
    expectError(await failureOf(ws.threads.delete(thread.id)), NotFoundError, 404, thread.id)
    for (const call of [() => ws.threads.update(thread.id, { title: "x" }), () => ws.threads.archive(thread.id), () => ws.threads.restore(thread.id), () => ws.threads.getFull(thread.id)]) {
      expect(await failureOf(call())).toBeInstanceOf(NotFoundError)
    }
    await ws.close()
  })

  it("appendMessages stores text and blocks in order; getMessages, getFull and deleteMessage read and remove them", async () => {
    const ws = client.forWorkspace(await freshWorkspace())
    const thread = await ws.threads.create({ title: "Preferences", ownership: "workspace" })
    const clientId = `msg-${marker()}`
    const appended = await ws.threads.appendMessages(thread.id, [
      { role: "User", content: "I prefer tea in the morning." },
      { role: "assistant", content: [{ type: "text", text: "Noted." }, { type: "tool_call", data: { name: "remember" } }], metadata: { turn: 1 } },
      { id: clientId, role: "tool", content: "ok" }
    ])
    expect(appended).toMatchObject({ thread_id: thread.id, new_message_count: 3 })
    expect(appended.messages.map((m) => [m.message_index, m.role])).toEqual([[0, "user"], [1, "assistant"], [2, "tool"]])
    expect(appended.messages[1]?.content).toEqual([{ type: "text", text: "Noted.", data: null }, { type: "tool_call", text: null, data: { name: "remember" } }])
    expect(appended.messages[2]?.id).toBe(clientId)

    const after = await ws.threads.getMessages(thread.id, { afterIndex: 0 })
    expect(after.messages.map((m) => m.message_index)).toEqual([1, 2])
    const full = await ws.threads.getFull(thread.id, { limit: 1, order: "desc" })
    expect(full.thread).toMatchObject({ id: thread.id, message_count: 3 })
    expect(full.messages.map((m) => m.id)).toEqual([clientId])
    expect(full.total_messages).toBe(3)

    const first = appended.messages[0]?.id ?? ""
    await expect(ws.threads.deleteMessage(thread.id, first)).resolves.toBeUndefined()
    expect(ids((await ws.threads.getMessages(thread.id)).messages)).not.toContain(first)
    expectError(await failureOf(ws.threads.deleteMessage(thread.id, first)), NotFoundError, 404, `Message ${first} not found in thread ${thread.id}`)
    // Server 0.2.0 keeps counting deleted messages.
    expect((await ws.threads.get(thread.id)).message_count).toBe(3)
    expectError(await failureOf(ws.threads.getMessages("thread_missing")), NotFoundError, 404, "Thread thread_missing not found")

    const implicit = `thread-${marker()}`
    await ws.threads.appendMessages(implicit, [{ role: "user", content: "This creates the thread." }])
    expect(await ws.threads.get(implicit)).toMatchObject({ id: implicit, title: implicit, message_count: 1 })
    await ws.close()
  })

  it("the Python SDK's flat names (createThread, appendMessages, getThreadFull, deleteThread, ...) do what the namespace's do", async () => {
    const ws = client.forWorkspace(await freshWorkspace())
    const thread = await ws.createThread({ title: "Ported", ownership: "workspace" })
    await ws.appendMessages(thread.id, [{ role: "user", content: "Ported from Python." }])
    expect((await ws.getMessages(thread.id)).messages.map((m) => m.content)).toEqual(["Ported from Python."])
    expect(await ws.getThreadFull(thread.id)).toMatchObject({ thread: { id: thread.id, message_count: 1 }, total_messages: 1 })
    expect(ids((await ws.listThreads()).threads)).toEqual([thread.id])
    const { document, job } = await ws.uploadDocument(new TextEncoder().encode(`Ported notes ${marker()}`), "ported.txt")
    expect((await until(() => ws.getJob(job.id), (j) => j.status === "completed")).document_ids).toEqual([document.id])
    expect(ids((await ws.listDocuments()).documents)).toEqual([document.id])
    await ws.deleteThread(thread.id)
    expect(await failureOf(ws.getThread(thread.id))).toBeInstanceOf(NotFoundError)
    await ws.close()
  })

  it("decompose without an LLM hands the new messages over, creates no memory, and has nothing left the second time", async () => {
    const workspaceId = await freshWorkspace()
    const ws = client.forWorkspace(workspaceId)
    const thread = await ws.threads.create({ ownership: "workspace" })
    await ws.threads.appendMessages(thread.id, [
      { role: "user", content: "We ship on Tuesday." },
      { role: "assistant", content: "Tuesday it is." },
      { role: "user", content: "Ann owns the budget." }
    ])
    expect(await ws.threads.decompose(thread.id)).toEqual({ thread_id: thread.id, workspace_id: workspaceId, messages_processed: 3, memories_created: 0, from_index: 0, to_index: 3 })
    // The background task moves the watermark even though it could extract nothing.
    const done = await until(() => ws.threads.get(thread.id), (t) => t.last_decomposed_index === 3)
    expect(done.last_decomposed_index).toBe(3)
    expect(await ws.threads.decompose(thread.id)).toEqual({ thread_id: thread.id, workspace_id: workspaceId, messages_processed: 0, memories_created: 0, from_index: 3, to_index: 3 })
    expectError(await failureOf(ws.threads.decompose("thread_missing")), NotFoundError, 404, `Thread thread_missing not found in workspace ${workspaceId}`)
    await ws.close()
  })

  it("user-owned threads need a user identity: AuthenticationError 401 on an open server, the user's own threads behind the gateway", async () => {
    const detail = "user-owned chat threads require an authenticated user identity"
    expectError(await failureOf(client.threads.create({ workspaceId: "_user_chat", ownership: "user" })), AuthenticationError, 401, detail)
    expectError(await failureOf(client.threads.listForUser("alice")), AuthenticationError, 401, detail)
    expect((await client.threads.listForUser("alice", { ownership: "workspace" })).threads).toEqual([])

    const user = `user-${marker()}`
    const gateway = { "X-Auth-Tenant-ID": "e2e-tenant", "X-Auth-User-ID": user, "X-Auth-Workspace-Access": "20" }
    const asUser = new MemoryLayerClient({ baseUrl: authUrl, fetch: recorded, defaultHeaders: gateway })
    const mine = await asUser.threads.create({ workspaceId: "_user_chat", ownership: "user", title: "Mine" })
    expect(mine).toMatchObject({ user_id: user, ownership: "user", workspace_id: "_user_chat", tenant_id: "e2e-tenant" })
    // The path's user is replaced by the authenticated one.
    const listed = await asUser.threads.listForUser("someone-else")
    expect(ids(listed.threads)).toEqual([mine.id])
    expect(ids((await asUser.threads.list({ workspaceId: "_user_chat" })).threads)).toEqual([mine.id])
    await asUser.close()
  })
})

describe("documents", () => {
  const markdown = (title: string): string =>
    `# ${title}\n\nThe launch is on Tuesday; Ann owns the budget.\n\n## Steps\n\nRestart the worker, then deploy with scripts/deploy.sh.\n`

  it("a text/markdown upload is processed offline into pages and memories, and its job completes", async () => {
    const ws = client.forWorkspace(await freshWorkspace())
    const text = markdown(`Runbook ${marker()}`)
    const { document, job } = await ws.documents.upload(new Blob([text], { type: "text/markdown" }), "runbook.md", { targetContextId: "docs", chunkSize: 2000, importance: 0.7 })
    expect(document).toMatchObject({ filename: "runbook.md", document_type: "markdown", status: "pending", target_context_id: "docs", size_bytes: text.length })
    expect(job).toMatchObject({ status: "queued", document_ids: [document.id] })

    const completed = await until(() => ws.documents.get(document.id), (d) => d.status === "completed")
    expect(completed).toMatchObject({ id: document.id, status: "completed", page_count: 1, chunk_count: 1, error_message: null })
    expect(completed.memory_ids).toHaveLength(1)

    const memories = await ws.documents.getMemories(document.id)
    expect(memories).toMatchObject({ document_id: document.id, total: 1 })
    expect(memories.memories[0]?.content).toContain("The launch is on Tuesday")
    expect((await ws.getMemory(completed.memory_ids[0] ?? "")).importance).toBeCloseTo(0.7)

    const pages = await ws.documents.getPages(document.id)
    expect(pages.total).toBe(1)
    const page = pages.pages[0]
    expect(page).toMatchObject({ document_id: document.id, relevance_score: null })
    expect(page?.transcript).toContain("Restart the worker")
    expect(await ws.documents.getPage(document.id, page?.id ?? "")).toMatchObject({ id: page?.id, transcript: page?.transcript })

    const finished = await ws.documents.getJob(job.id)
    expect(finished).toMatchObject({ id: job.id, status: "completed", progress_percent: 100, documents_processed: 1, total_memories_created: 1, errors: [] })
    // A job that already ended is returned unchanged.
    expect(await ws.documents.cancelJob(job.id)).toMatchObject({ id: job.id, status: "completed" })
    expect(ids((await ws.documents.listJobs()).jobs)).toContain(job.id)
    expect(ids((await ws.documents.list({ status: "completed", documentType: "markdown" })).documents)).toEqual([document.id])
    await ws.close()
  })

  /** One file of each kind `documents.upload` takes, each with its own text (the server deduplicates equal bytes). */
  const sources = (): Array<{
    readonly what: string
    readonly file: Blob | ReadableStream<Uint8Array> | Uint8Array
    readonly filename: string | undefined
    readonly expected: { readonly filename: string; readonly document_type: string; readonly size_bytes: number }
  }> => {
    const text = (what: string): string => `# ${what} ${marker()}\n\nUploaded as a ${what}.\n`
    const [blob, file, stream, bytes] = [text("Blob"), text("File"), text("ReadableStream"), text("Uint8Array")]
    return [
      { what: "Blob", file: new Blob([blob], { type: "text/markdown" }), filename: "blob.md", expected: { filename: "blob.md", document_type: "markdown", size_bytes: blob.length } },
      { what: "File", file: new File([file], "from-file.md", { type: "text/markdown" }), filename: undefined, expected: { filename: "from-file.md", document_type: "markdown", size_bytes: file.length } },
      { what: "ReadableStream", file: new Blob([stream]).stream(), filename: "stream.txt", expected: { filename: "stream.txt", document_type: "text", size_bytes: stream.length } },
      { what: "Uint8Array", file: new TextEncoder().encode(bytes), filename: "bytes.txt", expected: { filename: "bytes.txt", document_type: "text", size_bytes: bytes.length } }
    ]
  }

  /** Asserts that progress grew to the whole upload and ended at 1. */
  const expectProgressToTheEnd = (reports: ReadonlyArray<UploadProgress>, size: number, what: string): void => {
    expect(reports.length, what).toBeGreaterThan(0)
    const transferred = reports.map((r) => r.transferredBytes)
    expect(transferred, what).toEqual([...transferred].sort((a, b) => a - b))
    expect(reports.at(-1)?.percent, what).toBe(1)
    // The whole multipart body: the file and the form's own framing around it.
    expect(reports.at(-1)?.transferredBytes, what).toBeGreaterThan(size)
  }

  it("upload takes a Blob, a File, a ReadableStream and a Uint8Array, names the part, and each is processed into a memory", async () => {
    const ws = client.forWorkspace(await freshWorkspace())
    for (const source of sources()) {
      const { document } = await ws.documents.upload(source.file, source.filename)
      expect(document, source.what).toMatchObject(source.expected)
      expect((await until(() => ws.documents.get(document.id), (d) => d.status === "completed")).status, source.what).toBe("completed")
      expect((await ws.documents.getMemories(document.id)).memories[0]?.content, source.what).toContain(`Uploaded as a ${source.what}.`)
    }
    await ws.close()
  })

  // With onUploadProgress the body is streamed (chunked). prism proxy forwards such a request malformed (the server
  // logs "Invalid HTTP request received" and answers 400), so these uploads go to the server itself.
  it("onUploadProgress reports every kind of file up to its end (Promise client, straight to the server)", async () => {
    const direct = new MemoryLayerClient({ baseUrl: serverUrl, fetch: recorded, workspaceId: await freshWorkspace() })
    for (const source of sources()) {
      const reports: Array<UploadProgress> = []
      const { document } = await direct.documents.upload(source.file, source.filename, { onUploadProgress: (p) => reports.push(p) })
      expect(document, source.what).toMatchObject(source.expected)
      expectProgressToTheEnd(reports, source.expected.size_bytes, source.what)
      expect((await until(() => direct.documents.get(document.id), (d) => d.status === "completed")).status, source.what).toBe("completed")
    }
    await direct.close()
  })

  it("the Effect service uploads every kind of file with progress and reads the memories made of it (straight to the server)", async () => {
    const workspaceId = await freshWorkspace()
    const layer = MemoryLayer.layer({ baseUrl: serverUrl, fetch: recorded, workspaceId })
    for (const source of sources()) {
      const reports: Array<UploadProgress> = []
      const { uploaded, memories } = await Effect.runPromise(Effect.gen(function*() {
        const ml = yield* MemoryLayer
        const uploaded = yield* ml.documents.upload(source.file, source.filename, { onUploadProgress: (p) => reports.push(p) })
        let done = yield* ml.documents.get(uploaded.document.id)
        for (let polls = 0; done.status !== "completed" && polls < 200; polls++) {
          yield* Effect.sleep("50 millis")
          done = yield* ml.documents.get(uploaded.document.id)
        }
        return { uploaded, memories: yield* ml.documents.getMemories(uploaded.document.id) }
      }).pipe(Effect.provide(layer)))
      expect(uploaded.document, source.what).toMatchObject({ ...source.expected, workspace_id: workspaceId })
      expectProgressToTheEnd(reports, source.expected.size_bytes, source.what)
      expect(memories.memories[0]?.content, source.what).toContain(`Uploaded as a ${source.what}.`)
    }
  })

  it("the same bytes again return the existing document with a completed job marked deduplicated", async () => {
    const ws = client.forWorkspace(await freshWorkspace())
    const bytes = new TextEncoder().encode(markdown(`Twice ${marker()}`))
    const first = await ws.documents.upload(bytes, "twice.md")
    await until(() => ws.documents.get(first.document.id), (d) => d.status === "completed")
    const second = await ws.documents.upload(bytes, "copy.md")
    expect(second.document.id).toBe(first.document.id)
    expect(second.job).toMatchObject({ status: "completed", metadata: { deduplicated: true, original_document_id: first.document.id } })
    await ws.close()
  })

  it("an empty file fails during processing, and so does its job", async () => {
    const ws = client.forWorkspace(await freshWorkspace())
    const { document, job } = await ws.documents.upload(new Uint8Array(0), "empty.txt")
    const failed = await until(() => ws.documents.get(document.id), (d) => d.status === "failed")
    expect(failed).toMatchObject({ status: "failed", error_message: "No file data available for processing" })
    expect(await until(() => ws.documents.getJob(job.id), (j) => j.status === "failed")).toMatchObject({ status: "failed" })
    await ws.close()
  })

  it("reprocess splits the stored original again with new options; delete with deleteMemories removes its memories", async () => {
    const ws = client.forWorkspace(await freshWorkspace())
    const { document } = await ws.documents.upload(new Blob([markdown(`Reprocess ${marker()}`)], { type: "text/markdown" }), "reprocess.md")
    const before = await until(() => ws.documents.get(document.id), (d) => d.status === "completed")
    expect(before.page_count).toBe(1)

    const again = await ws.documents.reprocess(document.id, { extractionOptions: { chunk_size: 40, chunk_overlap: 0 } })
    expect(again.document).toMatchObject({ id: document.id, status: "pending" })
    expect(again.job).toMatchObject({ status: "queued", document_ids: [document.id], metadata: { reprocess: true } })
    const after = await until(() => ws.documents.get(document.id), (d) => d.status === "completed")
    expect(after.page_count).toBeGreaterThan(1)
    // Server 0.2.0 keeps the old page beside the new ones.
    expect((await ws.documents.getPages(document.id)).total).toBe(after.page_count + 1)
    expect((await ws.documents.reprocess(document.id)).job.status).toBe("queued")
    await until(() => ws.documents.get(document.id), (d) => d.status === "completed")

    const memoryIds = (await ws.documents.getMemories(document.id)).memories.map((m) => m.id)
    expect(memoryIds.length).toBeGreaterThan(1)
    expect(await ws.documents.delete(document.id, { deleteMemories: true })).toEqual({ deleted: true, document_id: document.id })
    expect(await failureOf(ws.getMemory(memoryIds[0] ?? ""))).toBeInstanceOf(NotFoundError)
    expectError(await failureOf(ws.documents.get(document.id)), NotFoundError, 404, `Document not found: ${document.id}`)
    expectError(await failureOf(ws.documents.delete(document.id)), NotFoundError, 404, document.id)
    await ws.close()
  })

  it("unknown documents, pages and jobs are NotFoundError naming them", async () => {
    const ws = client.forWorkspace(await freshWorkspace())
    const { document } = await ws.documents.upload(new Blob(["# Known\n\nA page.\n"], { type: "text/markdown" }), "known.md")
    expectError(await failureOf(ws.documents.getPage(document.id, "page_missing")), NotFoundError, 404, "Page not found: page_missing")
    expectError(await failureOf(ws.documents.getJob("job_missing")), NotFoundError, 404, "Ingestion job not found: job_missing")
    expectError(await failureOf(ws.documents.cancelJob("job_missing")), NotFoundError, 404, "job_missing")
    for (const call of [() => ws.documents.getPages("doc_missing"), () => ws.documents.getMemories("doc_missing"), () => ws.documents.reprocess("doc_missing"), () => ws.documents.getPage("doc_missing", "page_missing")]) {
      expectError(await failureOf(call()), NotFoundError, 404, "doc_missing")
    }
    await ws.close()
  })

  it("search needs an embed server: on a plain server it is a ServerError 500 with the server's detail", async () => {
    const error = await failureOf(client.documents.search("when is the launch?", { limit: 5, maxRetries: 0 }))
    expectError(error, ServerError, 500, "Page search failed")
    expect((error as ServerError).operation).toBe("documentsSearch")
  })

  it("verify schedules a task that 0.2.0 has no handler for: the answer says scheduled, and the document is unchanged", async () => {
    const ws = client.forWorkspace(await freshWorkspace())
    const { document } = await ws.documents.upload(new Blob([`# Verify ${marker()}\n\nText.\n`], { type: "text/markdown" }), "verify.md")
    const completed = await until(() => ws.documents.get(document.id), (d) => d.status === "completed")
    const answer = await ws.documents.verify(document.id)
    expect(answer).toMatchObject({ mode: "document", scheduled: true })
    expect(answer.task_id).toMatch(/^task_/)
    expect(await ws.documents.get(document.id)).toEqual(completed)
    // It does not check that the document exists either.
    expect(await ws.documents.verify("doc_missing")).toMatchObject({ scheduled: true })
    await ws.close()
  })
})

describe("views", () => {
  it("create answers revision 1 with its etag; the same key and body replay it; another key for the same id is a ConflictError", async () => {
    const workspaceId = await freshWorkspace()
    const viewId = `main-${marker()}`
    const key = crypto.randomUUID()
    const options = { idempotencyKey: key, displayName: "Main", capabilities: [" write", "read", "read"], metadata: { repo: "app" } }
    const created = await client.views.create(workspaceId, viewId, "git_worktree", options)
    expect(created.replayed).toBe(false)
    expect(created.view).toMatchObject({ workspace_id: workspaceId, view_id: viewId, kind: "git_worktree", display_name: "Main", revision: 1, capabilities: ["read", "write"], deleted_at: null })
    expect(created.view.etag).toMatch(/^"vr-1-[0-9a-f]{64}"$/)

    const replay = await client.views.create(workspaceId, viewId, "git_worktree", options)
    expect(replay).toEqual({ view: created.view, replayed: true })
    expectError(await failureOf(client.views.create(workspaceId, viewId, "git_worktree")), ConflictError, 409, "resource id or key already exists")
    expectError(await failureOf(client.views.create("ws-missing", viewId, "snapshot")), NotFoundError, 404, "workspace not found")
    expect(await client.views.get(workspaceId, viewId)).toEqual(created.view)
  })

  it("replace, delete and restore read the current etag themselves; a stale ifMatch is a ConflictError 412; no 428 reaches the caller", async () => {
    const workspaceId = await freshWorkspace()
    const viewId = `view-${marker()}`
    const { fetch, sent } = capturing()
    const capturingClient = new MemoryLayerClient({ baseUrl, fetch })
    const views = capturingClient.views
    const created = await views.create(workspaceId, viewId, "directory")
    expect(sent[0]?.headers.get("If-None-Match")).toBe("*")

    const replaced = await views.replace(workspaceId, viewId, "checkout", { displayName: "Checkout" })
    expect(replaced.view).toMatchObject({ kind: "checkout", display_name: "Checkout", revision: 2 })
    const put = sent.filter((r) => r.method === "PUT")
    expect(put).toHaveLength(1)
    expect(put[0]?.headers.get("If-Match")).toBe(created.view.etag)
    expect(sent.at(-2)).toMatchObject({ method: "GET", path: `/v1/workspaces/${workspaceId}/views/${viewId}` })

    expectError(
      await failureOf(views.replace(workspaceId, viewId, "overlay", { ifMatch: created.view.etag })),
      ConflictError,
      412,
      "ETag does not match current revision"
    )
    const reused = put[0]?.headers.get("Idempotency-Key") ?? ""
    expectError(
      await failureOf(views.replace(workspaceId, viewId, "overlay", { idempotencyKey: reused, ifMatch: replaced.view.etag })),
      ConflictError,
      409,
      "idempotency key was already used for a different request"
    )

    const deleted = await views.delete(workspaceId, viewId)
    expect(deleted.view).toMatchObject({ revision: 3 })
    expect(deleted.view.deleted_at).not.toBeNull()
    expectError(await failureOf(views.get(workspaceId, viewId)), NotFoundError, 404, "not found")
    expect(await views.get(workspaceId, viewId, { includeDeleted: true })).toEqual(deleted.view)
    expect(ids((await views.list(workspaceId)).views)).not.toContain(created.view.id)
    expect((await views.list(workspaceId, { includeDeleted: true })).views.map((v) => v.view_id)).toContain(viewId)

    const restored = await views.restore(workspaceId, viewId)
    expect(restored.view).toMatchObject({ revision: 4, deleted_at: null, kind: "checkout" })
    expect(sent.filter((r) => r.path.endsWith("/restore"))[0]?.headers.get("If-Match")).toBe(deleted.view.etag)
    expectError(await failureOf(views.restore(workspaceId, viewId)), ConflictError, 409, "resource is not deleted")

    // Every write carried its key and its precondition, so none met a 428.
    for (const write of sent.filter((r) => r.method !== "GET")) {
      expect(write.headers.get("Idempotency-Key")).toMatch(/\S/)
      expect(write.headers.get("If-Match") ?? write.headers.get("If-None-Match")).toMatch(/\S/)
    }
    const revisions = []
    for await (const revision of views.listRevisions(workspaceId, viewId, { limit: 1 })) revisions.push(revision)
    expect(revisions.map((r) => [r.view.revision, r.action])).toEqual([[4, "restore"], [3, "delete"], [2, "replace"], [1, "create"]])
    // The writes sent: create, replace, the stale replace, the reused key, delete, restore, the second restore.
    const keys = sent.filter((r) => r.method !== "GET").map((r) => r.headers.get("Idempotency-Key"))
    expect(keys).toHaveLength(7)
    expect(revisions.map((r) => r.operation_id).reverse()).toEqual([keys[0], keys[1], keys[4], keys[5]])
    await capturingClient.close()
  })

  it("without the SDK's headers the server answers 428: what the SDK spares its callers", async () => {
    const response = await fetch(`${serverUrl}/v1/workspaces/_default/views`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ view_id: `bare-${marker()}`, kind: "snapshot" })
    })
    expect(response.status).toBe(428)
    expect(await response.json()).toEqual({ detail: "Idempotency-Key header is required" })
  })

  it("a create whose answer is lost is retried with the same key and applied once: the retry answers replayed", async () => {
    const workspaceId = await freshWorkspace()
    const viewId = `retry-${marker()}`
    const { fetch, attempts } = losingFirstAnswer("POST", /\/views$/)
    const lossy = new MemoryLayerClient({ baseUrl, fetch })
    const result = await lossy.views.create(workspaceId, viewId, "snapshot", { displayName: "Retried" })
    expect(attempts).toHaveLength(2)
    expect(attempts[1]?.key).toBe(attempts[0]?.key)
    expect(result.replayed).toBe(true)
    expect(result.view.revision).toBe(1)
    const revisions = await client.views.listRevisions(workspaceId, viewId)
    expect(revisions.revisions.map((r) => r.operation_id)).toEqual([attempts[0]?.key])
    await lossy.close()
  })

  it("observations: put creates, a retry replays, ifMatch replaces, sequence must advance, delete and restore read the etag themselves", async () => {
    const workspaceId = await freshWorkspace()
    const viewId = `obs-${marker()}`
    await client.views.create(workspaceId, viewId, "git_worktree")

    // The first answer is lost: the retry must send the same key and the same observed_at, so the server replays.
    const { fetch, attempts } = losingFirstAnswer("PUT", /\/observations\/agent-1$/)
    const lossy = new MemoryLayerClient({ baseUrl, fetch })
    const created = await lossy.views.putObservation(workspaceId, viewId, "agent-1", "gen-1", 0, {
      executionSite: "client",
      toolHostId: "host-1",
      capabilities: ["git", "fs"],
      vcs: { kind: "git", repository_id: "repo", head_revision: "abc123", branch: "main", dirty: false }
    })
    await lossy.close()
    expect(attempts).toHaveLength(2)
    expect(attempts[1]).toEqual(attempts[0])
    // The hook stamped the time once; the server stores it with microseconds.
    expect(Date.parse(JSON.parse(attempts[0]?.body ?? "{}").observed_at)).toBe(Date.parse(created.observation.observed_at))
    expect(created).toMatchObject({ replayed: true, observation: { observer_id: "agent-1", generation: "gen-1", sequence: 0, resource_revision: 1, capabilities: ["fs", "git"] } })
    expect((await client.views.listObservationRevisions(workspaceId, viewId, "agent-1")).revisions).toHaveLength(1)

    expectError(await failureOf(client.views.putObservation(workspaceId, viewId, "agent-1", "gen-1", 1)), ConflictError, 409, "resource id or key already exists")
    const etag = created.observation.etag
    expectError(
      await failureOf(client.views.putObservation(workspaceId, viewId, "agent-1", "gen-1", 0, { ifMatch: etag })),
      ValidationError,
      400,
      "observation sequence must advance within generation"
    )
    const replaced = await client.views.putObservation(workspaceId, viewId, "agent-1", "gen-1", 1, { ifMatch: etag, rootRef: "root" })
    expect(replaced).toMatchObject({ replayed: false, observation: { sequence: 1, resource_revision: 2, root_ref: "root" } })
    expectError(await failureOf(client.views.putObservation(workspaceId, viewId, "agent-1", "gen-2", 0, { ifMatch: etag })), ConflictError, 412, "ETag does not match")
    expect(await client.views.getObservation(workspaceId, viewId, "agent-1")).toEqual(replaced.observation)

    const deleted = await client.views.deleteObservation(workspaceId, viewId, "agent-1")
    expect(deleted.observation.deleted_at).not.toBeNull()
    expect(await failureOf(client.views.getObservation(workspaceId, viewId, "agent-1"))).toBeInstanceOf(NotFoundError)
    expect((await client.views.listObservations(workspaceId, viewId)).observations).toEqual([])

    const key = crypto.randomUUID()
    const restored = await client.views.restoreObservation(workspaceId, viewId, "agent-1", { idempotencyKey: key })
    expect(restored).toMatchObject({ replayed: false, observation: { deleted_at: null, resource_revision: 4, sequence: 1 } })
    const again = await client.views.restoreObservation(workspaceId, viewId, "agent-1", { idempotencyKey: key, ifMatch: deleted.observation.etag })
    expect(again).toEqual({ observation: restored.observation, replayed: true })
    expectError(await failureOf(client.views.restoreObservation(workspaceId, viewId, "agent-1")), ConflictError, 409, "resource is not deleted")

    const history = await client.views.listObservationRevisions(workspaceId, viewId, "agent-1")
    expect(history.revisions.map((r) => r.observation.resource_revision)).toEqual([4, 3, 2, 1])
    expectError(await failureOf(client.views.getObservation(workspaceId, viewId, "nobody")), NotFoundError, 404, "not found")
  })

  it("the Effect service: create, replace with the etag it reads, and Effect.catchTag(\"ConflictError\") for a stale one", async () => {
    const workspaceId = await freshWorkspace()
    const viewId = `effect-${marker()}`
    const { fetch, sent } = capturing()
    const outcome = await run(Effect.gen(function*() {
      const ml = yield* MemoryLayer
      const created = yield* ml.views.create(workspaceId, viewId, "overlay", { displayName: "Overlay" })
      const replaced = yield* ml.views.replace(workspaceId, viewId, "overlay", { displayName: "Overlay 2" })
      const stale = yield* ml.views.replace(workspaceId, viewId, "snapshot", { ifMatch: created.view.etag }).pipe(
        Effect.as("replaced"),
        Effect.catchTag("ConflictError", (error) => Effect.succeed(`${error.statusCode}: ${error.message}`))
      )
      const current = yield* ml.views.get(workspaceId, viewId)
      return { created, replaced, stale, current }
    }), fetch)
    expect(outcome.replaced.view).toMatchObject({ revision: 2, display_name: "Overlay 2" })
    expect(sent.find((r) => r.method === "PUT")?.headers.get("If-Match")).toBe(outcome.created.view.etag)
    expect(outcome.stale).toContain("412: viewsReplace: 412 ETag does not match current revision")
    expect(outcome.current).toEqual(outcome.replaced.view)
  })

  it("the Effect service: a putObservation whose answer is lost replays on retry, and deleteObservation reads the etag itself", async () => {
    const workspaceId = await freshWorkspace()
    const viewId = `effect-obs-${marker()}`
    await client.views.create(workspaceId, viewId, "directory")
    const { fetch, attempts } = losingFirstAnswer("PUT", /\/observations\/watcher$/)
    const result = await run(Effect.gen(function*() {
      const ml = yield* MemoryLayer
      const put = yield* ml.views.putObservation(workspaceId, viewId, "watcher", "g", 5)
      const deleted = yield* ml.views.deleteObservation(workspaceId, viewId, "watcher")
      return { put, deleted }
    }), fetch)
    expect(attempts).toHaveLength(2)
    expect(attempts[1]).toEqual(attempts[0])
    expect(result.put).toMatchObject({ replayed: true, observation: { sequence: 5, resource_revision: 1 } })
    expect(result.deleted.observation).toMatchObject({ resource_revision: 2 })
    expect(result.deleted.observation.deleted_at).not.toBeNull()
  })
})

describe("pagination, on both faces", () => {
  const PER_PAGE = 2
  const TOTAL = 5

  /** Asserts that `items` holds each of `expected` exactly once. */
  const onceEach = (items: ReadonlyArray<string>, expected: ReadonlyArray<string>): void => {
    expect(items).toHaveLength(expected.length)
    expect([...items].sort()).toEqual([...expected].sort())
  }

  const collect = async <A>(iterable: AsyncIterable<A>): Promise<Array<A>> => {
    const out: Array<A> = []
    for await (const item of iterable) out.push(item)
    return out
  }

  it("threads.list by offset: every thread once, although total_count is only the page's length", async () => {
    const workspaceId = await freshWorkspace()
    const ws = client.forWorkspace(workspaceId)
    const made: Array<string> = []
    for (let i = 0; i < TOTAL; i++) made.push((await ws.threads.create({ title: `t${i}`, ownership: "workspace" })).id)
    const first = await ws.threads.list({ limit: PER_PAGE })
    expect(first.threads).toHaveLength(PER_PAGE)
    expect(first.total_count).toBe(PER_PAGE)

    onceEach(ids(await collect(ws.threads.list({ limit: PER_PAGE }))), made)
    const streamed = await run(Effect.suspend(() => Stream.runCollect(stream("threads.list", { limit: PER_PAGE, workspaceId }))))
    onceEach(ids(streamed), made)
    await ws.close()
  })

  it("threads.listForUser by offset behind the gateway: every thread of the user once", async () => {
    const user = `pager-${marker()}`
    const defaultHeaders = { "X-Auth-Tenant-ID": "e2e-tenant", "X-Auth-User-ID": user, "X-Auth-Workspace-Access": "20" }
    const asUser = new MemoryLayerClient({ baseUrl: authUrl, fetch: recorded, defaultHeaders })
    const made: Array<string> = []
    for (let i = 0; i < TOTAL; i++) made.push((await asUser.threads.create({ workspaceId: "_user_chat", ownership: "user", title: `u${i}` })).id)
    onceEach(ids(await collect(asUser.threads.listForUser(user, { limit: PER_PAGE }))), made)
    const layer = MemoryLayer.layer({ baseUrl: authUrl, fetch: recorded, defaultHeaders })
    const streamed = await Effect.runPromise(
      Effect.suspend(() => Stream.runCollect(stream("threads.listForUser", user, { limit: PER_PAGE }))).pipe(Effect.provide(layer))
    )
    onceEach(ids(streamed), made)
    await asUser.close()
  })

  it("threads.getMessages by offset: every message once, in order", async () => {
    const ws = client.forWorkspace(await freshWorkspace())
    const thread = await ws.threads.create({ ownership: "workspace" })
    await ws.threads.appendMessages(thread.id, Array.from({ length: 7 }, (_, i) => ({ role: i % 2 === 0 ? "user" : "assistant", content: `message ${i}` })))
    const indexes = (await collect(ws.threads.getMessages(thread.id, { limit: 3 }))).map((m) => m.message_index)
    expect(indexes).toEqual([0, 1, 2, 3, 4, 5, 6])
    const streamed = await Effect.runPromise(
      Effect.suspend(() => Stream.runCollect(stream("threads.getMessages", thread.id, { limit: 3, order: "desc" }))).pipe(
        Effect.provide(MemoryLayer.layer({ baseUrl, fetch: recorded, workspaceId: thread.workspace_id }))
      )
    )
    expect(streamed.map((m) => m.message_index)).toEqual([6, 5, 4, 3, 2, 1, 0])
    await ws.close()
  })

  it("documents.list and documents.listJobs by offset: every document and job once", async () => {
    const workspaceId = await freshWorkspace()
    const ws = client.forWorkspace(workspaceId)
    const documents: Array<string> = []
    const jobs: Array<string> = []
    for (let i = 0; i < TOTAL; i++) {
      const { document, job } = await ws.documents.upload(new TextEncoder().encode(`document ${i} ${marker()}`), `d${i}.txt`)
      documents.push(document.id)
      jobs.push(job.id)
    }
    const first = await ws.documents.list({ limit: PER_PAGE })
    expect(first).toMatchObject({ total: TOTAL, limit: PER_PAGE, offset: 0 })
    onceEach(ids(await collect(ws.documents.list({ limit: PER_PAGE }))), documents)
    onceEach(ids(await collect(ws.documents.listJobs({ limit: PER_PAGE }))), jobs)

    const layer = MemoryLayer.layer({ baseUrl, fetch: recorded, workspaceId })
    const streamed = await Effect.runPromise(Effect.gen(function*() {
      return { documents: yield* Stream.runCollect(stream("documents.list", { limit: PER_PAGE })), jobs: yield* Stream.runCollect(stream("documents.listJobs", { limit: PER_PAGE })) }
    }).pipe(Effect.provide(layer)))
    onceEach(ids(streamed.documents), documents)
    onceEach(ids(streamed.jobs), jobs)
    await ws.close()
  })

  it("views.list, listRevisions, listObservations and listObservationRevisions by cursor: every item once", async () => {
    const workspaceId = await freshWorkspace()
    const views: Array<string> = []
    for (let i = 0; i < TOTAL; i++) views.push((await client.views.create(workspaceId, `v${i}`, "snapshot")).view.view_id)
    const viewId = views[0] ?? ""
    for (let i = 0; i < 3; i++) await client.views.replace(workspaceId, viewId, "snapshot", { displayName: `r${i}` })
    const observers = ["o1", "o2", "o3"]
    for (const observer of observers) await client.views.putObservation(workspaceId, viewId, observer, "g", 0)
    for (let sequence = 1; sequence <= 3; sequence++) await client.views.putObservation(workspaceId, viewId, "o1", "g", sequence, { ifMatch: (await client.views.getObservation(workspaceId, viewId, "o1")).etag })

    const first = await client.views.list(workspaceId, { limit: PER_PAGE })
    expect(first.views).toHaveLength(PER_PAGE)
    expect(first.next_page_token).toEqual(expect.any(String))

    onceEach((await collect(client.views.list(workspaceId, { limit: PER_PAGE }))).map((v) => v.view_id), views)
    expect((await collect(client.views.listRevisions(workspaceId, viewId, { limit: PER_PAGE }))).map((r) => r.view.revision)).toEqual([4, 3, 2, 1])
    onceEach((await collect(client.views.listObservations(workspaceId, viewId, { limit: 1 }))).map((o) => o.observer_id), observers)
    expect((await collect(client.views.listObservationRevisions(workspaceId, viewId, "o1", { limit: PER_PAGE }))).map((r) => r.observation.sequence)).toEqual([3, 2, 1, 0])

    const streamed = await run(Effect.gen(function*() {
      return {
        views: yield* Stream.runCollect(stream("views.list", workspaceId, { limit: PER_PAGE })),
        revisions: yield* Stream.runCollect(stream("views.listRevisions", workspaceId, viewId, { limit: PER_PAGE })),
        observations: yield* Stream.runCollect(stream("views.listObservations", workspaceId, viewId, { limit: 1 })),
        observationRevisions: yield* Stream.runCollect(stream("views.listObservationRevisions", workspaceId, viewId, "o1", { limit: PER_PAGE }))
      }
    }))
    onceEach(streamed.views.map((v) => v.view_id), views)
    expect(streamed.revisions.map((r) => r.view.revision)).toEqual([4, 3, 2, 1])
    onceEach(streamed.observations.map((o) => o.observer_id), observers)
    expect(streamed.observationRevisions.map((r) => r.observation.sequence)).toEqual([3, 2, 1, 0])
  })
})

describe("coverage", () => {
  /** The operations of the threads, documents and workspace-views tags of openapi.yaml. */
  const group = contractOperations
    .filter((op) => {
      const item = (contract["paths"] as Record<string, Record<string, { readonly tags?: ReadonlyArray<string> }>>)[op.path]
      return (item?.[op.method.toLowerCase()]?.tags ?? []).some((tag) => ["threads", "documents", "workspace-views"].includes(tag))
    })
    .map((op) => op.operationId)

  it("exercised all 39 threads, documents and views operations", () => {
    expect(group).toHaveLength(39)
    expect(group.filter((id) => !exercised.has(id as OperationId))).toEqual([])
  })
})
