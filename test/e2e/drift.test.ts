/**
 * openapi.yaml against the running server's own /openapi.json: every
 * difference in routes, parameters, request fields, success status and
 * response fields of our operations is explained by an x-server-differences
 * entry, and every entry still explains something.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { parse } from "yaml"
import { beforeAll, describe, expect, inject, it } from "vitest"
import { driftReport, formatDriftReport, type DriftReport } from "./drift.ts"
import { isObject, type JsonObject } from "../support/openapi-document.ts"

const serverUrl = inject("serverUrl")
const contractFile = join(import.meta.dirname, "..", "..", "openapi.yaml")

const loadContract = (): JsonObject => {
  const document: unknown = parse(readFileSync(contractFile, "utf8"))
  if (!isObject(document)) throw new Error("openapi.yaml is not an object")
  return document
}

const fetchServerDocument = async (): Promise<JsonObject> => {
  // Straight to the server: /openapi.json is not part of our contract.
  const response = await fetch(`${serverUrl}/openapi.json`)
  if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`)
  const document: unknown = await response.json()
  if (!isObject(document)) throw new Error("the server's /openapi.json is not an object")
  return document
}

describe("openapi.yaml against the server's own /openapi.json", () => {
  let report: DriftReport

  beforeAll(async () => {
    report = driftReport(loadContract(), await fetchServerDocument())
    console.log(formatDriftReport(report))
  })

  it("compares every operation of the contract, and the contract has every /v1 operation of the server", async () => {
    const server = await fetchServerDocument()
    const serverRoutes = Object.entries(server["paths"] as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).filter((m) => ["get", "put", "post", "delete", "patch"].includes(m) && path.startsWith("/v1/")).map((m) => `${m.toUpperCase()} ${path}`)
    )
    expect(report.operations.length).toBeGreaterThanOrEqual(serverRoutes.length)
    expect(serverRoutes.length).toBeGreaterThanOrEqual(179)
  })

  it("explains every difference with an x-server-differences entry", () => {
    const unexplained = report.operations.flatMap((operation) =>
      operation.unexplained.map((finding) => `${operation.operationId} ${finding.kind} ${finding.name}: ${finding.detail}`)
    )
    expect(unexplained).toEqual([])
  })

  it("has no x-server-differences entry that explains nothing", () => {
    const stale = [
      ...report.operations.flatMap((operation) =>
        operation.stale.map((entry) => `${operation.operationId} ${entry.kind} ${entry.name}`)
      ),
      ...report.staleRoot.map((entry) => `(root) ${entry.kind} ${entry.name}`)
    ]
    expect(stale).toEqual([])
  })
})
