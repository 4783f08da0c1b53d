/**
 * One valid call of every operation of the skills, mcpServers, kb,
 * agentSpecs, promptNotes and dataProviders namespaces, with a check of what
 * it returns; spread into `calls` (calls.ts), so both faces run each one
 * against the Prism mock. The versioned writes pass `ifMatch` so that one
 * call is one request (the automatic etag read is proven in
 * versioned-writes.test.ts).
 */
import type { OperationId } from "../../generated/operations.gen.ts"
import type { Face } from "./calls.ts"

type Call = { readonly run: (api: Face) => unknown; readonly check: (result: unknown) => boolean }

const SPEC_ID = "vrs_3f0c2a9d41b84e6c"
const NOTE_ID = "vrs_8b1e4c7a20f94d3b"
const SKILL_ID = "skl_5a9e2c1f7b3d4e60"
const MCP_ID = "mcp_1c7e9a2b4d6f8031"
const PROVIDER_ID = "dp_7d2f4a9c1e6b3058"
const ETAG = "\"vr-2-3b1f0c8e9a\""

/** The tools group's calls, keyed by operationId. */
export const toolsCalls: Partial<Record<OperationId, Call>> = {
  agentSpecsCreate: {
    run: (api) =>
      api.agentSpecs.create("reviewer", "Code reviewer", "Reviews pull requests", "Review the diff for bugs and style.", {
        model: "claude-sonnet",
        allowedTools: ["Read", "Grep"],
        maxTurns: 20
      }),
    check: (r) => isVersioned(r, "key")
  },
  agentSpecsList: { run: (api) => api.agentSpecs.list({ limit: 10, includeDeleted: true }), check: (r) => Array.isArray(field(r, "specifications")) },
  agentSpecsListRevisions: { run: (api) => api.agentSpecs.listRevisions(SPEC_ID, { limit: 5 }), check: isRevisionPage },
  agentSpecsGet: { run: (api) => api.agentSpecs.get(SPEC_ID, { includeDeleted: true }), check: (r) => isVersioned(r, "key") },
  agentSpecsReplace: {
    run: (api) => api.agentSpecs.replace(SPEC_ID, "Code reviewer", "Reviews pull requests", "Review the diff; cite lines.", { ifMatch: ETAG }),
    check: (r) => isVersioned(r, "key")
  },
  agentSpecsDelete: { run: (api) => api.agentSpecs.delete(SPEC_ID, { ifMatch: ETAG }), check: (r) => isVersioned(r, "key") },
  agentSpecsRestore: { run: (api) => api.agentSpecs.restore(SPEC_ID, { ifMatch: ETAG }), check: (r) => isVersioned(r, "key") },

  promptNotesCreate: {
    run: (api) => api.promptNotes.create("tone", "Tone of voice", "Answer briefly and cite sources.", { metadata: { team: "docs" } }),
    check: (r) => isVersioned(r, "title")
  },
  promptNotesList: { run: (api) => api.promptNotes.list({ limit: 10 }), check: (r) => Array.isArray(field(r, "notes")) },
  promptNotesListRevisions: { run: (api) => api.promptNotes.listRevisions(NOTE_ID, { limit: 5 }), check: isRevisionPage },
  promptNotesGet: { run: (api) => api.promptNotes.get(NOTE_ID), check: (r) => isVersioned(r, "title") },
  promptNotesReplace: {
    run: (api) => api.promptNotes.replace(NOTE_ID, "Tone of voice", "Answer in two sentences at most.", { ifMatch: ETAG, enabled: true }),
    check: (r) => isVersioned(r, "title")
  },
  promptNotesDelete: { run: (api) => api.promptNotes.delete(NOTE_ID, { ifMatch: ETAG }), check: (r) => isVersioned(r, "title") },
  promptNotesRestore: { run: (api) => api.promptNotes.restore(NOTE_ID, { ifMatch: ETAG }), check: (r) => isVersioned(r, "title") },

  skillsSave: {
    run: (api) =>
      api.skills.save("pdf-tools", "Extract text and tables from PDF files", {
        body: "# PDF tools\n",
        license: "MIT",
        files: [{ path: "scripts/extract.py", content: "print('hi')\n", mime_type: "text/x-python" }]
      }),
    check: isSkill
  },
  skillsList: { run: (api) => api.skills.list({ limit: 10, offset: 0, includeGlobal: true }), check: (r) => Array.isArray(field(r, "skills")) },
  skillsResolve: { run: (api) => api.skills.resolve("pdf-tools", { scopeHint: "workspace" }), check: (r) => "skill" in (r as object) && Array.isArray(field(r, "candidates")) },
  skillsListRevisions: { run: (api) => api.skills.listRevisions(SKILL_ID, { limit: 5 }), check: isRevisionPage },
  skillsGet: { run: (api) => api.skills.get(SKILL_ID), check: isSkill },
  skillsUpdate: { run: (api) => api.skills.update(SKILL_ID, { description: "Extract text, tables and images from PDFs", version: "0.2.0" }), check: isSkill },
  skillsDelete: { run: (api) => api.skills.delete(SKILL_ID), check: (r) => r === undefined },
  skillsGetManifest: {
    run: (api) => api.skills.getManifest(SKILL_ID, { includeAddenda: true }),
    check: (r) => typeof r === "string" && r.startsWith("---\nname: ")
  },
  skillsReplaceManifest: {
    run: (api) => api.skills.replaceManifest(SKILL_ID, "Extract text and tables from PDF files", { ifMatch: ETAG, version: "0.3.0" }),
    check: isSkill
  },
  skillsListFiles: { run: (api) => api.skills.listFiles(SKILL_ID), check: (r) => Array.isArray(r) && r.every((f) => typeof field(f, "path") === "string") },
  skillsGetBundle: { run: (api) => api.skills.getBundle(SKILL_ID, "ndjson"), check: (r) => r instanceof ReadableStream },
  skillsGetFile: { run: (api) => api.skills.getFile(SKILL_ID, "scripts/extract.py"), check: (r) => r instanceof Blob },
  skillsUpsertFile: {
    run: (api) => api.skills.upsertFile(SKILL_ID, "scripts/extract.py", btoa("print('hi')\n"), { mimeType: "text/x-python" }),
    check: (r) => typeof field(r, "content_hash") === "string" && typeof field(r, "size_bytes") === "number"
  },
  skillsDeleteFile: { run: (api) => api.skills.deleteFile(SKILL_ID, "scripts/extract.py"), check: (r) => r === undefined },
  skillsDeleteManifest: { run: (api) => api.skills.deleteManifest(SKILL_ID, { ifMatch: ETAG }), check: isSkill },
  skillsRestoreManifest: { run: (api) => api.skills.restoreManifest(SKILL_ID, { ifMatch: ETAG }), check: isSkill },
  skillsSync: { run: (api) => api.skills.sync(SKILL_ID, { manifestHash: "abc", bundleHash: "" }), check: (r) => typeof field(r, "action") === "string" },

  mcpServersCreate: {
    run: (api) => api.mcpServers.create("git", "stdio", { command: "git-mcp", args: ["--repo", "."], env: { TOKEN: "${GIT_TOKEN}" } }),
    check: isMcpServer
  },
  mcpServersList: { run: (api) => api.mcpServers.list({ transport: "stdio", limit: 10 }), check: (r) => Array.isArray(field(r, "mcp_servers")) },
  mcpServersResolve: { run: (api) => api.mcpServers.resolve("git"), check: (r) => "mcp_server" in (r as object) && Array.isArray(field(r, "candidates")) },
  mcpServersImportJson: {
    run: (api) => api.mcpServers.importJson({ git: { command: "git-mcp", args: ["--repo", "."] }, web: { url: "https://mcp.example.test", type: "http" } }),
    check: (r) => typeof field(r, "imported") === "number" && Array.isArray(field(r, "errors"))
  },
  mcpServersExportJson: { run: (api) => api.mcpServers.exportJson(), check: (r) => typeof field(r, "mcpServers") === "object" },
  mcpServersGet: { run: (api) => api.mcpServers.get(MCP_ID, { revealSecrets: true }), check: isMcpServer },
  mcpServersUpdate: { run: (api) => api.mcpServers.update(MCP_ID, { args: ["--repo", "/srv/repo"], enabled: true }), check: isMcpServer },
  mcpServersDelete: { run: (api) => api.mcpServers.delete(MCP_ID), check: (r) => r === undefined },
  mcpServersSync: { run: (api) => api.mcpServers.sync(MCP_ID, { manifestHash: "" }), check: (r) => typeof field(r, "action") === "string" },

  dataProvidersCreate: { run: (api) => api.dataProviders.create("Team drive", { providerType: "local", description: "Shared documents" }), check: isProvider },
  dataProvidersList: { run: (api) => api.dataProviders.list({ limit: 10 }), check: (r) => Array.isArray(field(r, "providers")) && typeof field(r, "total_count") === "number" },
  dataProvidersGet: { run: (api) => api.dataProviders.get(PROVIDER_ID), check: isProvider },
  dataProvidersUpdate: { run: (api) => api.dataProviders.update(PROVIDER_ID, { description: "Shared documents (read-only)", enabled: false }), check: isProvider },
  dataProvidersDelete: { run: (api) => api.dataProviders.delete(PROVIDER_ID), check: (r) => r === undefined },
  dataProvidersSync: { run: (api) => api.dataProviders.sync(PROVIDER_ID), check: (r) => Array.isArray(field(r, "synced_documents")) },

  kbGenerate: { run: (api) => api.kb.generate({ maxCommunities: 5, regenerate: true }), check: isKnowledgebase },
  kbGet: { run: (api) => api.kb.get("ws-docs"), check: isKnowledgebase },
  kbListArticles: { run: (api) => api.kb.listArticles({ articleType: "community", limit: 10 }), check: (r) => Array.isArray(field(r, "articles")) },
  kbGetArticle: { run: (api) => api.kb.getArticle("community-0"), check: (r) => typeof field(r, "content_md") === "string" },
  kbExportVault: { run: (api) => api.kb.exportVault("ws-docs"), check: (r) => r instanceof ReadableStream },
  kbGetGraphAnalysis: {
    run: (api) => api.kb.getGraphAnalysis({ includeCentralNodes: true }),
    check: (r) => Array.isArray(field(r, "communities")) && typeof field(r, "stats") === "object"
  },
  kbGetCommunity: { run: (api) => api.kb.getCommunity(0), check: (r) => typeof field(r, "id") === "number" && Array.isArray(field(r, "memory_ids")) }
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined
}

/** A versioned resource (specification or note): id, key, revision, etag, and `naming` (its title field). */
function isVersioned(value: unknown, naming: string): boolean {
  return typeof field(value, "id") === "string" && typeof field(value, naming) === "string" &&
    typeof field(value, "revision") === "number" && typeof field(value, "etag") === "string"
}

function isRevisionPage(value: unknown): boolean {
  const revisions = field(value, "revisions")
  return Array.isArray(revisions) && revisions.every((r) => typeof field(r, "action") === "string") && "next_page_token" in (value as object)
}

function isSkill(value: unknown): boolean {
  return typeof field(value, "id") === "string" && typeof field(value, "name") === "string" && typeof field(value, "etag") === "string"
}

function isMcpServer(value: unknown): boolean {
  return typeof field(value, "id") === "string" && typeof field(value, "transport") === "string"
}

function isProvider(value: unknown): boolean {
  return typeof field(value, "id") === "string" && typeof field(value, "provider_type") === "string"
}

function isKnowledgebase(value: unknown): boolean {
  return typeof field(value, "workspace_id") === "string" && typeof field(value, "article_count") === "number"
}
