/**
 * Emits `ops.gen.ts`, the module an operation's first call loads: per
 * operation, its request function (from the hey-api sdk) and fast checkers of
 * its input and its answer. Keeping them out of the import path makes import
 * time and the first bundle chunk independent of the number of operations.
 */
import { CHECKER_RUNTIME, CheckerEmitter } from "./checkers.ts"
import type { Representations } from "./effect-schemas.ts"

/** Generated TypeScript source of `ops.gen.ts`. */
export const emitOps = (reps: Representations, header: string): string => {
  const emitter = new CheckerEmitter(reps.document.references)
  const check = (name: string | undefined, user: boolean): string =>
    name === undefined ? "undefined" : `(v: unknown): boolean => ${emitter.named(name)}(v, ${user})`
  const rows = reps.table.map(({ operationId, input, output, record }) =>
    `  ${operationId}: { send: sdk.${operationId}, input: ${check(input, true)}, output: ${check(output, false)}, record: ${check(record, false)} },`
  )
  return [
    header,
    "// The checkers read unknown values field by field; `any` is their parameter type on purpose.",
    "/* eslint-disable */",
    `import * as sdk from "./api/sdk.gen.ts"`,
    "",
    CHECKER_RUNTIME,
    "",
    emitter.source(),
    "",
    "/** Per operation: its request function, and whether an input / an answer / an NDJSON line passes the contract unchanged. */",
    "export const ops = {",
    ...rows,
    "} as const",
    ""
  ].join("\n")
}
