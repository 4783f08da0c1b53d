/**
 * Code ported from the Python SDK (memorylayer-client 0.2.1) reads the same:
 * each of its public methods beyond the documented ones is found, camelCased,
 * on the Promise client and on the Effect service, flat names at the top and
 * namespaced ones in their namespace (`client.skills.getManifest`).
 */
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, it } from "vitest"
import { readFileSync } from "node:fs"
import * as Stream from "effect/Stream"
import type { StreamMethods } from "../../generated/service.gen.ts"
import { MemoryLayer, stream } from "../../src/effect.ts"
import { MemoryLayerClient } from "../../src/index.ts"

/** Public methods of Python's `MemoryLayerClient` 0.2.1 beyond the documented ones, by namespace (`""` = flat). */
const PYTHON_METHODS: Readonly<Record<string, ReadonlyArray<string>>> = {
  "": [
    "list_memories", "iterate_memories", "update_association", "delete_association", "traverse_graph", "list_sessions",
    "create_checkpoint", "get_checkpoint", "get_context_pack", "get_context_delta", "list_workspaces", "create_context",
    "list_contexts", "delete_context", "export_workspace", "import_workspace", "export_workspace_stream",
    "import_workspace_stream", "list_entities", "get_entity", "resolve_entity", "merge_entities", "create_token",
    "list_tokens", "get_token", "delete_token", "revoke_token", "create_thread", "list_threads", "list_user_threads",
    "get_thread", "get_thread_full", "update_thread", "delete_thread", "delete_message", "append_messages", "get_messages",
    "decompose_thread", "upload_document", "list_documents", "get_document", "delete_document", "search_document_pages",
    "get_document_pages", "get_job", "list_jobs", "cancel_job", "reprocess_document", "acting_for", "for_workspace"
  ],
  skills: ["list", "get", "get_manifest", "get_file", "list_files", "save", "delete", "resolve", "pull", "push", "materialize"],
  mcp_servers: ["list", "get", "create", "update", "delete", "resolve", "push_json", "pull_json"],
  kb: ["get", "list_articles", "get_article", "generate", "export_vault", "get_graph_analysis", "get_community"]
}

/**
 * Python's iterator forms, which on the Effect face are the `stream(key)`
 * function rather than methods: `stream("listMemories")` walks what
 * `iterate_memories` does, `stream("exportWorkspace")` reads what
 * `export_workspace_stream` does.
 */
const PROMISE_ONLY: Readonly<Record<string, StreamKey>> = { iterate_memories: "listMemories", export_workspace_stream: "exportWorkspace" }

type StreamKey = keyof StreamMethods

/** Python methods whose routes memorylayer-server 0.2.0 does not have (`rpg`: a namespace of 14). */
const WITHOUT_ROUTE = [
  "get_page_image", "upload_dataset", "list_datasets", "get_dataset", "delete_dataset", "get_dataset_memories",
  "query_dataset_slice", "get_dataset_job", "list_dataset_jobs", "cancel_dataset_job"
]

const camel = (name: string): string => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())

const names = Object.entries(PYTHON_METHODS).flatMap(([namespace, methods]) =>
  methods.map((method) => ({ python: namespace === "" ? method : `${namespace}.${method}`, namespace: camel(namespace), method: camel(method) }))
)

const client = new MemoryLayerClient()
afterAll(() => client.close())
const service = Effect.runSync(Effect.service(MemoryLayer).pipe(Effect.provide(MemoryLayer.layer())))

/** The method `method` in `namespace` (or at the top when `""`) of `face`, if it is a function. */
const lookUp = (face: object, namespace: string, method: string): unknown => {
  const home = namespace === "" ? face : (face as Record<string, unknown>)[namespace]
  const found = typeof home === "object" && home !== null ? (home as Record<string, unknown>)[method] : undefined
  return typeof found === "function" ? found : undefined
}

const missingOn = (face: object, list: typeof names): Array<string> =>
  list.filter(({ namespace, method }) => lookUp(face, namespace, method) === undefined).map(({ python }) => python)

describe("the Python SDK 0.2.1's method names, camelCased", () => {
  const onService = names.filter(({ python }) => PROMISE_ONLY[python] === undefined)

  it(`lists ${names.length} Python methods`, () => {
    expect(names).toHaveLength(50 + 11 + 8 + 7)
  })

  it("finds each on the Promise client (flat names on the client, the rest in client.skills, client.mcpServers, client.kb)", () => {
    expect(missingOn(client, names)).toEqual([])
  })

  it("finds each on the Effect service, Python's iterator forms as stream(key)", () => {
    expect(missingOn(service, onService)).toEqual([])
    for (const key of Object.values(PROMISE_ONLY)) expect(Stream.isStream(stream(key))).toBe(true)
  })

  it("traverse_graph is traceMemory under Python's name", () => {
    expect(lookUp(client, "", "traverseGraph")).toBeDefined()
    expect(lookUp(service, "", "traverseGraph")).toBe(lookUp(service, "", "traceMemory"))
  })

  it("leaves out the Python methods the server has no route for, and the README says which", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8")
    for (const python of WITHOUT_ROUTE) {
      expect(lookUp(client, "", camel(python))).toBeUndefined()
      expect(readme).toContain(`\`${python}\``)
    }
    expect((client as unknown as Record<string, unknown>)["rpg"]).toBeUndefined()
    expect(readme).toContain("the `rpg` namespace")
  })
})
