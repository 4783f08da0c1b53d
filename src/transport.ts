/**
 * The HTTP layer: the runner describes each request (the operation's method
 * and route template from its generated row, and the call's path, query,
 * body and headers), and this module, one per MemoryLayer client over one ky
 * instance, does only what that needs, once per request: build the URL,
 * serialize the body, send it with ky (its own retries, timeout and hooks
 * off: the runner owns them), and read the answer. Per-operation request
 * functions (hey-api's sdk) would add 6 KB min+gzip to every call's bundle to
 * say what the row already says, and hey-api's client runtime builds each
 * `Request` twice, so neither is used. ky itself (thirty modules) loads with
 * the first request, not when the package is imported.
 *
 * It also decides what of an answer the client takes: redirects are followed
 * here, same origin only and at most {@link MAX_REDIRECTS} per attempt; a
 * body is read only up to `maxResponseBytes` (an error answer's only up to
 * 64 KiB); and a failure it returns is a scrubbed copy, never the request.
 *
 * @module
 */
import type { KyInstance } from "ky"
import * as Redacted from "effect/Redacted"
import type { ResolvedOptions } from "./options.ts"
import { readBlobWithin, readPrefix, readWithin } from "./response-body.ts"
import { scrubbed } from "./scrub.ts"

/** How a success body is read: parsed JSON, text, a `Blob`, or the byte stream itself. */
export type ParseAs = "json" | "text" | "blob" | "stream"

/** One request as the runner asks for it: the operation's route and the call's values. */
export interface RequestDescriptor {
  /** The route template, e.g. `/v1/memories/{memory_id}`. */
  readonly url: string
  readonly path?: Readonly<Record<string, unknown>> | undefined
  readonly query?: Readonly<Record<string, unknown>> | undefined
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string | null | undefined>> | undefined
  readonly signal?: AbortSignal | undefined
  readonly parseAs?: ParseAs | undefined
  readonly onUploadProgress?: ((progress: { readonly percent: number; readonly transferredBytes: number; readonly totalBytes: number }) => void) | undefined
  /** This call's cap on the answer's size, when it overrides the client's. */
  readonly maxResponseBytes?: number | undefined
}

/** What a request produced: an answer and its parsed body, or the failure to get one. */
export interface Exchange {
  /** The answer, or `undefined` when the request failed before one came. */
  readonly response?: Response | undefined
  /** The parsed body of a success. */
  readonly data?: unknown
  /**
   * The transport failure (a scrubbed copy), the body of an error answer, the
   * `SyntaxError` of a success body that is not JSON, or a {@link RefusedAnswer}.
   */
  readonly error?: unknown
}

/** The HTTP client of one MemoryLayer client. */
export interface HttpClient {
  /** Sends one request (`method` upper-case) and reads its answer; never rejects. */
  readonly send: (method: string, request: RequestDescriptor) => Promise<Exchange>
  /** An answer's headers as errors keep them: credentials redacted (see {@link answerHeaders}). */
  readonly answerHeaders: (headers: Headers) => Readonly<Record<string, string>>
}

/** Header names that carry credentials, which a proxy may echo in an answer. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|(^|-)(token|secret|password|api-key|credentials?)$/i

/**
 * `headers` as a plain object with lower-case names, where every header
 * named like a credential, and every value that holds `secret`, reads
 * `<redacted>`.
 *
 * @example
 * ```ts
 * answerHeaders(new Headers({ "x-request-id": "r1", "set-cookie": "sid=1" }), "sk-1")
 * // { "set-cookie": "<redacted>", "x-request-id": "r1" }
 * ```
 */
export const answerHeaders = (headers: Headers, secret: string | undefined): Readonly<Record<string, string>> => {
  const out: Record<string, string> = {}
  for (const [name, value] of headers) {
    out[name] = CREDENTIAL_HEADER.test(name) || (secret !== undefined && secret !== "" && value.includes(secret)) ? "<redacted>" : value
  }
  return out
}

/** `/v1/memories/{memory_id}` with `{ memory_id: "m 1" }` -> `/v1/memories/m%201`. */
export const expandPath = (template: string, values: Readonly<Record<string, unknown>> | undefined): string =>
  !template.includes("{") ? template : template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(values?.[name])))

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

/** How much of an error answer is read: enough for any `detail`, never a whole runaway page. */
const ERROR_BODY_BYTES = 64 * 1024

/** Most redirects one attempt follows; one more fails the attempt. */
export const MAX_REDIRECTS = 5

/**
 * An answer the client will not take: larger than `maxResponseBytes`, or a
 * redirect it does not follow. The runner turns it into a `DecodeError`.
 */
export class RefusedAnswer {
  /** Why, in words, e.g. `the answer is larger than maxResponseBytes (1024 bytes)`. */
  readonly reason: string
  constructor(reason: string) {
    this.reason = reason
  }
}

const tooLarge = (limit: number): RefusedAnswer => new RefusedAnswer(`the answer is larger than maxResponseBytes (${limit} bytes)`)

/**
 * Where a redirect may be followed to, or why it is not followed. Only to
 * the same origin (the key goes nowhere else, and neither does the body), at
 * most {@link MAX_REDIRECTS} times per attempt, and never by turning a write
 * into a GET as browsers do with 301, 302 and 303.
 */
const redirectTarget = (response: Response, from: string, method: string, followed: number): string | RefusedAnswer => {
  const { status } = response
  if (response.type === "opaqueredirect") {
    return new RefusedAnswer("the server redirected the request and this runtime hides where to (an opaque redirect); set baseUrl to the address it redirects to")
  }
  const location = response.headers.get("location")
  if (location === null || !URL.canParse(location, from)) return new RefusedAnswer(`the server answered ${status} without a Location to follow`)
  const target = new URL(location, from)
  if (target.origin !== new URL(from).origin) return new RefusedAnswer(`the server redirected (${status}) to another origin, ${target.origin}; not followed`)
  if (followed >= MAX_REDIRECTS) return new RefusedAnswer(`the server redirected more than ${MAX_REDIRECTS} times; not followed`)
  if (method !== "GET" && (status === 303 || (method === "POST" && (status === 301 || status === 302)))) {
    return new RefusedAnswer(`the server redirected (${status}) a ${method} request to a GET; not followed`)
  }
  return target.href
}

/**
 * The option that carries what the global `fetch` is given besides ky's
 * `Request`: the call's signal and the body as the client serialized it.
 * ky passes options it does not know to `fetch` as they are.
 *
 * - The signal: a `signal` given to ky, ky links with a controller of its own
 *   through `AbortSignal.any` on every request, a cost per call that buys
 *   nothing here, since ky's own timeout and retries are off.
 * - The body: given a `Request`, Node's `fetch` copies it into a new one and
 *   pipes its body through an identity `TransformStream`, about a tenth of a
 *   call's time. Given the URL and an init, it sends the body as it is.
 */
const SENT = "memorylayerSent"

/** What {@link SENT} holds. */
interface Sent {
  readonly body: string | Blob | undefined
  readonly signal: AbortSignal | undefined
}

/**
 * The global `fetch` (looked up per request, as ky does), sending ky's
 * `Request` as its URL, method, headers and redirect mode, with the body and
 * signal of {@link SENT}: the same request, without the copy.
 */
const fetchAsSent = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const { [SENT]: sent, ...rest } = (init ?? {}) as RequestInit & { readonly [SENT]?: Sent }
  if (sent === undefined || !(input instanceof Request)) return globalThis.fetch(input, rest)
  return globalThis.fetch(input.url, {
    method: input.method,
    headers: input.headers,
    redirect: input.redirect,
    ...(sent.body === undefined ? {} : { body: sent.body }),
    ...(sent.signal === undefined ? {} : { signal: sent.signal })
  })
}

/**
 * Builds the request client for `options`. The API key stays redacted until
 * the moment a request's `Authorization` header is written, and no failure it
 * returns holds the request.
 */
export const makeHttpClient = (options: ResolvedOptions): HttpClient => {
  const { apiKey, baseUrl, maxResponseBytes } = options
  const hasDefaultQuery = Object.keys(options.defaultQuery).length > 0
  let api: KyInstance | undefined
  const load = async (): Promise<KyInstance> => {
    const { default: ky } = await import("ky")
    return (api ??= ky.create({
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
      // Redirects are followed here, same origin only, and counted in the attempt.
      redirect: "manual",
      fetch: options.fetch === undefined ? fetchAsSent : options.fetch as typeof globalThis.fetch
    }))
  }
  /** A transport failure without the request it may hold; the key is cut from its messages too. */
  const failure = (error: unknown): Exchange => ({ error: scrubbed(error, apiKey === undefined ? undefined : Redacted.value(apiKey)) })
  const send = async (method: string, request: RequestDescriptor): Promise<Exchange> => {
    const http = api ?? (await load())
    const headers: Record<string, string> = { accept: "application/json", ...options.defaultHeaders }
    for (const [name, value] of Object.entries(request.headers ?? {})) if (typeof value === "string") headers[name] = value
    // Every route of the contract takes the key (its security is global; codegen refuses a route of its own).
    if (apiKey !== undefined) headers["authorization"] = `Bearer ${Redacted.value(apiKey)}`
    const hasBody = request.body !== undefined
    let body: string | Blob | undefined
    if (request.body instanceof FormData) {
      // The form is encoded once, here, into bytes with their multipart Content-Type. Sent as FormData, its body
      // is produced by a stream that a fetch not reading it (an in-process handler) leaves erroring after the call.
      const encoded = new Response(request.body)
      body = await encoded.blob()
      headers["Content-Type"] = encoded.headers.get("content-type") ?? "multipart/form-data"
    } else if (hasBody) {
      body = JSON.stringify(request.body)
      headers["Content-Type"] = "application/json"
    } else {
      delete headers["Content-Type"]
    }
    const parseAs = request.parseAs ?? "json"
    if (parseAs !== "json") headers["accept"] = "*/*"
    const init = {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      // To the global fetch the body and signal go straight (see fetchAsSent), unless ky must stream the body to
      // report upload progress; to a fetch of the caller's, on the Request.
      ...(options.fetch !== undefined || request.onUploadProgress !== undefined
        ? request.signal === undefined ? {} : { signal: request.signal }
        : { [SENT]: { body, signal: request.signal } satisfies Sent }),
      ...(request.onUploadProgress === undefined ? {} : { onUploadProgress: request.onUploadProgress })
    }
    let url = `${baseUrl}${expandPath(request.url, request.path)}${queryString(hasDefaultQuery ? { ...options.defaultQuery, ...request.query } : request.query)}`
    let response: Response
    for (let followed = 0; ; followed++) {
      try {
        response = await http(url, init)
      } catch (error) {
        return failure(error)
      }
      const { status } = response
      if ((status >= 200 && status < 300) || status >= 400) break
      const next = redirectTarget(response, url, method, followed)
      await response.body?.cancel().catch(() => undefined)
      if (next instanceof RefusedAnswer) return { response, error: next }
      url = next
    }
    const limit = request.maxResponseBytes ?? maxResponseBytes
    if (!response.ok) {
      let text: string
      try {
        text = await readPrefix(response, Math.min(limit, ERROR_BODY_BYTES))
      } catch (error) {
        return failure(error)
      }
      return { response, error: text === "" ? {} : errorBody(text) }
    }
    // A streamed answer is the caller's to read as it comes: no cap.
    if (parseAs === "stream") return { response, data: response.body }
    if (parseAs === "blob") {
      let blob: Blob | undefined
      try {
        blob = await readBlobWithin(response, limit)
      } catch (error) {
        return failure(error)
      }
      return blob === undefined ? { response, error: tooLarge(limit) } : { response, data: blob }
    }
    let text: string | undefined
    try {
      text = await readWithin(response, limit)
    } catch (error) {
      // The connection dropped while the body was read: the request was sent.
      return failure(error)
    }
    if (text === undefined) return { response, error: tooLarge(limit) }
    if (parseAs === "text") return { response, data: text }
    // An empty success body reads as {}, so a 200 that should have had one fails decoding by its fields.
    if (text === "") return { response, data: {} }
    try {
      return { response, data: JSON.parse(text) }
    } catch (error) {
      return { response, error }
    }
  }
  return {
    send,
    answerHeaders: (headers) => answerHeaders(headers, apiKey === undefined ? undefined : Redacted.value(apiKey))
  }
}
