/**
 * Ctrl-C for the server commands: stop what they started, then exit.
 */
import { constants } from "node:os"

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const

/** The exit status a shell reports for a process ended by `signal`: 128 + its number (130 for SIGINT). */
const signalExitCode = (signal: NodeJS.Signals): number => 128 + constants.signals[signal]

/**
 * On the first SIGINT, SIGTERM or SIGHUP, runs `handle`, then exits with
 * {@link signalExitCode}. Later signals are ignored while `handle` runs: npm
 * forwards the Ctrl-C the terminal already sent, so one Ctrl-C arrives twice,
 * and `handle` is bounded anyway (a server that does not stop in time is
 * killed). Whatever `handle` leaves running, process-group's exit handler
 * kills.
 *
 * @returns A function that removes the handlers, for when the command ends on its own.
 */
export const onInterrupt = (handle: (signal: NodeJS.Signals) => Promise<void>): (() => void) => {
  let handling = false
  const listener = (signal: NodeJS.Signals): void => {
    if (handling) return
    handling = true
    handle(signal)
      .catch((error: unknown) => console.error(error instanceof Error ? error.message : error))
      .finally(() => process.exit(signalExitCode(signal)))
  }
  for (const signal of SIGNALS) process.on(signal, listener)
  return () => {
    for (const signal of SIGNALS) process.off(signal, listener)
  }
}
