/**
 * What the server commands print: lines, and one status line for slow steps
 * that rewrites itself on a terminal.
 */

/** Where progress goes. */
export interface Output {
  /** Prints a line. */
  readonly say: (line: string) => void
  /**
   * Shows how a slow step is getting on. On a terminal the line is rewritten
   * in place; elsewhere (a log, CI) it is printed at most every `quietMs`.
   */
  readonly status: (line: string) => void
}

/** What {@link consoleOutput} writes to; a subset of `process.stdout`. */
export interface OutputStream {
  readonly isTTY?: boolean
  readonly write: (text: string) => unknown
}

/**
 * Lines on `stream`, each starting with `prefix`. A `say` after a status line
 * on a terminal replaces that status line.
 *
 * @example
 * ```ts
 * const output = consoleOutput(process.stdout, "e2e: ")
 * output.status("installing: 12 s")
 * output.say("installed")
 * ```
 */
export const consoleOutput = (stream: OutputStream, prefix = "", quietMs = 10_000): Output => {
  const terminal = stream.isTTY === true
  let statusShown = false
  let lastStatusAt = Number.NEGATIVE_INFINITY
  return {
    say: (line) => {
      stream.write(`${statusShown ? "\r\x1b[2K" : ""}${prefix}${line}\n`)
      statusShown = false
    },
    status: (line) => {
      if (terminal) {
        stream.write(`\r\x1b[2K${prefix}${line}`)
        statusShown = true
      } else if (Date.now() - lastStatusAt >= quietMs) {
        stream.write(`${prefix}${line}\n`)
        lastStatusAt = Date.now()
      }
    }
  }
}
