import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import {
  AssociateInput,
  BatchMemoriesInput,
  ContextExecInput,
  ContextStatusInput,
  CreateSessionInput,
  CreateWorkspaceInput,
  ErrorResponse,
  GetMemoryInput,
  Memory,
  MemoryCreateRequest,
  RecallInput,
  RememberInput,
  SetContextInput,
  UpdateMemoryInput
} from "../../generated/schemas.gen.ts"
import { componentSchemaNames, contractExamples } from "../support/contract.ts"
import { generatedSchema, issuesOf, strict } from "../support/schema-issues.ts"

describe("generated schemas and the contract's components", () => {
  it("every component schema of openapi.yaml is exported under its own name", () => {
    expect(componentSchemaNames.length).toBeGreaterThan(0)
    expect(componentSchemaNames.filter((name) => generatedSchema(name) === undefined)).toEqual([])
  })

  it("the contract carries examples of the payloads the SDK decodes most", () => {
    expect(contractExamples.map((e) => e.schema)).toEqual(
      expect.arrayContaining(["Memory", "RecallResult", "ReflectResult", "Session", "Workspace", "ErrorResponse", "HTTPValidationError"])
    )
  })

  it.each(contractExamples)("$where decodes with $schema, unchanged, under strict options", ({ schema: name, value }) => {
    expect(name, "the example's schema must be a named component").toBeDefined()
    const schema = generatedSchema(name ?? "")
    expect(schema, `schemas.gen.ts must export ${String(name)}`).toBeDefined()
    if (schema === undefined) return
    expect(issuesOf(schema, value)).toEqual([])
    expect(Schema.decodeUnknownSync(schema, strict)(value)).toEqual(value)
  })
})

describe("input schemas refuse what the contract forbids", () => {
  it("accepts the smallest valid remember input, and null where the contract allows it", () => {
    expect(issuesOf(RememberInput, { body: { content: "x" } })).toEqual([])
    expect(issuesOf(RememberInput, { body: { content: "x", type: null, subtype: null, importance: 0 } })).toEqual([])
  })

  it("refuses importance 1.5 in a remember body, naming body.importance", () => {
    expect(issuesOf(RememberInput, { body: { content: "x", importance: 1.5 } })).toEqual([
      { path: "body.importance", message: "Expected a value less than or equal to 1" }
    ])
    expect(issuesOf(MemoryCreateRequest, { content: "x", importance: -0.1 })).toEqual([
      { path: "importance", message: "Expected a value greater than or equal to 0" }
    ])
  })

  it("refuses a non-finite importance", () => {
    expect(issuesOf(MemoryCreateRequest, { content: "x", importance: Number.NaN })).toContainEqual({
      path: "importance",
      message: "Expected a finite number"
    })
  })

  it("refuses an unknown memory type, naming body.type", () => {
    expect(issuesOf(RememberInput, { body: { content: "x", type: "dream" } })).toEqual([
      { path: "body.type", message: "Expected MemoryType" }
    ])
  })

  it("refuses a remember body without content", () => {
    expect(issuesOf(RememberInput, { body: { importance: 0.5 } })).toEqual([{ path: "body.content", message: "Missing key" }])
    expect(issuesOf(RememberInput, {})).toEqual([{ path: "body", message: "Missing key" }])
  })

  it("refuses an unknown extra field, in the body and at the top of the input", () => {
    expect(issuesOf(RememberInput, { body: { content: "x", colour: "blue" } })).toEqual([
      { path: "body.colour", message: "Expected no excess property" }
    ])
    // remember has no query parameters.
    expect(issuesOf(RememberInput, { body: { content: "x" }, query: {} })).toEqual([
      { path: "query", message: "Expected no excess property" }
    ])
  })

  it("refuses empty and whitespace-only content", () => {
    expect(issuesOf(MemoryCreateRequest, { content: "   \n\t" })).toEqual([
      { path: "content", message: "Expected a string matching the RegExp \\S" }
    ])
    expect(issuesOf(MemoryCreateRequest, { content: "" })).toContainEqual({
      path: "content",
      message: "Expected a value with a length of at least 1"
    })
  })

  it("reports every broken rule of one input at once", () => {
    const issues = issuesOf(RememberInput, { body: { importance: 7, type: "dream", colour: "blue" } })
    expect(issues.map((i) => i.path).sort()).toEqual(["body.colour", "body.content", "body.importance", "body.type"])
  })

  it("refuses a recall limit outside 1..100 or not whole", () => {
    expect(issuesOf(RecallInput, { body: { query: "x", limit: 0 } })).toEqual([
      { path: "body.limit", message: "Expected a value greater than or equal to 1" }
    ])
    expect(issuesOf(RecallInput, { body: { query: "x", limit: 101 } })).toEqual([
      { path: "body.limit", message: "Expected a value less than or equal to 100" }
    ])
    expect(issuesOf(RecallInput, { body: { query: "x", limit: 2.5 } })).toEqual([{ path: "body.limit", message: "Expected an integer" }])
    expect(issuesOf(RecallInput, { body: { query: "x", limit: 100 } })).toEqual([])
  })

  it("refuses an empty recall query and an unknown recall mode", () => {
    expect(issuesOf(RecallInput, { body: { query: "" } })).toEqual([
      { path: "body.query", message: "Expected a value with a length of at least 1" }
    ])
    expect(issuesOf(RecallInput, { body: { query: "x", mode: "psychic" } }).map((i) => i.path)).toEqual(["body.mode"])
  })

  it("refuses an empty path parameter, so no request goes to /v1/memories/", () => {
    expect(issuesOf(GetMemoryInput, { path: { memory_id: "" } })).toEqual([
      { path: "path.memory_id", message: "Expected a value with a length of at least 1" }
    ])
    expect(issuesOf(GetMemoryInput, {})).toEqual([{ path: "path", message: "Missing key" }])
  })

  it("refuses an unknown query parameter", () => {
    expect(issuesOf(GetMemoryInput, { path: { memory_id: "mem_1" }, query: { include_deleted: true, limit: 3 } })).toEqual([
      { path: "query.limit", message: "Expected no excess property" }
    ])
  })

  it("refuses a relationship outside the server's ontology and a strength above 1", () => {
    const input = { path: { memory_id: "mem_1" }, body: { target_id: "mem_2", relationship: "likes", strength: 2 } }
    expect(issuesOf(AssociateInput, input)).toEqual([
      { path: "body.relationship", message: "Expected RelationshipType" },
      { path: "body.strength", message: "Expected a value less than or equal to 1" }
    ])
    expect(issuesOf(AssociateInput, { ...input, body: { target_id: "mem_2", relationship: "depends_on" } })).toEqual([])
  })

  it("refuses a batch operation that is not create, update or delete", () => {
    expect(issuesOf(BatchMemoriesInput, { body: { operations: [{ op: "create", content: "a" }, { op: "upsert", memory_id: "m" }] } }).map((i) => i.path)).toEqual([
      "body.operations.1"
    ])
    expect(issuesOf(BatchMemoriesInput, {
      body: { operations: [{ op: "create", content: "a" }, { op: "update", memory_id: "m", importance: 0.2 }, { op: "delete", memory_id: "m" }] }
    })).toEqual([])
  })

  it("refuses a session time to live under a minute", () => {
    expect(issuesOf(CreateSessionInput, { body: { ttl_seconds: 59 } })).toEqual([
      { path: "body.ttl_seconds", message: "Expected a value greater than or equal to 60" }
    ])
  })

  it("refuses a blank working-memory key and a blank workspace name", () => {
    expect(issuesOf(SetContextInput, { path: { session_id: "s" }, body: { key: " ", value: 1 } })).toEqual([
      { path: "body.key", message: "Expected a string matching the RegExp \\S" }
    ])
    expect(issuesOf(CreateWorkspaceInput, { body: { name: "  " } }).map((i) => i.path)).toEqual(["body.name"])
  })

  it("refuses empty sandbox code", () => {
    expect(issuesOf(ContextExecInput, { body: { code: "" } })).toEqual([
      { path: "body.code", message: "Expected a value with a length of at least 1" }
    ])
  })

  it("accepts an empty input for an operation that takes none, and refuses anything in it", () => {
    expect(issuesOf(ContextStatusInput, {})).toEqual([])
    expect(issuesOf(ContextStatusInput, { body: {} }).map((i) => i.path)).toEqual(["body"])
  })

  it("accepts an update that clears fields with null but refuses an out-of-range importance", () => {
    expect(issuesOf(UpdateMemoryInput, { path: { memory_id: "m" }, body: { content: null, importance: null } })).toEqual([])
    expect(issuesOf(UpdateMemoryInput, { path: { memory_id: "m" }, body: { importance: 3 } }).map((i) => i.path)).toEqual([
      "body.importance"
    ])
  })
})

describe("response schemas catch a server that breaks the contract", () => {
  const memory = contractExamples.find((e) => e.schema === "Memory")?.value as Readonly<Record<string, unknown>>

  it("refuses a memory without a field the server always sends", () => {
    const { content_hash: _dropped, ...rest } = memory
    expect(issuesOf(Memory, rest)).toEqual([{ path: "content_hash", message: "Missing key" }])
  })

  it("refuses a memory of an unknown type", () => {
    expect(issuesOf(Memory, { ...memory, type: "dream" })).toEqual([{ path: "type", message: "Expected MemoryType" }])
  })

  it("keeps error bodies open: extra fields a proxy adds still decode", () => {
    expect(issuesOf(ErrorResponse, { detail: "Rate limit exceeded", retry_after: 2, request_id: "req_1" })).toEqual([])
    expect(issuesOf(ErrorResponse, { message: "no detail" }).map((i) => i.path)).toEqual(["detail"])
  })
})
