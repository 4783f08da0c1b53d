/**
 * The HTTP layer under the generated request functions: the hey-api sdk
 * functions describe each request (method, URL template, path, query, body,
 * headers) and call `client.<method>(descriptor)`; this module is that client,
 * one per MemoryLayer client, over one ky instance. It does only what the
 * runner needs, once per request: build the URL, serialize the body, send it
 * with ky (its own retries, timeout and hooks off: the runner owns them), and
 * read the answer. hey-api's own client runtime builds each `Request` twice
 * and costs more than ky itself, so it is not used. ky itself (thirty
 * modules) loads with the first request, not when the package is imported.
 *
 * @module
 */
import type { KyInstance } from "ky"
import * as Redacted from "effect/Redacted"
import type { ResolvedOptions } from "./options.ts"

/** How a success body is read: parsed JSON, text, a `Blob`, or the byte stream itself. */
export type ParseAs = "json" | "text" | "blob" | "stream"

/** What a generated request function passes to `client.<method>()`. */
export interface RequestDescriptor {
  /** The route template, e.g. `/v1/memories/{memory_id}`. */
  readonly url: string
  readonly path?: Readonly<Record<string, unknown>> | undefined
  readonly query?: Readonly<Record<string, unknown>> | undefined
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string | null | undefined>> | undefined
  readonly signal?: AbortSignal | undefined
  /** Present when the route takes the API key. */
  readonly security?: ReadonlyArray<unknown> | undefined
  readonly parseAs?: ParseAs | undefined
  readonly onUploadProgress?: ((progress: { readonly percent: number; readonly transferredBytes: number; readonly totalBytes: number }) => void) | undefined
}

/** What a request produced: an answer and its parsed body, or the failure to get one. */
export interface Exchange {
  /** The answer, or `undefined` when the request failed before one came. */
  readonly response?: Response | undefined
  /** The parsed body of a success. */
  readonly data?: unknown
  /** The transport failure, the body of an error answer, or the `SyntaxError` of a success body that is not JSON. */
  readonly error?: unknown
}

/** The client the generated request functions call. */
export interface HttpClient {
  readonly get: (request: RequestDescriptor) => Promise<Exchange>
  readonly post: (request: RequestDescriptor) => Promise<Exchange>
  readonly put: (request: RequestDescriptor) => Promise<Exchange>
  readonly patch: (request: RequestDescriptor) => Promise<Exchange>
  readonly delete: (request: RequestDescriptor) => Promise<Exchange>
}

/** `/v1/memories/{memory_id}` with `{ memory_id: "m 1" }` -> `/v1/memories/m%201`. */
export const expandPath = (template: string, values: Readonly<Record<string, unknown>> | undefined): string =>
  template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(values?.[name])))

/** `?a=1&tag=x&tag=y` from `{ a: 1, tag: ["x", "y"] }`; `undefined` and `null` are left out. */
export const queryString = (query: Readonly<Record<string, unknown>> | undefined): string => {
  if (query === undefined) return ""
  const parts: Array<string> = []
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    for (const item of Array.isArray(value) ? value : [value]) {
      const text = typeof item === "object" && item !== null ? JSON.stringify(item) : String(item)
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(text)}`)
    }
  }
  return parts.length === 0 ? "" : `?${parts.join("&")}`
}

/** The body of an error answer: its JSON, or its text when it is not JSON. */
const errorBody = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/**
 * Builds the request client for `options`. The API key stays redacted until
 * the moment a request's `Authorization` header is written.
 */
export const makeHttpClient = (options: ResolvedOptions): HttpClient => {
  const { apiKey, baseUrl } = options
  const hasDefaultQuery = Object.keys(options.defaultQuery).length > 0
  let api: KyInstance | undefined
  const load = async (): Promise<KyInstance> => {
    const { default: ky } = await import("ky")
    return (api ??= ky.create({
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch as typeof globalThis.fetch })
    }))
  }
  const send = async (method: string, request: RequestDescriptor): Promise<Exchange> => {
    const http = api ?? (await load())
    const headers: Record<string, string> = { accept: "application/json", ...options.defaultHeaders }
    for (const [name, value] of Object.entries(request.headers ?? {})) if (typeof value === "string") headers[name] = value
    if (apiKey !== undefined && request.security !== undefined) headers["authorization"] = `Bearer ${Redacted.value(apiKey)}`
    const hasBody = request.body !== undefined
    const form = request.body instanceof FormData
    // A form sets its own Content-Type (with the multipart boundary).
    if (!hasBody || form) delete headers["Content-Type"]
    const parseAs = request.parseAs ?? "json"
    if (parseAs !== "json") headers["accept"] = "*/*"
    let response: Response
    try {
      response = await http(`${baseUrl}${expandPath(request.url, request.path)}${queryString(hasDefaultQuery ? { ...options.defaultQuery, ...request.query } : request.query)}`, {
        method,
        headers,
        ...(hasBody ? { body: form ? (request.body as FormData) : JSON.stringify(request.body) } : {}),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
        ...(request.onUploadProgress === undefined ? {} : { onUploadProgress: request.onUploadProgress })
      })
    } catch (error) {
      return { error }
    }
    if (response.ok && parseAs !== "json") {
      try {
        return { response, data: parseAs === "stream" ? response.body : parseAs === "blob" ? await response.blob() : await response.text() }
      } catch (error) {
        return { error }
      }
    }
    let text: string
    try {
      text = await response.text()
    } catch (error) {
      // The connection dropped while the body was read: the request was sent.
      return { error }
    }
    if (!response.ok) return { response, error: text === "" ? {} : errorBody(text) }
    // An empty success body reads as {}, so a 200 that should have had one fails decoding by its fields.
    if (text === "") return { response, data: {} }
    try {
      return { response, data: JSON.parse(text) }
    } catch (error) {
      return { response, error }
    }
  }
  return {
    get: (request) => send("GET", request),
    post: (request) => send("POST", request),
    put: (request) => send("PUT", request),
    patch: (request) => send("PATCH", request),
    delete: (request) => send("DELETE", request)
  }
}
