/**
 * Settings from the environment, where the runtime has one (Node, Bun, Deno
 * with `--allow-env`, workers with Node compatibility); elsewhere, and when
 * reading it is not allowed, nothing is read.
 *
 * @module
 */
import type { MemoryLayerOptions } from "./options.ts"

/** The environment variables the client reads, and the option each fills. */
export const ENVIRONMENT = {
  MEMORYLAYER_URL: "baseUrl",
  MEMORYLAYER_API_KEY: "apiKey",
  MEMORYLAYER_WORKSPACE_ID: "workspaceId",
  MEMORYLAYER_LOG: "logLevel"
} as const

/** Environment variable `name`, or `undefined` when unset, empty, or not readable here. */
export const environmentVariable = (name: string): string | undefined => {
  try {
    const value = (globalThis as { readonly process?: { readonly env?: Readonly<Record<string, string | undefined>> } }).process?.env?.[name]
    return value === undefined || value === "" ? undefined : value
  } catch {
    // Deno without --allow-env throws; that is "not set".
    return undefined
  }
}

/**
 * Whether this is a browser page or a browser worker, where a request to
 * another origin may carry a header only when the server allows it.
 */
export const inBrowser = (): boolean => {
  const global = globalThis as { readonly document?: unknown; readonly importScripts?: unknown }
  return typeof global.document === "object" || typeof global.importScripts === "function"
}

/**
 * `options` with `baseUrl`, `apiKey`, `workspaceId` and `logLevel` taken
 * from `MEMORYLAYER_URL`, `MEMORYLAYER_API_KEY`, `MEMORYLAYER_WORKSPACE_ID`
 * and `MEMORYLAYER_LOG` (any case) when they are not given (an explicit
 * option wins).
 *
 * @example
 * ```ts
 * // MEMORYLAYER_URL=https://memory.example.com node app.js
 * new MemoryLayerClient() // talks to https://memory.example.com
 * ```
 */
export const withEnvironment = (options: MemoryLayerOptions): MemoryLayerOptions => {
  if (typeof options !== "object" || options === null || Array.isArray(options)) return options
  const filled: Record<string, unknown> = { ...options }
  for (const [name, option] of Object.entries(ENVIRONMENT)) {
    if (filled[option] !== undefined) continue
    const value = environmentVariable(name)
    if (value !== undefined) filled[option] = option === "logLevel" ? value.toLowerCase() : value
    else if (!Object.hasOwn(options, option)) delete filled[option]
  }
  return filled as MemoryLayerOptions
}
