/**
 * `.mcp.json` documents: the Python client's `mcp_servers.push_json` and
 * `pull_json`, taking and returning the document as data (a file is the
 * caller's to read or write, as the client also runs where there are no
 * files). Both go through the server's own import and export, one request
 * each: pushing creates the servers a workspace lacks and updates those it has
 * (Python's creates them one by one and fails on a name that exists).
 *
 * @module
 */
import * as Effect from "effect/Effect"
import type { McpServersOperations } from "../generated/service.gen.ts"
import type { McpJsonDocument, McpServerEntry, McpServerImportResponse, McpTransport, SkillSourceMode } from "../generated/types.gen.ts"
import { NamespaceCore } from "./namespace-core.ts"
import type { OperationError } from "./operation-error.ts"
import type { CallOptions } from "./options.ts"
import { invalidInput } from "./runner.ts"

/** A `.mcp.json` document: its text, or its parsed value. */
export type McpJsonInput = string | {
  /** The servers, by name. */
  readonly mcpServers: { readonly [name: string]: McpServerEntry }
}

/** Options of `mcpServers.pushJson`. */
export interface McpPushJsonOptions extends CallOptions {
  /** Workspace to store the servers in; wins over the client's. */
  readonly workspaceId?: string | undefined
  /** Make the servers private to this user. */
  readonly userId?: string | undefined
  /** Where the servers' source of truth lives. */
  readonly sourceMode?: SkillSourceMode | undefined
}

/** Options of `mcpServers.pullJson`. */
export interface McpPullJsonOptions extends CallOptions {
  /** Workspace to read; wins over the client's. */
  readonly workspaceId?: string | undefined
  /** Send secrets in `env` and `headers` as stored rather than masked (`***`). */
  readonly revealSecrets?: boolean | undefined
  /** Only the servers reached this way. */
  readonly transport?: McpTransport | undefined
}

/** The `.mcp.json` methods of the service's `mcpServers` namespace. */
export interface McpJsonMethods {
  /**
   * Stores the servers of a `.mcp.json` document (its text or its value) in
   * the workspace: new names are created, known ones updated. Answers what it
   * did. A document that is not JSON or has no `mcpServers` map is a
   * `ValidationError` before anything is sent.
   *
   * @example
   * ```ts
   * const { imported, updated } = yield* ml.mcpServers.pushJson(await readFile(".mcp.json", "utf8"))
   * ```
   */
  pushJson(document: McpJsonInput, options?: McpPushJsonOptions): Effect.Effect<McpServerImportResponse, OperationError<"mcpServersImportJson">>
  /**
   * The workspace's enabled servers as a `.mcp.json` document (secrets
   * masked unless `revealSecrets`), optionally only those of one transport.
   * Write it with `JSON.stringify(document, null, 2)`.
   *
   * @example
   * ```ts
   * const document = yield* ml.mcpServers.pullJson({ transport: "stdio" })
   * ```
   */
  pullJson(options?: McpPullJsonOptions): Effect.Effect<McpJsonDocument, OperationError<"mcpServersExportJson">>
}

/** The document's `mcpServers` map, or the rule it breaks. */
const serversOf = (document: unknown): { readonly servers: { readonly [name: string]: McpServerEntry } } | { readonly issue: string } => {
  let value = document
  if (typeof document === "string") {
    try {
      value = JSON.parse(document)
    } catch (error) {
      return { issue: `is not JSON: ${error instanceof Error ? error.message : String(error)}` }
    }
  }
  const servers = typeof value === "object" && value !== null ? (value as { readonly mcpServers?: unknown }).mcpServers : undefined
  if (typeof servers !== "object" || servers === null || Array.isArray(servers)) return { issue: "must have an mcpServers map of servers by name" }
  return { servers: servers as { readonly [name: string]: McpServerEntry } }
}

/** How an exported entry is reached: its `type`, else `stdio` for a command. */
const transportOf = (entry: { readonly type?: string | null; readonly command?: string | null }): string | undefined =>
  entry.type ?? (typeof entry.command === "string" ? "stdio" : undefined)

/** The `.mcp.json` methods over the service's `mcpServers` operations. */
export const mcpJsonMethods = (mcpServers: McpServersOperations): McpJsonMethods => ({
  pushJson: (document, options) => {
    const found = serversOf(document)
    if ("issue" in found) return Effect.fail(invalidInput("mcpServers.pushJson", [{ path: ["document"], message: found.issue }]))
    // The options go to importJson as they are: it refuses the ones it does not take, naming them.
    return mcpServers.importJson(found.servers, options)
  },
  pullJson: (options) => {
    const { transport, ...rest } = options ?? {}
    return Effect.map(mcpServers.exportJson(rest), (document) =>
      transport === undefined
        ? document
        : { mcpServers: Object.fromEntries(Object.entries(document.mcpServers).filter(([, entry]) => transportOf(entry) === transport)) })
  }
})

/** The `.mcp.json` methods of `client.mcpServers`, as Promises (the base of the generated `McpServersClient`). */
export class McpJsonClient extends NamespaceCore {
  /**
   * Stores the servers of a `.mcp.json` document (its text or its value):
   * new names are created, known ones updated.
   *
   * @example
   * ```ts
   * await client.mcpServers.pushJson(await readFile(".mcp.json", "utf8"))
   * ```
   */
  pushJson(document: McpJsonInput, options?: McpPushJsonOptions): Promise<McpServerImportResponse> {
    return this.compose("mcpServers", "pushJson", [document, options])
  }

  /**
   * The workspace's enabled servers as a `.mcp.json` document, optionally
   * only those of one transport.
   *
   * @example
   * ```ts
   * await writeFile(".mcp.json", JSON.stringify(await client.mcpServers.pullJson(), null, 2))
   * ```
   */
  pullJson(options?: McpPullJsonOptions): Promise<McpJsonDocument> {
    return this.compose("mcpServers", "pullJson", [options])
  }
}
