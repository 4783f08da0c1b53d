/**
 * The logging options' types: the levels, and the logger a client writes
 * its lines to. What is logged, and how, is in log.ts.
 *
 * @module
 */

/** The levels of `logLevel`, from quiet to verbose. */
export const LOG_LEVELS = ["off", "error", "warn", "info", "debug"] as const

/**
 * How much the client logs: `"off"` nothing, `"error"` calls that failed,
 * `"warn"` also retries, `"info"` also calls that succeeded, `"debug"` also
 * every attempt.
 */
export type LogLevel = (typeof LOG_LEVELS)[number]

/**
 * The fields of a log line: `operation`, `method`, `pathTemplate`, `path`,
 * `status`, `attempt`, `durationMs`, `requestId`, and for some lines
 * `waitMs`, `error`, `attempts`, `requestBody`, `responseBody`.
 */
export type LogFields = Readonly<Record<string, unknown>>

/**
 * Where log lines go. `console` is one; so is any logger with these four
 * methods taking a message and then an object of fields (winston's, or
 * pino's with the arguments swapped).
 *
 * @example
 * ```ts
 * import pino from "pino"
 * const log = pino()
 * const logger: Logger = {
 *   debug: (message, fields) => log.debug(fields, message),
 *   info: (message, fields) => log.info(fields, message),
 *   warn: (message, fields) => log.warn(fields, message),
 *   error: (message, fields) => log.error(fields, message)
 * }
 * ```
 */
export interface Logger {
  /** Writes a `"debug"` line: one per attempt (and its answer). */
  debug(message: string, fields: LogFields): void
  /** Writes an `"info"` line: one per call that succeeded. */
  info(message: string, fields: LogFields): void
  /** Writes a `"warn"` line: one per retry, with its reason and wait. */
  warn(message: string, fields: LogFields): void
  /** Writes an `"error"` line: one per call that failed, bad input refused before sending included. */
  error(message: string, fields: LogFields): void
}

/** Writes one line: the level, the message, the fields. */
export type LogWriter = (level: Exclude<LogLevel, "off">, message: string, fields: LogFields) => import("effect/Effect").Effect<void>

/**
 * How lines reach Effect's logger, when a client has no `logger`. Set by the
 * Effect entry points (`memorylayer-client/effect` and `/testing`, through
 * effect-log.ts), so that an app using only the Promise client, whose lines
 * go to its `logger` or `console`, never bundles Effect's logging.
 */
export const effectLogging: { write: LogWriter | undefined } = { write: undefined }
