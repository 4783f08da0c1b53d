/**
 * Log lines through Effect's logger, the Effect face's default: the fields
 * as annotations, so an Effect program's logger configuration applies.
 * Importing this module installs it (the Effect entry points do); an app
 * that uses only the Promise client never loads it.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as References from "effect/References"
import { effectLogging } from "./log-level.ts"

const EFFECT_LEVEL = { error: "Error", warn: "Warn", info: "Info", debug: "Debug" } as const

effectLogging.write = (level, message, fields) =>
  Effect.logWithLevel(EFFECT_LEVEL[level])(message).pipe(
    Effect.annotateLogs(fields),
    // The client's logLevel chose this line; Effect's minimum level (Info by default) would hide debug lines.
    Effect.provideService(References.MinimumLogLevel, EFFECT_LEVEL[level])
  )
