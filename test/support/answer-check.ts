/**
 * Checks every answer a fetch function gives against openapi.yaml, through
 * what codegen made of it: a success must have the operation's success
 * status and a body the generated output checker accepts exactly (no field
 * missing, none extra); an error must have a status the operation declares
 * and a body of the contract's error schemas (`{"detail": ...}`, and for 422
 * FastAPI's list of issues).
 */
import * as Schema from "effect/Schema"
import type { OperationId } from "../../generated/operations.gen.ts"
import { operations } from "./tables.ts"
import { operationsMeta } from "../../generated/operations-meta.gen.ts"
import { ops } from "../../generated/ops/core.gen.ts"
import { ErrorResponse, HTTPValidationError } from "../../generated/schemas.gen.ts"
import { decodeOutput } from "../../src/schema-fallback.ts"

type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>

/** A fetch function whose answers are checked, and what the checks found. */
export interface AnswerCheck {
  readonly fetch: Fetch
  /** One line per answer that breaks the contract. */
  readonly violations: Array<string>
  /** The statuses each operation answered with. */
  readonly answered: Map<OperationId, Set<number>>
}

const routes = (Object.keys(operations) as Array<OperationId>).map((id) => ({
  id,
  method: operations[id].method as string,
  pattern: new RegExp(`^${operations[id].path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
  literal: operations[id].pathParams === undefined
}))

/** The contract operation of a request, literal routes first (`/v1/sessions/briefing` before `/v1/sessions/{id}`). */
export const operationOf = (method: string, url: string): OperationId | undefined => {
  const path = new URL(url).pathname
  const matching = routes.filter((route) => route.method === method && route.pattern.test(path))
  return (matching.find((route) => route.literal) ?? matching[0])?.id
}

const isErrorResponse = Schema.is(ErrorResponse)
const isValidationError = Schema.is(HTTPValidationError)

/** Why `answer` to operation `id` breaks the contract, or `undefined` when it does not. */
export const contractProblem = (id: OperationId, status: number, text: string, contentType: string | null): string | undefined => {
  const check = (ops as Readonly<Record<string, { readonly output: ((value: unknown, user: boolean) => boolean) | undefined }>>)[id]?.output
  if (status === operationsMeta[id].successStatus) {
    if (check === undefined) return text === "" ? undefined : `a ${status} must have no body, got ${text.slice(0, 200)}`
    if (contentType?.startsWith("application/json") !== true) return `content-type ${String(contentType)}`
    const body: unknown = JSON.parse(text)
    if (check(body, false)) return undefined
    const decoded = decodeOutput(id, body)
    return decoded.ok
      ? `the body has fields the contract does not declare: ${text.slice(0, 300)}`
      : decoded.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")
  }
  if (!(operationsMeta[id].errorStatuses as ReadonlyArray<number>).includes(status)) return `status ${status} is not declared (declared: ${operationsMeta[id].successStatus}, ${operationsMeta[id].errorStatuses.join(", ")})`
  const body: unknown = text === "" ? undefined : JSON.parse(text)
  if (status === 422) return isValidationError(body) ? undefined : `not an HTTPValidationError: ${text.slice(0, 300)}`
  return isErrorResponse(body) ? undefined : `not an ErrorResponse: ${text.slice(0, 300)}`
}

/** Wraps `inner` so that every answer to a contract operation is checked. */
export const checkAnswers = (inner: Fetch): AnswerCheck => {
  const violations: Array<string> = []
  const answered = new Map<OperationId, Set<number>>()
  const fetch: Fetch = async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init)
    const response = await inner(request)
    const id = operationOf(request.method, request.url)
    if (id !== undefined) {
      const statuses = answered.get(id) ?? new Set()
      statuses.add(response.status)
      answered.set(id, statuses)
      const problem = contractProblem(id, response.status, await response.clone().text(), response.headers.get("content-type"))
      if (problem !== undefined) violations.push(`${id} ${request.method} ${new URL(request.url).pathname} -> ${response.status}: ${problem}`)
    }
    return response
  }
  return { fetch, violations, answered }
}
