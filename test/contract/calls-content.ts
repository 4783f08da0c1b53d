/**
 * One typical call of each threads, documents and views operation (the
 * `client.threads`, `client.documents` and `client.views` namespaces), with a
 * check of what it returns; spread into `calls` (calls.ts), so the contract
 * suites run each through both faces and every declared error status.
 */
import type { OperationId } from "../../generated/operations.gen.ts"
import type { Face } from "./calls.ts"

type Call = { readonly run: (api: Face) => unknown; readonly check: (result: unknown) => boolean }

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined

const isThread = (value: unknown): boolean =>
  typeof field(value, "id") === "string" && typeof field(value, "message_count") === "number" && typeof field(value, "ownership") === "string"

const isDocument = (value: unknown): boolean =>
  typeof field(value, "id") === "string" && typeof field(value, "filename") === "string" && typeof field(value, "status") === "string"

const isJob = (value: unknown): boolean =>
  typeof field(value, "id") === "string" && Array.isArray(field(value, "document_ids")) && typeof field(value, "progress_percent") === "number"

const isView = (value: unknown): boolean =>
  typeof field(value, "view_id") === "string" && typeof field(value, "revision") === "number" && typeof field(value, "etag") === "string"

const isObservation = (value: unknown): boolean =>
  typeof field(value, "observer_id") === "string" && typeof field(value, "generation") === "string" && typeof field(value, "etag") === "string"

/** A write of a versioned resource: the resource and whether the answer was a replay. */
const isVersionedWrite = (key: "view" | "observation", check: (value: unknown) => boolean) => (value: unknown): boolean =>
  check(field(value, key)) && typeof field(value, "replayed") === "boolean"

/** A page of a list: its items (each passing `check`) under `items`. */
const isPage = (items: string, check: (value: unknown) => boolean) => (value: unknown): boolean => {
  const list = field(value, items)
  return Array.isArray(list) && list.length > 0 && list.every(check)
}

const isDocumentJob = (value: unknown): boolean => isDocument(field(value, "document")) && isJob(field(value, "job"))

const WORKSPACE = "_default"
const VIEW = "main"
const OBSERVER = "agent-1"

/** The threads, documents and views calls. */
export const contentCalls: Partial<Record<OperationId, Call>> = {
  threadsCreate: {
    run: (api) => api.threads.create({ title: "Launch planning", ownership: "workspace", scope: "web", metadata: { topic: "launch" }, idleAction: "hide" }),
    check: isThread
  },
  threadsList: { run: (api) => api.threads.list({ limit: 10, offset: 0, ownershipFilter: "workspace", includeHidden: false }), check: isPage("threads", isThread) },
  threadsListForUser: { run: (api) => api.threads.listForUser("alice", { ownership: "user", limit: 5 }), check: isPage("threads", isThread) },
  threadsGet: { run: (api) => api.threads.get("thread_0123"), check: isThread },
  threadsUpdate: { run: (api) => api.threads.update("thread_0123", { title: "Renamed", metadata: { topic: "launch" }, idleAction: "delete" }), check: isThread },
  threadsDelete: { run: (api) => api.threads.delete("thread_0123"), check: (r) => r === undefined },
  threadsGetFull: {
    run: (api) => api.threads.getFull("thread_0123", { limit: 20, order: "desc" }),
    check: (r) => isThread(field(r, "thread")) && Array.isArray(field(r, "messages")) && typeof field(r, "total_messages") === "number"
  },
  threadsArchive: { run: (api) => api.threads.archive("thread_0123"), check: isThread },
  threadsRestore: { run: (api) => api.threads.restore("thread_0123"), check: isThread },
  threadsDeleteMessage: { run: (api) => api.threads.deleteMessage("thread_0123", "msg_0001"), check: (r) => r === undefined },
  threadsAppendMessages: {
    run: (api) =>
      api.threads.appendMessages("thread_0123", [
        { role: "user", content: "I prefer tea in the morning." },
        { role: "assistant", content: [{ type: "text", text: "Noted." }] }
      ]),
    check: (r) => isPage("messages", (m) => typeof field(m, "message_index") === "number")(r) && typeof field(r, "new_message_count") === "number"
  },
  threadsGetMessages: {
    run: (api) => api.threads.getMessages("thread_0123", { limit: 50, afterIndex: 0, order: "asc" }),
    check: isPage("messages", (m) => typeof field(m, "role") === "string")
  },
  threadsDecompose: { run: (api) => api.threads.decompose("thread_0123"), check: (r) => typeof field(r, "messages_processed") === "number" },

  documentsUpload: {
    run: (api) =>
      api.documents.upload(new Blob(["# Runbook\n\nRestart the worker before deploying.\n"], { type: "text/markdown" }), "runbook.md", {
        documentType: "markdown",
        targetContextId: "docs",
        chunkSize: 1000,
        importance: 0.7
      }),
    check: isDocumentJob
  },
  documentsList: { run: (api) => api.documents.list({ status: "completed", limit: 20 }), check: isPage("documents", isDocument) },
  documentsListJobs: { run: (api) => api.documents.listJobs({ status: "completed", limit: 20 }), check: isPage("jobs", isJob) },
  documentsGetJob: { run: (api) => api.documents.getJob("job_0123"), check: isJob },
  documentsCancelJob: { run: (api) => api.documents.cancelJob("job_0123"), check: isJob },
  documentsSearch: {
    run: (api) => api.documents.search("when do we deploy?", { limit: 5 }),
    check: (r) => Array.isArray(field(r, "pages")) && typeof field(r, "total_count") === "number"
  },
  documentsGet: { run: (api) => api.documents.get("doc_0123"), check: isDocument },
  documentsDelete: { run: (api) => api.documents.delete("doc_0123", { deleteMemories: true }), check: (r) => field(r, "deleted") === true },
  documentsGetMemories: {
    run: (api) => api.documents.getMemories("doc_0123"),
    check: (r) => isPage("memories", (m) => typeof field(m, "content") === "string")(r) && typeof field(r, "total") === "number"
  },
  documentsGetPages: { run: (api) => api.documents.getPages("doc_0123"), check: isPage("pages", (p) => typeof field(p, "page_no") === "number") },
  documentsGetPage: { run: (api) => api.documents.getPage("doc_0123", "page_0001"), check: (r) => typeof field(r, "page_no") === "number" },
  documentsReprocess: {
    run: (api) => api.documents.reprocess("doc_0123", { extractionOptions: { chunk_size: 500, target_context_id: "docs" } }),
    check: isDocumentJob
  },
  documentsVerify: { run: (api) => api.documents.verify("doc_0123"), check: (r) => field(r, "scheduled") === true && typeof field(r, "task_id") === "string" },

  viewsCreate: {
    run: (api) => api.views.create(WORKSPACE, VIEW, "git_worktree", { displayName: "Main checkout", capabilities: ["read", "write"], metadata: { repo: "app" } }),
    check: isVersionedWrite("view", isView)
  },
  viewsList: { run: (api) => api.views.list(WORKSPACE, { limit: 10 }), check: isPage("views", isView) },
  viewsListRevisions: {
    run: (api) => api.views.listRevisions(WORKSPACE, VIEW, { limit: 10 }),
    check: isPage("revisions", (r) => isView(field(r, "view")) && typeof field(r, "action") === "string")
  },
  viewsGet: { run: (api) => api.views.get(WORKSPACE, VIEW), check: isView },
  viewsReplace: { run: (api) => api.views.replace(WORKSPACE, VIEW, "checkout", { displayName: "Main" }), check: isVersionedWrite("view", isView) },
  viewsDelete: { run: (api) => api.views.delete(WORKSPACE, VIEW), check: isVersionedWrite("view", isView) },
  viewsRestore: { run: (api) => api.views.restore(WORKSPACE, VIEW), check: isVersionedWrite("view", isView) },
  viewsListObservations: { run: (api) => api.views.listObservations(WORKSPACE, VIEW, { limit: 10 }), check: isPage("observations", isObservation) },
  viewsListObservationRevisions: {
    run: (api) => api.views.listObservationRevisions(WORKSPACE, VIEW, OBSERVER, { limit: 10 }),
    check: isPage("revisions", (r) => isObservation(field(r, "observation")))
  },
  viewsGetObservation: { run: (api) => api.views.getObservation(WORKSPACE, VIEW, OBSERVER), check: isObservation },
  viewsPutObservation: {
    run: (api) => api.views.putObservation(WORKSPACE, VIEW, OBSERVER, "gen-1", 0, { executionSite: "client", toolHostId: "host-1", capabilities: ["git"] }),
    check: isVersionedWrite("observation", isObservation)
  },
  viewsDeleteObservation: { run: (api) => api.views.deleteObservation(WORKSPACE, VIEW, OBSERVER), check: isVersionedWrite("observation", isObservation) },
  viewsRestoreObservation: { run: (api) => api.views.restoreObservation(WORKSPACE, VIEW, OBSERVER), check: isVersionedWrite("observation", isObservation) }
}
