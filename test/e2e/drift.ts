/**
 * Compares our contract with the server's own OpenAPI document, operation by
 * operation, and matches every difference against the `x-server-differences`
 * that explain it.
 */
import { findOperation, operationShape, operationsOf, type OperationShape, type ParameterLocation } from "./operation-shape.ts"
import { stringOr, type JsonObject } from "../support/openapi-document.ts"
import { readServerDifferences, type DifferenceKind, type ServerDifference } from "./server-differences.ts"
import type { SchemaFields } from "./schema-fields.ts"

/** One way an operation of ours differs from the server's. */
export interface Finding {
  readonly kind: DifferenceKind
  readonly name: string
  readonly detail: string
  /**
   * Ours only asks more than the server (a field or parameter it requires, a
   * closed object): allowed without explanation, and reported.
   */
  readonly tightening: boolean
}

/** The comparison of one of our operations with the server's. */
export interface OperationDrift {
  readonly operationId: string
  readonly route: string
  readonly tightenings: ReadonlyArray<Finding>
  readonly explained: ReadonlyArray<Finding>
  readonly unexplained: ReadonlyArray<Finding>
  /** Explanations on this operation that match no difference (any more). */
  readonly stale: ReadonlyArray<ServerDifference>
}

/** The drift of every operation, plus the root explanations that matched nothing. */
export interface DriftReport {
  readonly operations: ReadonlyArray<OperationDrift>
  readonly staleRoot: ReadonlyArray<ServerDifference>
}

const PARAMETER_KINDS: Record<ParameterLocation, DifferenceKind> = { path: "path-param", query: "query-param", header: "header" }

/** Drops paths below a path that is itself only on one side: one finding says it all. */
const topmost = (paths: ReadonlyArray<string>): ReadonlyArray<string> => {
  const sorted = [...paths].sort()
  return sorted.filter(
    (path) => !sorted.some((parent) => parent !== path && [".", "[", "{"].some((sep) => path.startsWith(parent + sep)))
  )
}

const compareFields = (
  kind: "request-field" | "response-field",
  ours: SchemaFields,
  server: SchemaFields
): ReadonlyArray<Finding> => {
  const findings: Array<Finding> = []
  const oursOnly = topmost([...ours.fields.keys()].filter((path) => !server.fields.has(path)))
  const serverOnly = topmost([...server.fields.keys()].filter((path) => !ours.fields.has(path)))
  for (const name of oursOnly) findings.push({ kind, name, detail: "only in ours", tightening: false })
  for (const name of serverOnly) findings.push({ kind, name, detail: "only in the server's", tightening: false })
  for (const [name, field] of ours.fields) {
    const theirs = server.fields.get(name)
    if (theirs === undefined || theirs.required === field.required) continue
    findings.push(
      field.required
        ? { kind, name, detail: "required in ours, optional in the server's", tightening: true }
        : { kind, name, detail: "required in the server's, optional in ours", tightening: false }
    )
  }
  for (const [path, closed] of ours.objects) {
    const theirs = server.objects.get(path)
    if (theirs === undefined || theirs === closed) continue
    const name = path === "" ? "(root)" : path
    findings.push(
      closed
        ? { kind, name, detail: "closed in ours, open in the server's", tightening: true }
        : { kind, name, detail: "closed in the server's, open in ours", tightening: false }
    )
  }
  return findings
}

/** Every way `ours` differs from `server`; explanations are matched later. */
export const compareShapes = (ours: OperationShape, server: OperationShape): ReadonlyArray<Finding> => {
  const findings: Array<Finding> = []

  for (const key of new Set([...ours.parameters.keys(), ...server.parameters.keys()])) {
    const mine = ours.parameters.get(key)
    const theirs = server.parameters.get(key)
    const parameter = mine ?? theirs
    if (parameter === undefined) continue
    const { name } = parameter
    const kind = PARAMETER_KINDS[parameter.location]
    if (theirs === undefined) findings.push({ kind, name, detail: "only in ours", tightening: false })
    else if (mine === undefined) findings.push({ kind, name, detail: "only in the server's", tightening: false })
    else if (mine.required && !theirs.required) findings.push({ kind, name, detail: "required in ours, optional in the server's", tightening: true })
    else if (!mine.required && theirs.required) findings.push({ kind, name, detail: "required in the server's, optional in ours", tightening: false })
  }

  if (ours.requestBody === undefined && server.requestBody !== undefined) {
    findings.push({ kind: "request-body", name: "body", detail: "the server's takes a JSON body, ours none", tightening: false })
  } else if (ours.requestBody !== undefined && server.requestBody === undefined) {
    findings.push({ kind: "request-body", name: "body", detail: "ours sends a JSON body, the server's takes none", tightening: false })
  } else if (ours.requestBody !== undefined && server.requestBody !== undefined) {
    if (ours.requestBody.required !== server.requestBody.required) {
      findings.push(
        ours.requestBody.required
          ? { kind: "request-body", name: "body", detail: "required in ours, optional in the server's", tightening: true }
          : { kind: "request-body", name: "body", detail: "required in the server's, optional in ours", tightening: false }
      )
    }
    findings.push(...compareFields("request-field", ours.requestBody.fields, server.requestBody.fields))
  }

  if (ours.successStatus !== server.successStatus) {
    findings.push({
      kind: "status",
      name: ours.successStatus,
      detail: `ours answers ${ours.successStatus}, the server's ${server.successStatus}`,
      tightening: false
    })
  }

  if (ours.responseBody === undefined && server.responseBody !== undefined) {
    findings.push({ kind: "response-body", name: "body", detail: "the server's answers a JSON body, ours none", tightening: false })
  } else if (ours.responseBody !== undefined && server.responseBody === undefined) {
    findings.push({ kind: "response-body", name: "body", detail: "ours expects a JSON body, the server's declares none", tightening: false })
  } else if (ours.responseBody !== undefined && server.responseBody !== undefined) {
    findings.push(...compareFields("response-field", ours.responseBody, server.responseBody))
  }

  return findings
}

const ROUTE_PATTERN = /^(GET|PUT|POST|DELETE|PATCH) (\/\S*)$/

const explains = (difference: ServerDifference, finding: Finding): boolean =>
  difference.kind === finding.kind &&
  (finding.kind === "header"
    ? difference.name.toLowerCase() === finding.name.toLowerCase()
    : difference.name === finding.name)

/**
 * Compares every operation of `ours` that has an operationId with the
 * server's operation at the same method and path. A difference is explained
 * when an `x-server-differences` entry of that operation (or of the document
 * root) has its kind and name. A `documented-route` entry is checked too: the
 * server must still lack that route. Entries that explain nothing are stale.
 */
export const driftReport = (ours: JsonObject, server: JsonObject): DriftReport => {
  const rootDifferences = readServerDifferences(ours["x-server-differences"], "openapi.yaml")
  const usedRoot = new Set<ServerDifference>()

  const operations = operationsOf(ours).flatMap(({ method, path, operation }): ReadonlyArray<OperationDrift> => {
    const operationId = stringOr(operation["operationId"])
    if (operationId === undefined) return []
    const route = `${method.toUpperCase()} ${path}`
    const differences = readServerDifferences(operation["x-server-differences"], operationId)
    const theirs = findOperation(server, method, path)
    const findings: Array<Finding> =
      theirs === undefined
        ? [{ kind: "route", name: route, detail: "the server has no such route", tightening: false }]
        : [...compareShapes(operationShape(ours, method, path, operation), operationShape(server, method, path, theirs))]

    for (const difference of differences.filter((entry) => entry.kind === "documented-route")) {
      const documented = ROUTE_PATTERN.exec(difference.name)
      if (documented === null) throw new Error(`${operationId}: documented-route name must be "METHOD /path"`)
      const [, documentedMethod = "", documentedPath = ""] = documented
      if (findOperation(server, documentedMethod.toLowerCase(), documentedPath) === undefined) {
        findings.push({ kind: "documented-route", name: difference.name, detail: "the server has no such route", tightening: false })
      }
    }

    const used = new Set<ServerDifference>()
    const explained: Array<Finding> = []
    const unexplained: Array<Finding> = []
    for (const finding of findings) {
      const own = differences.find((difference) => explains(difference, finding))
      const shared = own === undefined ? rootDifferences.find((difference) => explains(difference, finding)) : undefined
      if (own !== undefined) used.add(own)
      if (shared !== undefined) usedRoot.add(shared)
      if (finding.tightening) continue
      if (own !== undefined || shared !== undefined) explained.push(finding)
      else unexplained.push(finding)
    }
    return [
      {
        operationId,
        route,
        tightenings: findings.filter((finding) => finding.tightening),
        explained,
        unexplained,
        stale: differences.filter((difference) => !used.has(difference))
      }
    ]
  })

  return { operations, staleRoot: rootDifferences.filter((difference) => !usedRoot.has(difference)) }
}

/** A few lines a person can read: counts per operation, then every unexplained difference and stale explanation. */
export const formatDriftReport = (report: DriftReport): string => {
  const width = Math.max(...report.operations.map((operation) => operation.operationId.length))
  const lines = report.operations.map(
    (operation) =>
      `  ${operation.operationId.padEnd(width)}  explained ${String(operation.explained.length).padStart(2)}` +
      `  unexplained ${String(operation.unexplained.length).padStart(2)}` +
      `  stale ${String(operation.stale.length).padStart(2)}  tightened ${String(operation.tightenings.length).padStart(3)}`
  )
  const sum = (pick: (operation: OperationDrift) => number): number =>
    report.operations.reduce((total, operation) => total + pick(operation), 0)
  const problems = [
    ...report.operations.flatMap((operation) => [
      ...operation.unexplained.map((f) => `  UNEXPLAINED ${operation.operationId} ${f.kind} ${f.name}: ${f.detail}`),
      ...operation.stale.map((d) => `  STALE ${operation.operationId} ${d.kind} ${d.name}: explains no difference`)
    ]),
    ...report.staleRoot.map((d) => `  STALE (root) ${d.kind} ${d.name}: explains no difference`)
  ]
  return [
    `drift: ${report.operations.length} operations compared with the server's /openapi.json`,
    ...lines,
    `  total: explained ${sum((o) => o.explained.length)}, unexplained ${sum((o) => o.unexplained.length)}, ` +
      `stale ${sum((o) => o.stale.length) + report.staleRoot.length}, tightened ${sum((o) => o.tightenings.length)}`,
    ...problems
  ].join("\n")
}
