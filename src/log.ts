/**
 * Where a client's log lines go. A client with `logLevel: "off"` (the
 * default) has no `Log` at all, so its calls do no logging work. Lines go to
 * the `logger` option when one is given (the Promise client gives
 * `console`), else to Effect's logger (effect-log.ts). What a line says is
 * decided in observe.ts.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import { effectLogging, type Logger, type LogFields, type LogLevel, type LogWriter } from "./log-level.ts"

/** How verbose each level is: a line is written when its rank is at most the client's. */
const RANK: Readonly<Record<LogLevel, number>> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 }

/** A client's logging. */
export interface Log {
  /** The most verbose level written, as a rank: 1 error, 2 warn, 3 info, 4 debug. */
  readonly rank: number
  /** Whether debug lines carry the bodies. */
  readonly bodies: boolean
  /** Writes one line. A logger that throws does not fail the call. */
  readonly write: LogWriter
  /** `text` with every occurrence of the API key replaced. */
  readonly withoutKey: (text: string) => string
}

/** `fields` without its `undefined` entries. */
const defined = (fields: LogFields): LogFields => {
  const out: Record<string, unknown> = {}
  for (const key in fields) if (fields[key] !== undefined) out[key] = fields[key]
  return out
}

/**
 * The logging of a client, or `undefined` when `level` is `"off"`.
 *
 * @param secret - The API key, cut from every body a line shows.
 */
export const makeLog = (level: LogLevel, logger: Logger | undefined, bodies: boolean, secret: string | undefined): Log | undefined => {
  if (level === "off") return undefined
  // Without a logger, Effect's (installed by the Effect entry points; console where none was imported).
  const viaEffect = logger === undefined ? effectLogging.write : undefined
  const to: Logger = logger ?? console
  const write: LogWriter = viaEffect !== undefined
    ? (line, message, fields) => viaEffect(line, message, defined(fields))
    : (line, message, fields) =>
      Effect.sync(() => {
        try {
          to[line](message, defined(fields))
        } catch {
          // Logging must never break a call.
        }
      })
  return {
    rank: RANK[level],
    bodies,
    write,
    withoutKey: (text) => (secret === undefined || secret === "" ? text : text.replaceAll(secret, "<redacted>"))
  }
}
