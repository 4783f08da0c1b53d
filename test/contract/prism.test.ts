/**
 * What the Prism mock does with our contract. The SDK's contract tests rely on
 * each of these behaviours; if a Prism upgrade or a contract change breaks
 * one, these tests say which.
 */
import * as Schema from "effect/Schema"
import { describe, expect, inject, it } from "vitest"
import { operationSchemas } from "../../generated/schemas.gen.ts"
import { contractExamples } from "../support/contract.ts"

const prismUrl = inject("prismUrl")

/** The contract's example at `where`, e.g. `components.schemas.Memory.example`. */
const example = (where: string): unknown => {
  const found = contractExamples.find((e) => e.where === where)
  if (found === undefined) throw new Error(`openapi.yaml has no example at ${where}`)
  return found.value
}
const responseExample = (name: string): unknown => example(`components.responses.${name}.content.application/json.example`)

const call = (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> =>
  fetch(`${prismUrl}${path}`, {
    method,
    headers: { ...(options.body === undefined ? {} : { "content-type": "application/json" }), ...options.headers },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) })
  })

interface Violation {
  readonly location: ReadonlyArray<string>
  readonly code: string
  readonly message: string
}

/** Prism lists what was wrong with a request in the `sl-violations` header. */
const violationsOf = (response: Response): ReadonlyArray<Violation> =>
  JSON.parse(response.headers.get("sl-violations") ?? "[]") as ReadonlyArray<Violation>

describe("Prism mock of openapi.yaml", () => {
  it("answers a valid remember with 201 and a body built from the contract's Memory example", async () => {
    const response = await call("POST", "/v1/memories", { body: { content: "x" } })
    expect(response.status).toBe(201)
    const body: unknown = await response.json()
    expect(body).toEqual({ memory: example("components.schemas.Memory.example"), replayed: false })
    expect(Schema.decodeUnknownExit(operationSchemas.remember.output, { onExcessProperty: "error" })(body)._tag).toBe("Success")
  })

  it("answers the declared status asked for with Prefer: code=404, with the NotFound example", async () => {
    const response = await call("GET", "/v1/memories/mem_1", { headers: { prefer: "code=404" } })
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual(responseExample("NotFound"))
  })

  it("answers Prefer: code=429 with the TooManyRequests example body and a Retry-After header", async () => {
    const response = await call("POST", "/v1/memories/recall", { body: { query: "x" }, headers: { prefer: "code=429" } })
    expect(response.status).toBe(429)
    expect(response.headers.has("retry-after")).toBe(true)
    expect(await response.json()).toEqual(responseExample("TooManyRequests"))
  })

  it("refuses a Prefer: code the operation does not declare with a 404 problem document", async () => {
    const response = await call("GET", "/v1/memories/mem_1", { headers: { prefer: "code=418" } })
    expect(response.status).toBe(404)
    expect(response.headers.get("content-type")).toBe("application/problem+json")
  })

  it("rejects a body that breaks the contract (importance 7) with 422 and names the field in sl-violations", async () => {
    const response = await call("POST", "/v1/memories", { body: { content: "x", importance: 7 } })
    expect(response.status).toBe(422)
    expect(violationsOf(response)).toContainEqual(
      expect.objectContaining({ location: ["request", "body", "importance"], code: "maximum" })
    )
    // The body is the contract's 422 example, whatever the request got wrong.
    expect(await response.json()).toEqual(responseExample("UnprocessableEntity"))
  })

  it("rejects an unknown body field with 422, because request bodies are closed", async () => {
    const response = await call("POST", "/v1/memories", { body: { content: "x", colour: "blue" } })
    expect(response.status).toBe(422)
    expect(violationsOf(response)).toContainEqual(expect.objectContaining({ location: ["request", "body"], code: "additionalProperties" }))
  })

  it("rejects a blank content with 422, because the contract's pattern is enforced", async () => {
    const response = await call("POST", "/v1/memories", { body: { content: "   " } })
    expect(response.status).toBe(422)
    expect(violationsOf(response)).toContainEqual(expect.objectContaining({ location: ["request", "body", "content"], code: "pattern" }))
  })

  it("rejects a context call without the required X-Session-ID header with 422, and accepts it with one", async () => {
    const missing = await call("GET", "/v1/context/status")
    expect(missing.status).toBe(422)
    expect(violationsOf(missing)).toContainEqual(expect.objectContaining({ location: ["request", "header"], code: "required" }))
    const present = await call("GET", "/v1/context/status", { headers: { "x-session-id": "sess_1" } })
    expect(present.status).toBe(200)
  })

  it("answers forget with 204 and an empty body", async () => {
    const response = await call("DELETE", "/v1/memories/mem_1")
    expect(response.status).toBe(204)
    expect(await response.text()).toBe("")
  })
})
