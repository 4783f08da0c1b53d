/**
 * The test double's error answers, request by request, as memorylayer-server
 * 0.2.0 gives them (status and `detail`), each checked against openapi.yaml:
 * a status the operation declares and a body of the contract's error
 * schemas. The requests are raw, as code that bypasses the SDK would send
 * them; through the SDK the client refuses the 422 cases before sending.
 */
import { beforeAll, describe, expect, it } from "vitest"
import { createTestServer } from "../../src/testing.ts"
import { checkAnswers, contractProblem } from "../support/answer-check.ts"

const server = createTestServer({ seed: 3 })
const check = checkAnswers(server.fetch)

/** Sends one raw request to the double and reads its answer. */
const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await check.fetch(`http://memorylayer.test${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
  })
  const text = await response.text()
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as { detail?: unknown }) }
}

let memoryId = ""
let otherWorkspaceMemory = ""
let sessionId = ""

beforeAll(async () => {
  memoryId = String(((await send("POST", "/v1/memories", { content: "A memory to fail around" })).body as { memory: { id: string } }).memory.id)
  otherWorkspaceMemory = String(((await send("POST", "/v1/memories", { content: "Elsewhere", workspace_id: "ws-other" })).body as { memory: { id: string } }).memory.id)
  sessionId = String(((await send("POST", "/v1/sessions", {})).body as { session: { id: string } }).session.id)
})

describe("errors the double answers as the server does", () => {
  // Details that name an id are functions: the ids exist only once beforeAll has run.
  const cases: ReadonlyArray<readonly [string, () => Promise<{ status: number; body: unknown }>, number, unknown]> = [
    ["remember with blank content: 400, the server's own check", () => send("POST", "/v1/memories", { content: "   " }), 400, "Cannot embed empty text"],
    ["remember with scope user and no user_id: 400", () => send("POST", "/v1/memories", { content: "x", scope: "user" }), 400,
      "scope=USER requires a user_id; refusing to write an unfilterable user-global memory"],
    ["remember with logical_key but no conditional headers: 400", () => send("POST", "/v1/memories", { content: "x", logical_key: "k", type: "semantic" }), 400,
      "logical_key requires Idempotency-Key and If-None-Match headers"],
    ["getMemory of an unknown id: 404", () => send("GET", "/v1/memories/mem_0000000000000000"), 404, "Memory not found: mem_0000000000000000"],
    ["getMemory in a workspace the memory is not in: 404", () => send("GET", `/v1/memories/${memoryId}?workspace_id=ws-other`), 404, () => `Memory not found: ${memoryId}`],
    ["updateMemory of an unknown id: 404", () => send("PUT", "/v1/memories/mem_nope", { importance: 0.2 }), 404, "Memory not found: mem_nope"],
    ["forget of an unknown id: 404", () => send("DELETE", "/v1/memories/mem_nope?hard=true"), 404, "Memory not found: mem_nope"],
    ["decay of a memory outside the request's workspace: 404", () => send("POST", `/v1/memories/${otherWorkspaceMemory}/decay`, {}), 404,
      () => `Memory not found: ${otherWorkspaceMemory}`],
    ["associate from an unknown memory: 400", () => send("POST", "/v1/memories/mem_nope/associate", { target_id: memoryId, relationship: "related_to" }), 400,
      "Source memory not found: mem_nope"],
    ["associate to an unknown memory: 400", () => send("POST", `/v1/memories/${memoryId}/associate`, { target_id: "mem_nope", relationship: "related_to" }), 400,
      "Target memory not found: mem_nope"],
    ["associate a memory with itself: 400", () => send("POST", `/v1/memories/${memoryId}/associate`, { target_id: memoryId, relationship: "related_to" }), 400,
      "Cannot create self-association"],
    ["createSession with an id in use: 500, as server 0.2.0", () => send("POST", "/v1/sessions", { session_id: sessionId }), 500, "Failed to create session"],
    ["getSession of an unknown id: 404", () => send("GET", "/v1/sessions/sess_nope"), 404, "Session not found or expired: sess_nope"],
    ["deleteSession of an unknown id: 404", () => send("DELETE", "/v1/sessions/sess_nope"), 404, "Session not found: sess_nope"],
    ["setContext in an unknown session: 404", () => send("POST", "/v1/sessions/sess_nope/memory", { key: "k", value: 1 }), 404, "Session not found: sess_nope"],
    ["getContext of an unknown session: 404", () => send("GET", "/v1/sessions/sess_nope/memory"), 404, "Session not found: sess_nope"],
    ["getContext of a key that is not set: 404", () => send("GET", `/v1/sessions/${sessionId}/memory?key=missing`), 404, "Working memory key not found: missing"],
    ["commitSession of an unknown session: 404", () => send("POST", "/v1/sessions/sess_nope/commit"), 404, "Session not found: sess_nope"],
    ["touchSession of an unknown session: 404", () => send("POST", "/v1/sessions/sess_nope/touch"), 404, "Session not found: sess_nope"],
    ["createWorkspace with a blank name: 400, the server's own check", () => send("POST", "/v1/workspaces", { name: "  " }), 400,
      "1 validation error for Workspace\nname\n  Value error, Workspace name cannot be empty [type=value_error, input_value='  ', input_type=str]"],
    ["createWorkspace with an id in use: 500, as server 0.2.0", () => send("POST", "/v1/workspaces", { name: "Again", id: "_default" }), 500, "Failed to create workspace"],
    ["getWorkspace of an unknown id: 404", () => send("GET", "/v1/workspaces/ws-none"), 404, "Workspace not found: ws-none"],
    ["updateWorkspace of an unknown id: 404", () => send("PUT", "/v1/workspaces/ws-none", { name: "x" }), 404, "Workspace not found: ws-none"],
    ["getWorkspaceSchema of an unknown id: 404", () => send("GET", "/v1/workspaces/ws-none/schema"), 404, "Workspace not found: ws-none"],
    ["a context route without X-Session-ID: 400", () => send("GET", "/v1/context/status"), 400, "X-Session-ID header is required"],
    ["a context route with an unknown session: 404", () => send("POST", "/v1/context/execute", { code: "1" }, { "x-session-id": "sess_nope" }), 404,
      "Session not found or expired: sess_nope"]
  ]

  it.each(cases)("%s", async (_, request, status, detail) => {
    const answer = await request()
    expect(answer).toEqual({ status, body: { detail: typeof detail === "function" ? detail() : detail } })
  })

  it("associate with a relationship name the ontology does not have: 400 listing the valid names", async () => {
    const answer = await send("POST", `/v1/memories/${memoryId}/associate`, { target_id: otherWorkspaceMemory, relationship: "SOLVED_BY" })
    expect(answer.status).toBe(400)
    expect(String(answer.body?.detail)).toMatch(/^Invalid relationship type: SOLVED_BY\. Valid types: about, addressed_by, .*works_with$/)
  })

  it("a blank batch create fails that step only, with the server's message", async () => {
    const answer = await send("POST", "/v1/memories/batch", { operations: [{ op: "create", content: " " }, { op: "create", content: "fine" }] })
    expect(answer.body).toMatchObject({ successful: 1, failed: 1, results: [{ status: "error", error: "Cannot embed empty text" }, { status: "success" }] })
  })
})

describe("requests that break the contract: 422 in FastAPI's form", () => {
  it.each([
    ["a value out of range", { content: "x", importance: 7 }, ["body", "importance"], "value_error"],
    ["an empty required string", { content: "" }, ["body", "content"], "value_error"],
    ["a field the contract does not have", { content: "x", colour: "red" }, ["body", "colour"], "value_error"],
    ["no body", undefined, ["body"], "missing"]
  ] as const)("remember with %s", async (_, body, loc, type) => {
    const answer = await send("POST", "/v1/memories", body)
    expect(answer.status).toBe(422)
    expect(answer.body?.detail).toContainEqual(expect.objectContaining({ loc, type }))
  })

  it("a body that is not JSON", async () => {
    const answer = await send("POST", "/v1/memories", "{not json")
    expect(answer).toEqual({ status: 422, body: { detail: [{ type: "json_invalid", loc: ["body"], msg: "JSON decode error", input: null }] } })
  })

  it("query parameters read as the server reads them: a bad boolean and a bad integer", async () => {
    expect((await send("GET", `/v1/memories/${memoryId}?include_deleted=maybe`)).body?.detail).toEqual([
      { type: "bool_parsing", loc: ["query", "include_deleted"], msg: "Input should be a valid boolean, unable to interpret input", input: "maybe" }
    ])
    expect((await send("POST", `/v1/sessions/${sessionId}/touch?extend_seconds=soon`)).body?.detail).toEqual([
      { type: "int_parsing", loc: ["query", "extend_seconds"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "soon" }
    ])
    expect((await send("GET", `/v1/memories/${memoryId}?include_deleted=yes`)).status).toBe(200)
  })

  it("a blank working-memory key, which the contract refuses (the server would store it and break the session)", async () => {
    const answer = await send("POST", `/v1/sessions/${sessionId}/memory`, { key: "  ", value: 1 })
    expect(answer.status).toBe(422)
  })
})

describe("routes outside the seed", () => {
  it("an unknown path is FastAPI's 404 and a known path with another method its 405", async () => {
    expect(await send("GET", "/v1/nothing-here")).toEqual({ status: 404, body: { detail: "Not Found" } })
    expect(await send("PATCH", "/v1/memories")).toEqual({ status: 405, body: { detail: "Method Not Allowed" } })
  })
})

describe("the contract check itself", () => {
  it("finds a missing field, an extra field, an undeclared status and a malformed error body", () => {
    const memory = server.memories()[0] as unknown as Record<string, unknown>
    const { content: _content, ...withoutContent } = memory
    expect(contractProblem("getMemory", 200, JSON.stringify({ memory }), "application/json")).toBeUndefined()
    expect(contractProblem("getMemory", 200, JSON.stringify({ memory: withoutContent }), "application/json")).toContain("content")
    expect(contractProblem("getMemory", 200, JSON.stringify({ memory: { ...memory, colour: "red" } }), "application/json")).toContain("does not declare")
    expect(contractProblem("getMemory", 400, JSON.stringify({ detail: "x" }), "application/json")).toContain("not declared")
    expect(contractProblem("getMemory", 404, JSON.stringify({ message: "x" }), "application/json")).toContain("not an ErrorResponse")
    expect(contractProblem("forget", 204, "{}", null)).toContain("no body")
  })

  it("found nothing wrong with any answer above", () => {
    expect(check.violations).toEqual([])
    const statuses = new Set([...check.answered.values()].flatMap((answered) => [...answered]))
    expect([...statuses]).toEqual(expect.arrayContaining([200, 201, 400, 404, 422, 500]))
  })
})
