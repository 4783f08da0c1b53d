/**
 * Reads contract violations out of the log of `prism proxy --errors`.
 *
 * Prism reports a broken contract in one of two log lines:
 * - `[HTTP SERVER] post /v1/memories ✖ error Request terminated with error: <type>: <title>`
 *   when it answered in the server's place: a request that breaks the
 *   contract (422 UNPROCESSABLE_ENTITY, never forwarded), a response body
 *   that breaks it (500 VIOLATIONS, because of --errors), a route that is not
 *   in the contract (404 NO_PATH_MATCHED_ERROR), or an upstream failure;
 * - `[VALIDATOR] ⚠ warning Violation: <where> <message>` for a violation that
 *   did not stop the answer, such as a status code the contract does not
 *   declare for the operation.
 */

/** One violation, with the request it most likely belongs to. */
export interface Violation {
  /** `METHOD /path` of the request received last before the violation was logged. */
  readonly request: string
  readonly message: string
}

const ANSI_ESCAPE = /\u001b\[[0-9;]*[A-Za-z]/g
const REQUEST = /\[HTTP SERVER\] (\w+) (\S+)/
const VIOLATION = /(Violation: .*|Request terminated with error: .*)$/

/** Every violation in a Prism log (or a slice of one), in order. */
export const violationsIn = (log: string): ReadonlyArray<Violation> => {
  const violations: Array<Violation> = []
  let request = "(no request yet)"
  for (const raw of log.split("\n")) {
    const line = raw.replace(ANSI_ESCAPE, "").trimEnd()
    const received = REQUEST.exec(line)
    if (received !== null) request = `${(received[1] ?? "").toUpperCase()} ${received[2] ?? ""}`
    const violation = VIOLATION.exec(line)
    if (violation?.[1] !== undefined) violations.push({ request, message: violation[1] })
  }
  return violations
}
