/**
 * A local `node:http` server that misbehaves on cue, for retry and error
 * tests: it resets connections, stalls, answers any status with any headers,
 * sends invalid JSON or truncated bodies, and records every request it gets.
 *
 * @module
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http"
import type { Socket } from "node:net"
import { performance } from "node:perf_hooks"

/**
 * Destroy the connection with a TCP reset instead of answering.
 *
 * - `"immediately"`: as soon as the request line and headers arrive, without
 *   reading the body (the recorded `body` is `undefined`).
 * - `"after-body"`: after reading and recording the whole request, so the
 *   request provably reached the server. Use it to show that a write is not
 *   sent twice.
 */
export interface ResetReply {
  readonly reset: "immediately" | "after-body"
}

/** Read and record the request, then never answer; the connection stays open until the client gives up or the server closes. */
export interface StallReply {
  readonly stall: true
}

/**
 * Answer with a status, headers and a body.
 *
 * `json` is serialised; `body` is sent as is (e.g. `"not json"`). Either way
 * the content type is `application/json` unless `headers` says otherwise.
 * With `truncate`, `Content-Length` announces the whole body but only its
 * first half is sent before the connection is destroyed. With `repeat`, the
 * body is sent that many times in a row, chunked (no `Content-Length`);
 * `Infinity` keeps sending until the client goes away.
 */
export interface AnswerReply {
  /** HTTP status. Default 200. */
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  readonly json?: unknown
  readonly body?: string
  /** Wait this many milliseconds before answering. */
  readonly delayMs?: number
  readonly truncate?: boolean
  /** Send the body this many times, chunked; `Infinity`: until the client disconnects. */
  readonly repeat?: number
}

/** What the server does with one request. */
export type FaultReply = ResetReply | StallReply | AnswerReply

/** A request as the server received it. */
export interface RecordedRequest {
  /** 0 for the first request the server received, then 1, 2, ... */
  readonly index: number
  readonly method: string
  /** Path and query, e.g. `/v1/memories/mem_1?include_deleted=true`. */
  readonly url: string
  /** Headers with lower-case names, e.g. `headers["x-workspace-id"]`. */
  readonly headers: IncomingHttpHeaders
  /** The body parsed as JSON; the raw text when it is not JSON; `undefined` when empty or not read. */
  readonly body: unknown
  /** When the request line and headers arrived: milliseconds on `performance.now()`'s monotonic clock. */
  readonly receivedAt: number
}

/**
 * Decides the reply to each request from the recorded request (body already
 * read). Used instead of a script when replies depend on the request.
 */
export type FaultHandler = (request: RecordedRequest) => FaultReply | Promise<FaultReply>

/** A running fault server. */
export interface FaultServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`, without a trailing slash. */
  readonly url: string
  /** Every request received so far, in arrival order. */
  readonly requests: ReadonlyArray<RecordedRequest>
  /** Stops listening and destroys every open connection (stalled ones included). Safe to call twice. */
  close(): Promise<void>
}

/** Status answered once a script has no reply left for a request: not retryable, so it cannot cause more requests. */
export const SCRIPT_EXHAUSTED_STATUS = 501

const readBody = async (request: IncomingMessage): Promise<unknown> => {
  const chunks: Array<Buffer> = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString("utf8")
  if (text === "") return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

const scriptedReply = (
  script: ReadonlyArray<FaultReply>,
  request: Pick<RecordedRequest, "index" | "method" | "url">
): FaultReply =>
  script[request.index] ?? {
    status: SCRIPT_EXHAUSTED_STATUS,
    json: { detail: `fault server: no scripted reply for request #${request.index} (${request.method} ${request.url})` }
  }

/** Writes `bytes` `times` times as chunks, waiting for the socket to drain; stops when the client goes away. */
const writeRepeated = (response: ServerResponse, bytes: Buffer, times: number): void => {
  let sent = 0
  const more = (): void => {
    while (sent < times && !response.destroyed) {
      sent++
      if (!response.write(bytes)) {
        response.once("drain", more)
        return
      }
    }
    if (!response.destroyed) response.end()
  }
  more()
}

const answer = (response: ServerResponse, reply: AnswerReply): void => {
  const text = reply.body ?? (reply.json === undefined ? "" : JSON.stringify(reply.json))
  const bytes = Buffer.from(text, "utf8")
  if (reply.repeat !== undefined) {
    response.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers })
    writeRepeated(response, bytes, reply.repeat)
    return
  }
  const headers: Record<string, string> = { "content-type": "application/json", ...reply.headers, "content-length": String(bytes.length) }
  if (reply.truncate === true) {
    // Announce the whole body, send half, then cut the connection.
    response.writeHead(reply.status ?? 200, headers)
    response.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => response.socket?.destroy())
    return
  }
  response.writeHead(reply.status ?? 200, headers)
  response.end(bytes)
}

/**
 * Starts a fault server on a free loopback port. With an array, the n-th
 * request gets the n-th reply (in arrival order); a request beyond the script
 * gets a 501 saying so. With a function, every request gets what it returns.
 *
 * @example
 * ```ts
 * const server = await startFaultServer([
 *   { status: 429, headers: { "retry-after": "0" }, json: { detail: "Rate limit exceeded" } },
 *   { reset: "after-body" },
 *   { stall: true },
 *   { status: 200, body: "not json" },
 *   { truncate: true, json: { memory: { id: "mem_1" } } },
 *   { status: 201, json: { memory: { id: "mem_1" }, replayed: false }, delayMs: 50 }
 * ])
 * try {
 *   // ... point a client at server.url ...
 *   expect(server.requests).toHaveLength(6)
 *   expect(server.requests[0]?.headers["x-workspace-id"]).toBe("ws_1")
 * } finally {
 *   await server.close()
 * }
 * ```
 */
export const startFaultServer = async (script: ReadonlyArray<FaultReply> | FaultHandler): Promise<FaultServer> => {
  const requests: Array<RecordedRequest> = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()

  const handler: FaultHandler = typeof script === "function" ? script : (request) => scriptedReply(script, request)

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const index = requests.length
    const receivedAt = performance.now()
    const head = { index, method: request.method ?? "", url: request.url ?? "", headers: request.headers, receivedAt }
    // A script's reply is known before the body is read, so it can reset before reading it.
    const scripted = typeof script === "function" ? undefined : scriptedReply(script, head)
    if (scripted !== undefined && "reset" in scripted && scripted.reset === "immediately") {
      requests.push({ ...head, body: undefined })
      request.socket.resetAndDestroy()
      return
    }
    // Keep arrival order even while bodies are still being read.
    const record: { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] } = { ...head, body: undefined }
    requests.push(record)
    record.body = await readBody(request)
    const reply = scripted ?? (await handler(record))
    if ("reset" in reply) {
      request.socket.resetAndDestroy()
    } else if ("stall" in reply) {
      // Never answer; close() or the client ends it.
    } else if (reply.delayMs !== undefined && reply.delayMs > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer)
        answer(response, reply)
      }, reply.delayMs)
      timers.add(timer)
    } else {
      answer(response, reply)
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (request.socket.destroyed) return
      if (!response.headersSent) answer(response, { status: 500, json: { detail: `fault server: ${String(error)}` } })
      else response.destroy()
    })
  })
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.once("close", () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      server.removeListener("error", reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("fault server: no TCP address")

  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      server.close(() => resolve())
      for (const socket of sockets) socket.destroy()
    })
    return closing
  }

  return { url: `http://127.0.0.1:${address.port}`, requests, close }
}
