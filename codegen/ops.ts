/**
 * Emits `ops/`, what an operation's first call loads: per operation, fast
 * checkers of its input, its answer and its NDJSON lines (the request itself
 * is made from the operation's row by src/transport.ts). One module per namespace (the flat methods
 * form `core`), each loaded on the first call of one of its methods, so import
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
    const group = method === undefined ? "core" : groupOf(method)
    groups.set(group, [...(groups.get(group) ?? []), row])
  }
  const files = new Map<string, string>()
  for (const [group, rows] of groups) {
    const emitter = new CheckerEmitter(reps.document.references)
    const check = (name: string | undefined, user: boolean): string =>
      name === undefined ? "undefined" : `(v: unknown): boolean => ${emitter.named(name)}(v, ${user})`
    const lines = rows.map(({ operationId, input, output, record }) =>
      `  ${operationId}: { input: ${check(input, true)}, output: ${check(output, false)}, record: ${check(record, false)} },`
    )
    const own = methods.filter((m) => groupOf(m) === group)
    // The flat methods' rows load with the package (operations.gen.ts); a namespace's load here, with it.
    const rowTables = group === "core" ? [] : [
      "/** This namespace's operations. */",
      "export const operations: Readonly<Record<string, OperationRow>> = {",
      ...own.map(operationRow),
      "}",
      "",
      "/** How this namespace's methods bind their arguments to their operations. */",
      "export const methods: Readonly<Record<string, MethodRow>> = {",
      ...own.flatMap((m) => [m, ...m.variants]).map(bindingRow),
      "}",
      ""
    ]
    files.set(`${group}.gen.ts`, [
      header,
      `import * as c from "../../src/checks.ts"`,
      ...(group === "core" ? [] : [`import type { MethodRow, OperationRow } from "../../src/rows.ts"`]),
      "",
      ...rowTables,
      emitter.source(),
      "",
      `/** Per operation of ${group === "core" ? "the flat methods" : `the ${group} namespace`}: whether an input / an answer / an NDJSON line passes the contract unchanged. */`,
      "export const ops = {",
      ...lines,
      "} as const",
      ""
    ].join("\n"))
  }
  files.set("index.gen.ts", [
    header,
    "/** Loads the checkers (and rows) of one namespace (`core`: the flat methods). */",
    "export const loaders = {",
    ...[...groups.keys()].map((group) => `  ${JSON.stringify(group)}: () => import("./${group}.gen.ts"),`),
    "} as const",
    "",
    "/** The module of each operation. */",
    "export const groups = {",
    ...[...groups].flatMap(([group, rows]) => rows.map((r) => `  ${r.operationId}: ${JSON.stringify(group)},`)),
    "} as const",
    ""
  ].join("\n"))
  return files
}
