/**
 * Where a client's log lines go and what they may hold. A client with
 * `logLevel: "off"` (the default) has no `Log` at all, so its calls do no
 * logging work. Lines go to the `logger` option when one is given (the
 * Promise client gives `console`), else to Effect's logger with the fields
 * as annotations, so an Effect program's logger configuration applies.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as References from "effect/References"
import type { Logger, LogFields, LogLevel } from "./log-level.ts"

/** A level lines are written at. */
export type LineLevel = Exclude<LogLevel, "off">

/** How verbose each level is: a line is written when its rank is at most the client's. */
export const RANK: Readonly<Record<LogLevel, number>> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 }

const EFFECT_LEVEL = { error: "Error", warn: "Warn", info: "Info", debug: "Debug" } as const

/** Most characters of a body a debug line holds. */
export const MAX_LOGGED_BODY = 16 * 1024

/** String fields whose values are secrets wherever they appear in a body (a new API token's `token`, ...). */
const SECRET_FIELD = /^(token|access_token|refresh_token|secret|client_secret|password|api_key|apikey|authorization)$/i

const REDACTED = "<redacted>"

/** A client's logging. */
export interface Log {
  /** The most verbose rank written (see {@link RANK}). */
  readonly rank: number
  /** Whether debug lines carry the bodies. */
  readonly bodies: boolean
  /** Writes one line. A logger that throws does not fail the call. */
  readonly write: (level: LineLevel, message: string, fields: LogFields) => Effect.Effect<void>
  /** A body as a debug line shows it: JSON, without the key or secret-named fields, at most {@link MAX_LOGGED_BODY} characters. */
  readonly body: (value: unknown) => string | undefined
}

/** `fields` without its `undefined` entries. */
const defined = (fields: LogFields): LogFields => {
  const out: Record<string, unknown> = {}
  for (const key in fields) if (fields[key] !== undefined) out[key] = fields[key]
  return out
}

/** What a body looks like in a line: JSON for data, a description for what cannot be shown. */
const bodyText = (value: unknown): string | undefined => {
  if (value === undefined) return undefined
  if (typeof value === "string") return value
  if (value instanceof FormData) return `<multipart form: ${[...value.keys()].join(", ")}>`
  if (value instanceof Blob) return `<${value.size} bytes>`
  if (value instanceof ReadableStream) return "<stream>"
  try {
    return JSON.stringify(value, (key, field: unknown) => (typeof field === "string" && SECRET_FIELD.test(key) ? REDACTED : field))
  } catch {
    return "<not JSON>"
  }
}

/**
 * The logging of a client, or `undefined` when `level` is `"off"`.
 *
 * @param secret - The API key, cut from every body a line shows.
 */
export const makeLog = (level: LogLevel, logger: Logger | undefined, bodies: boolean, secret: string | undefined): Log | undefined => {
  if (level === "off") return undefined
  const write = logger === undefined
    ? (line: LineLevel, message: string, fields: LogFields): Effect.Effect<void> =>
      Effect.logWithLevel(EFFECT_LEVEL[line])(message).pipe(
        Effect.annotateLogs(defined(fields)),
        // The client's logLevel chose this line; Effect's minimum level would hide debug lines by default.
        Effect.provideService(References.MinimumLogLevel, EFFECT_LEVEL[line])
      )
    : (line: LineLevel, message: string, fields: LogFields): Effect.Effect<void> =>
      Effect.sync(() => {
        try {
          logger[line](message, defined(fields))
        } catch {
          // Logging must never break a call.
        }
      })
  return {
    rank: RANK[level],
    bodies,
    write,
    body: (value) => {
      let text = bodyText(value)
      if (text === undefined) return undefined
      if (secret !== undefined && secret !== "" && text.includes(secret)) text = text.replaceAll(secret, REDACTED)
      return text.length > MAX_LOGGED_BODY ? `${text.slice(0, MAX_LOGGED_BODY)}... (${text.length - MAX_LOGGED_BODY} more characters)` : text
    }
  }
}
