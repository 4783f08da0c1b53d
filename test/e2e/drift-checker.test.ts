/**
 * The drift checker itself, on small made-up documents: it notices each kind
 * of difference, lets tightenings through, and holds explanations to account.
 * Without these, a checker that saw nothing would pass the real comparison.
 */
import { describe, expect, it } from "vitest"
import { driftReport, type DriftReport } from "./drift.ts"
import type { JsonObject } from "../support/openapi-document.ts"

type Mutable = { [key: string]: unknown }

/** A one-operation document: POST /v1/things/{id} with a body, a query parameter and a 201 answer. */
const contract = (): Mutable => ({
  paths: {
    "/v1/things/{id}": {
      post: {
        operationId: "makeThing",
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "dry_run", in: "query", schema: { type: "boolean" } }
        ],
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/ThingRequest" } } }
        },
        responses: {
          "201": { content: { "application/json": { schema: { $ref: "#/components/schemas/ThingResponse" } } } }
        }
      }
    }
  },
  components: {
    schemas: {
      ThingRequest: {
        type: "object",
        required: ["name", "steps"],
        properties: {
          name: { type: "string" },
          note: { anyOf: [{ type: "string" }, { type: "null" }] },
          steps: {
            type: "array",
            items: {
              oneOf: [{ $ref: "#/components/schemas/AddStep" }, { $ref: "#/components/schemas/DropStep" }],
              discriminator: { propertyName: "op" }
            }
          }
        }
      },
      AddStep: { type: "object", required: ["op", "value"], properties: { op: { const: "add" }, value: { type: "number" } } },
      DropStep: { type: "object", required: ["op"], properties: { op: { const: "drop" }, hard: { type: "boolean" } } },
      ThingResponse: {
        type: "object",
        required: ["thing"],
        properties: { thing: { type: "object", required: ["id"], properties: { id: { type: "string" }, tags: { type: "array" } } } }
      }
    }
  }
})

const at = (document: Mutable, ...path: ReadonlyArray<string>): Mutable =>
  path.reduce<Mutable>((node, key) => node[key] as Mutable, document)

const schema = (document: Mutable, name: string): Mutable => at(document, "components", "schemas", name)

const operation = (document: Mutable): Mutable => at(document, "paths", "/v1/things/{id}", "post")

const problems = (report: DriftReport): ReadonlyArray<string> => [
  ...report.operations.flatMap((drift) => drift.unexplained.map((finding) => `${finding.kind} ${finding.name}: ${finding.detail}`)),
  ...report.operations.flatMap((drift) => drift.stale.map((entry) => `stale ${entry.kind} ${entry.name}`)),
  ...report.staleRoot.map((entry) => `stale root ${entry.kind} ${entry.name}`)
]

const compare = (ours: Mutable, server: Mutable): DriftReport => driftReport(ours as JsonObject, server as JsonObject)

describe("the drift checker", () => {
  it("finds nothing when both documents agree", () => {
    expect(problems(compare(contract(), contract()))).toEqual([])
  })

  it("notices a request field, a nested response field and a query parameter that only one side declares", () => {
    const ours = contract()
    const server = contract()
    at(schema(ours, "ThingRequest"), "properties")["color"] = { type: "string" }
    delete at(schema(ours, "ThingResponse"), "properties", "thing", "properties")["tags"]
    ;(operation(server)["parameters"] as Array<unknown>).push({ name: "limit", in: "query", schema: { type: "integer" } })

    expect(problems(compare(ours, server))).toEqual([
      "query-param limit: only in the server's",
      "request-field color: only in ours",
      "response-field thing.tags: only in the server's"
    ])
  })

  it("notices a field of one variant of a discriminated union", () => {
    const server = contract()
    at(schema(server, "DropStep"), "properties")["reason"] = { type: "string" }

    expect(problems(compare(contract(), server))).toEqual(["request-field steps[op=drop].reason: only in the server's"])
  })

  it("notices a field the server requires and ours does not, but lets ours require more", () => {
    const ours = contract()
    const server = contract()
    schema(server, "AddStep")["required"] = ["op"]
    schema(ours, "ThingRequest")["additionalProperties"] = false
    schema(server, "ThingRequest")["required"] = ["name", "steps", "note"]

    const report = compare(ours, server)

    expect(problems(report)).toEqual(["request-field note: required in the server's, optional in ours"])
    expect(report.operations[0]?.tightenings.map((finding) => `${finding.name}: ${finding.detail}`)).toEqual([
      "steps[op=add].value: required in ours, optional in the server's",
      "(root): closed in ours, open in the server's"
    ])
  })

  it("notices a missing route and a different success status", () => {
    const server = contract()
    const responses = at(operation(server), "responses")
    responses["200"] = responses["201"]
    delete responses["201"]
    expect(problems(compare(contract(), server))).toEqual(["status 201: ours answers 201, the server's 200"])

    delete at(server, "paths")["/v1/things/{id}"]
    expect(problems(compare(contract(), server))).toEqual(["route POST /v1/things/{id}: the server has no such route"])
  })

  it("accepts a difference explained on the operation or at the root, header names in any case", () => {
    const ours = contract()
    ;(operation(ours)["parameters"] as Array<unknown>).push({ name: "X-Trace", in: "header", schema: { type: "string" } })
    at(schema(ours, "ThingRequest"), "properties")["color"] = { type: "string" }
    operation(ours)["x-server-differences"] = [{ kind: "request-field", name: "color", reason: "Ours only." }]
    ours["x-server-differences"] = [{ kind: "header", name: "x-trace", reason: "Read from the raw request." }]

    const report = compare(ours, contract())

    expect(problems(report)).toEqual([])
    expect(report.operations[0]?.explained.map((finding) => finding.name)).toEqual(["X-Trace", "color"])
  })

  it("calls an explanation stale when it explains no difference", () => {
    const ours = contract()
    operation(ours)["x-server-differences"] = [{ kind: "request-field", name: "color", reason: "Not any more." }]
    ours["x-server-differences"] = [{ kind: "header", name: "X-Gone", reason: "Not any more." }]

    expect(problems(compare(ours, contract()))).toEqual(["stale request-field color", "stale root header X-Gone"])
  })

  it("checks that a documented route is still missing from the server", () => {
    const ours = contract()
    operation(ours)["x-server-differences"] = [
      { kind: "documented-route", name: "GET /v1/things/{id}/trace", reason: "Mapped to POST /v1/things/{id}." }
    ]
    expect(problems(compare(ours, contract()))).toEqual([])

    const server = contract()
    at(server, "paths")["/v1/things/{id}/trace"] = { get: { responses: { "200": {} } } }
    expect(problems(compare(ours, server))).toEqual(["stale documented-route GET /v1/things/{id}/trace"])
  })

  it("rejects a malformed x-server-differences entry instead of ignoring it", () => {
    const ours = contract()
    operation(ours)["x-server-differences"] = [{ kind: "request-feild", name: "color", reason: "Typo." }]
    expect(() => compare(ours, contract())).toThrow(/kind must be one of/)
  })
})
