/**
 * The violation counter reads the lines `prism proxy --errors` really writes
 * (captured from @stoplight/prism-cli 5.16), so a clean run means no
 * violations rather than unrecognised ones.
 */
import { describe, expect, it } from "vitest"
import { violationsIn } from "./prism-violations.ts"

const cleanExchange = [
  "[12:20:18 PM] › [HTTP SERVER] get /v1/memories/mem_nope ℹ  info      Request received",
  '[12:20:18 PM] ›     [PROXY] ℹ  info      > Forwarding "get" request to http://127.0.0.1:47123/v1/memories/mem_nope...',
  "[12:20:18 PM] ›     [PROXY] ℹ  info      The upstream call to /v1/memories/mem_nope has returned 404",
  "[12:20:18 PM] ›     [PROXY] ℹ  info      < Received forward response"
]

describe("reading violations from the Prism proxy log", () => {
  it("finds none in a request and answer that follow the contract", () => {
    expect(violationsIn(cleanExchange.join("\n"))).toEqual([])
  })

  it("finds a status code the contract does not declare, logged as a warning after the exchange", () => {
    const log = [
      "[12:20:23 PM] › [HTTP SERVER] post /v1/memories ℹ  info      Request received",
      "[12:20:23 PM] ›     [PROXY] ℹ  info      The upstream call to /v1/memories has returned 428",
      "[12:20:23 PM] ›     [VALIDATOR] ⚠  warning   Violation: response Unable to match the returned status code with those defined in the document: 201,400,401,403,422,429,500,503"
    ].join("\n")

    expect(violationsIn(log)).toEqual([
      {
        request: "POST /v1/memories",
        message:
          "Violation: response Unable to match the returned status code with those defined in the document: 201,400,401,403,422,429,500,503"
      }
    ])
  })

  it("finds the answers Prism gives in the server's place: bad request, bad response body, unknown route", () => {
    const log = [
      "[12:20:18 PM] › [HTTP SERVER] post /v1/memories ✖  error     Request terminated with error: https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY: Invalid request",
      "[12:20:53 PM] › [HTTP SERVER] post /v1/memories ✖  error     Request terminated with error: https://stoplight.io/prism/errors#VIOLATIONS: Request/Response not valid",
      "[12:20:18 PM] › [HTTP SERVER] get /nope ✖  error     Request terminated with error: https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR: Route not resolved, no path matched"
    ].join("\n")

    expect(violationsIn(log).map((violation) => `${violation.request} ${violation.message.split("#")[1]}`)).toEqual([
      "POST /v1/memories UNPROCESSABLE_ENTITY: Invalid request",
      "POST /v1/memories VIOLATIONS: Request/Response not valid",
      "GET /nope NO_PATH_MATCHED_ERROR: Route not resolved, no path matched"
    ])
  })

  it("finds a violation in coloured output too", () => {
    const coloured =
      "\u001b[90m[12:20:53 PM]\u001b[39m › \u001b[47m\u001b[30m[HTTP SERVER]\u001b[39m\u001b[49m \u001b[1m\u001b[37mpost /v1/memories\u001b[39m\u001b[22m " +
      "\u001b[31m✖  error\u001b[39m     Request terminated with error: https://stoplight.io/prism/errors#VIOLATIONS: Request/Response not valid"

    expect(violationsIn(coloured)).toEqual([
      {
        request: "POST /v1/memories",
        message: "Request terminated with error: https://stoplight.io/prism/errors#VIOLATIONS: Request/Response not valid"
      }
    ])
  })
})
