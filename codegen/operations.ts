/**
 * Emits the operations table (what the runner needs to know about each HTTP
 * operation: route, idempotency, declared error statuses) and the methods
 * table (how each method of the SDK binds its arguments to its operation,
 * from `x-sdk`). Both are plain data, read when the package is imported, so
 * they stay small: schemas and checkers load on an
 * operation's first call.
 */
import { camel, type Method, methodKey } from "./sdk.ts"

/**
 * The module a method's checkers (and, for a namespace, rows) live in: its
 * namespace, or for a flat method `core-` and its operation's first tag
 * (`core-memories`), so a call loads the checkers of its own subject only.
 */
export const groupOf = (method: Method): string => method.namespace ?? `core-${method.operation.tags[0] ?? "other"}`


const names = (method: Method, location: string): string =>
  JSON.stringify(method.operation.parameters.filter((p) => p.in === location).map((p) => p.name))

/**
 * What the runner reads at run time about an operation, kept small (it loads
 * with the operation's module): a flag is written only when true, the path
 * parameters only when there are any.
 */
export const operationRow = (method: Method): string => {
  const op = method.operation
  const requiresSession = op.parameters.some((p) => p.in === "header" && p.name === "X-Session-ID" && p.required === true)
  const pathParams = names(method, "path")
  return [
    `  ${op.operationId}: {`,
    `    operationId: "${op.operationId}",`,
    `    method: "${op.method}",`,
    `    path: "${op.path}",`,
    ...(op.idempotent ? ["    idempotent: true,"] : []),
    ...(pathParams === "[]" ? [] : [`    pathParams: ${pathParams},`]),
    ...(op.requestBody === undefined ? [] : ["    hasBody: true,"]),
    ...(requiresSession ? ["    requiresSession: true,"] : []),
    `  },`
  ].join("\n")
}

/** The binding data of one method. */
export const bindingRow = (method: Method): string => {
  const row: Record<string, unknown> = {
    operationId: method.operation.operationId,
    params: method.params.map((p) => (p.field === undefined ? [p.name, "client", p.name] : [p.name, p.field.location, p.field.name])),
    // One token per option: `location.wire` when the option is the camelCase of its wire name, else
    // `name=location.wire`, or `name=client` for a client-side option (src/bind.ts reads them).
    options: method.options
      .map((o) => (o.field === undefined ? `${o.name}=client` : camel(o.field.name) === o.name ? `${o.field.location}.${o.field.name}` : `${o.name}=${o.field.location}.${o.field.name}`))
      .join(" ")
  }
  if (method.aliases.length > 0) row["aliases"] = method.aliases
  if (method.positional !== undefined) {
    row["positional"] = method.positional.name
    row["positionalIsObject"] = method.positional.schema["type"] === "object" || method.positional.schema["additionalProperties"] !== undefined
  }
  if (Object.keys(method.send).length > 0) row["send"] = method.send
  for (const key of ["unwrap", "result", "session", "hook", "download", "stream"] as const) if (method[key] !== undefined) row[key] = method[key]
  if (method.paginate !== undefined) row["paginate"] = method.paginate
  if (method.idempotencyKey) row["idempotencyKey"] = true
  if (method.etag !== undefined) {
    const { scoped, ...etag } = method.etag
    row["etag"] = scoped ? { ...etag, scoped } : etag
  }
  if (method.upload !== undefined) row["upload"] = method.upload
  if (Object.keys(method.fromClient).length > 0) row["fromClient"] = method.fromClient
  return `  ${JSON.stringify(methodKey(method))}: {\n${Object.entries(row).map(([k, v]) => `    ${k}: ${JSON.stringify(v)},`).join("\n")}\n  },`
}

/** Generated TypeScript source of `operations.gen.ts`. */
export const emitOperations = (methods: ReadonlyArray<Method>, header: string): string => {
  const every = methods.flatMap((m) => [m, ...m.variants])
  return [
    header,
    "",
    "/** The operationId of an HTTP operation. */",
    `export type OperationId =\n${methods.map((m) => `  | ${JSON.stringify(m.operation.operationId)}`).join("\n")}`,
    "",
    "/** The key of a method: its name, or `namespace.name`. */",
    `export type MethodKey =\n${every.map((m) => `  | ${JSON.stringify(methodKey(m))}`).join("\n")}`,
    "",
    "/** The error statuses each operation declares (a type only: it gives each method its error channel). */",
    "export interface ErrorStatuses {",
    ...methods.map((m) => `  ${m.operation.operationId}: ${m.operation.errorStatuses.join(" | ") || "never"}`),
    "}",
    "",
    "/** Every method: its key, its module, and its flat aliases. */",
    "export const directory: ReadonlyArray<readonly [string, string, ReadonlyArray<string>?]> = [",
    ...every.map((m) => `  [${JSON.stringify(methodKey(m))}, ${JSON.stringify(groupOf(m))}${m.aliases.length > 0 ? `, ${JSON.stringify(m.aliases)}` : ""}],`),
    "]",
    ""
  ].join("\n")
}

/**
 * Generated TypeScript source of `operations-meta.gen.ts`: what tests and
 * tools compare with the contract (success and error statuses, query
 * parameters), kept out of the package's import path.
 */
export const emitOperationsMeta = (methods: ReadonlyArray<Method>, header: string): string =>
  [
    header,
    "/** Statuses and query parameters of every operation, by operationId. */",
    "export const operationsMeta = {",
    ...methods.map((m) => `  ${m.operation.operationId}: { successStatus: ${m.operation.successStatus}, errorStatuses: ${JSON.stringify(m.operation.errorStatuses)}, queryParams: ${names(m, "query")} },`),
    "} as const",
    ""
  ].join("\n")
