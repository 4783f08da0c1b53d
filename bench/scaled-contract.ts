/**
 * A copy of this package generated from a contract with `factor` times
 * today's operations (each operation repeated under new names and routes),
 * built like the real one, in a temporary folder: what the import-time
 * figure needs to show that import time does not grow with the API.
 */
import { execFileSync } from "node:child_process"
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { parse, stringify } from "yaml"

const root = resolve(import.meta.dirname, "..")

interface Sdk {
  namespace?: string
  method?: string
  aliases?: Array<string>
  variants?: Array<{ method: string }>
  paginate?: { iterator?: string }
  stream?: { iterator?: string }
  etag?: { read: string }
}
type Operation = { operationId: string; "x-sdk"?: Sdk }

/** Builds the scaled package and returns its folder (the caller removes it). */
export const buildScaledPackage = (factor: number): string => {
  const dir = mkdtempSync(join(tmpdir(), `memorylayer-x${factor}-`))
  const contract = parse(readFileSync(join(root, "openapi.yaml"), "utf8")) as { paths: Record<string, Record<string, Operation>> }
  const original = Object.entries(contract.paths)
  for (let copy = 2; copy <= factor; copy++) {
    for (const [path, item] of original) {
      const clone = structuredClone(item) as Record<string, Operation>
      for (const operation of Object.values(clone)) {
        if (typeof operation !== "object" || operation === null || !("operationId" in operation)) continue
        const sdk = operation["x-sdk"]
        if (sdk?.namespace !== undefined) sdk.method = `${sdk.method ?? ""}${copy}`
        if (sdk?.aliases !== undefined) sdk.aliases = sdk.aliases.map((alias) => `${alias}${copy}`)
        // Every other name a method has, and the operation an etag is read with, are renamed with it.
        for (const variant of sdk?.variants ?? []) variant.method = `${variant.method}${copy}`
        for (const walk of [sdk?.paginate, sdk?.stream]) if (walk?.iterator !== undefined) walk.iterator = `${walk.iterator}${copy}`
        if (sdk?.etag !== undefined) sdk.etag.read = `${sdk.etag.read}${copy}`
        operation.operationId = `${operation.operationId}${copy}`
      }
      contract.paths[path.replace(/^\/v1\//, `/v1/copy${copy}/`)] = clone
    }
  }
  writeFileSync(join(dir, "openapi.yaml"), stringify(contract))
  for (const folder of ["src", "scripts", "codegen"]) cpSync(join(root, folder), join(dir, folder), { recursive: true })
  for (const file of ["package.json", "tsconfig.json", "tsconfig.build.json"]) cpSync(join(root, file), join(dir, file))
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir")
  execFileSync(process.execPath, [join(dir, "codegen", "run.ts"), "--spec", join(dir, "openapi.yaml"), "--out", join(dir, "generated")], { stdio: "pipe" })
  execFileSync(process.execPath, [join(dir, "scripts", "build.ts")], { cwd: dir, stdio: "pipe" })
  return dir
}
