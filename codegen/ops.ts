/**
 * Emits `ops/`, what an operation's first call loads: per operation, fast
 * checkers of its input, its answer and its NDJSON lines (the request itself
 * is made from the operation's row by src/transport.ts). One module per namespace (the flat methods
 * form `core-<tag>` modules), each loaded on the first call of one of its methods, so import
 * time and the first bundle chunk do not grow with the API, and a client that
 * calls only the seed's methods never loads the other namespaces' checkers.
 */
import { CheckerEmitter } from "./checkers.ts"
import type { Representations } from "./effect-schemas.ts"
import { bindingRow, groupOf, operationRow } from "./operations.ts"
import type { Method } from "./sdk.ts"

/** Generated TypeScript sources of `ops/<group>.gen.ts` and of `ops/index.gen.ts`, by file name. */
export const emitOps = (reps: Representations, methods: ReadonlyArray<Method>, header: string): Map<string, string> => {
  const groups = new Map<string, Array<(typeof reps.table)[number]>>()
  for (const row of reps.table) {
    const method = methods.find((m) => m.operation.operationId === row.operationId)
    if (method === undefined) throw new Error(`codegen: no method for operation ${row.operationId}`)
    const group = groupOf(method)
    groups.set(group, [...(groups.get(group) ?? []), row])
  }
  const files = new Map<string, string>()
  for (const [group, rows] of groups) {
    const emitter = new CheckerEmitter(reps.document.references)
    // Each named checker by its constant (called with `u` true for an input, false for parsed JSON); none: left out.
    const check = (name: string | undefined): string => (name === undefined ? "undefined" : emitter.named(name))
    const lines = rows.map(({ operationId, input, output, record }) =>
      `  ${operationId}: { input: ${check(input)}, output: ${check(output)}${record === undefined ? "" : `, record: ${check(record)}`} },`
    )
    const own = methods.filter((m) => groupOf(m) === group)
    // A write's etag is read by the runner from rows of its own module.
    for (const m of own) {
      const read = m.etag === undefined ? undefined : methods.find((r) => r.operation.operationId === m.etag?.read)
      if (read !== undefined && groupOf(read) !== group) throw new Error(`openapi.yaml: ${m.operation.operationId}: its etag read ${read.operation.operationId} is in module ${groupOf(read)}, not ${group}`)
    }
    const flat = group.startsWith("core-")
    // Every module's rows load with it, on the first call of one of its methods.
    const rowTables = [
      `/** The operations of ${flat ? `the flat methods of ${group.slice(5)}` : `this namespace`}. */`,
      "export const operations: Readonly<Record<string, OperationRow>> = {",
      ...own.map(operationRow),
      "}",
      "",
      "/** How these methods bind their arguments to their operations. */",
      "export const methods: Readonly<Record<string, MethodRow>> = {",
      ...own.flatMap((m) => [m, ...m.variants]).map(bindingRow),
      "}",
      ""
    ]
    files.set(`${group}.gen.ts`, [
      header,
      `import * as c from "../../src/checks.ts"`,
      `import type { MethodRow, OperationRow } from "../../src/rows.ts"`,
      "",
      ...rowTables,
      emitter.source(),
      "",
      `/** Per operation of ${flat ? `the flat methods of ${group.slice(5)}` : `the ${group} namespace`}: whether an input / an answer / an NDJSON line passes the contract unchanged. */`,
      "export const ops = {",
      ...lines,
      "} as const",
      ""
    ].join("\n"))
  }
  // The flat methods' checkers in one table, for the test double (which serves the flat operations) and the tests.
  const flatGroups = [...groups.keys()].filter((group) => group.startsWith("core-"))
  const local = (group: string): string => group.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())
  files.set("core.gen.ts", [
    header,
    ...flatGroups.map((group) => `import * as ${local(group)} from "./${group}.gen.ts"`),
    "",
    "/** The checkers of every flat method's operation (the `core-<tag>` modules together). */",
    `export const ops = { ${flatGroups.map((group) => `...${local(group)}.ops`).join(", ")} } as const`,
    "",
    "/** The rows of every flat method's operation. */",
    `export const operations = { ${flatGroups.map((group) => `...${local(group)}.operations`).join(", ")} }`,
    "",
    "/** The rows of every flat method. */",
    `export const methods = { ${flatGroups.map((group) => `...${local(group)}.methods`).join(", ")} }`,
    ""
  ].join("\n"))
  files.set("index.gen.ts", [
    header,
    "/** Loads the checkers (and rows) of one namespace (`core-<tag>`: the flat methods of one subject). */",
    "export const loaders = {",
    ...[...groups.keys()].map((group) => `  ${JSON.stringify(group)}: () => import("./${group}.gen.ts"),`),
    "} as const",
    ""
  ].join("\n"))
  return files
}
