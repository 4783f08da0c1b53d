/**
 * The method layer is generated: adding an operation to openapi.yaml and
 * running codegen gives both faces a documented, type-checked method, and
 * the hand-written src/ names no operation that has no client-side logic.
 */
import { execFileSync } from "node:child_process"
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import ts from "typescript"
import { afterAll, describe, expect, it } from "vitest"
import { parse, stringify } from "yaml"
import { methods, operations } from "../support/tables.ts"

const root = resolve(import.meta.dirname, "..", "..")

/** The identifiers of a TypeScript file's code (comments and strings left out). */
const identifiersOf = (file: string): Set<string> => {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true)
  const names = new Set<string>()
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text)
    // JSDoc examples are documentation, not code.
    if (!ts.isJSDoc(node)) ts.forEachChild(node, visit)
  }
  visit(source)
  return names
}

describe("hand-written src/", () => {
  /** Operations with client-side logic of their own, and the one file allowed to name them. */
  const HOOKED = new Set(["getBriefing", "getContext"])

  it("names no operation in its code, except the hooks of the few with client-side logic", () => {
    // Flat method names, aliases and operationIds (a namespaced method's short name, like `get`, names nothing alone).
    const names = new Set(Object.entries(methods).flatMap(([key, row]) => [
      row.operationId,
      ...(key.includes(".") ? [] : [key]),
      ...("aliases" in row ? row.aliases as ReadonlyArray<string> : [])
    ]))
    const found: Array<string> = []
    for (const file of readdirSync(join(root, "src")).filter((f) => f.endsWith(".ts"))) {
      for (const identifier of identifiersOf(join(root, "src", file))) {
        if (!names.has(identifier)) continue
        if (file === "hooks.ts" && HOOKED.has(identifier)) continue
        found.push(`${file}: ${identifier}`)
      }
    }
    expect(found).toEqual([])
  })
})

describe("hooks", () => {
  it("every hook x-sdk names exists in src/hooks.ts, and every hook there is named by some method", async () => {
    const { hooks } = await import("../../src/hooks.ts")
    const named = new Set(Object.values(methods).flatMap((row) => ("hook" in row ? [row.hook as string] : [])))
    expect([...named].filter((name) => hooks[name] === undefined)).toEqual([])
    expect(Object.keys(hooks).filter((name) => !named.has(name))).toEqual([])
  })
})

describe("the modules loaded on first call", () => {
  it("the directory finds the module of every operation, the one holding its checkers and rows", async () => {
    const { loaders } = await import("../../generated/ops/index.gen.ts")
    const { moduleOfOperation } = await import("../../src/rows.ts")
    const misplaced: Array<string> = []
    let count = 0
    for (const [module, load] of Object.entries(loaders)) {
      const loaded = (await load()) as { readonly ops: object; readonly operations: object }
      expect(Object.keys(loaded.operations).sort()).toEqual(Object.keys(loaded.ops).sort())
      for (const id of Object.keys(loaded.ops)) {
        count++
        if (moduleOfOperation(id) !== module) misplaced.push(`${id}: ${moduleOfOperation(id)}, not ${module}`)
      }
    }
    expect(misplaced).toEqual([])
    expect(count).toBe(Object.keys(operations).length)
  })
})

describe("adding an operation", () => {
  const dir = mkdtempSync(join(tmpdir(), "memorylayer-new-operation-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("is an edit to openapi.yaml plus codegen: the new method type-checks and runs on both faces", () => {
    const contract = parse(readFileSync(join(root, "openapi.yaml"), "utf8")) as { paths: Record<string, unknown> }
    contract.paths["/v1/notes/{note_id}/pin"] = {
      post: {
        operationId: "pinNote",
        tags: ["memories"],
        summary: "Pin a note.",
        description: "Keeps the note at the top of every briefing.",
        "x-idempotent": true,
        "x-sdk": { params: ["note_id"], positional: "pinned", unwrap: "note" },
        parameters: [{ name: "note_id", in: "path", required: true, description: "The note to pin.", schema: { type: "string", minLength: 1 } }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                additionalProperties: false,
                properties: {
                  pinned: { type: "boolean", description: "Pin (true) or unpin (false)." },
                  reason: { type: "string", description: "Why, for the audit log." }
                }
              }
            }
          }
        },
        responses: {
          "200": {
            description: "The note.",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  additionalProperties: false,
                  required: ["note"],
                  properties: {
                    note: {
                      type: "object",
                      additionalProperties: false,
                      required: ["id", "pinned"],
                      properties: { id: { type: "string", description: "Its id." }, pinned: { type: "boolean", description: "Whether it is pinned." } }
                    }
                  }
                }
              }
            }
          },
          "404": { $ref: "#/components/responses/NotFound" },
          "422": { $ref: "#/components/responses/UnprocessableEntity" }
        }
      }
    }
    writeFileSync(join(dir, "openapi.yaml"), stringify(contract))
    cpSync(join(root, "src"), join(dir, "src"), { recursive: true })
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir")
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }))
    execFileSync(process.execPath, [join(root, "codegen", "run.ts"), "--spec", join(dir, "openapi.yaml"), "--out", join(dir, "generated")], { stdio: "pipe" })

    writeFileSync(join(dir, "use.ts"), `
import * as Effect from "effect/Effect"
import { MemoryLayerClient, type PinNoteOptions } from "./src/index.ts"
import { MemoryLayer } from "./src/effect.ts"

const sent: Array<string> = []
const fetch = async (request: Request): Promise<Response> => {
  sent.push(\`\${request.method} \${new URL(request.url).pathname} \${await request.text()}\`)
  return Response.json({ note: { id: "n1", pinned: true } })
}
const options: PinNoteOptions = { reason: "on call" }
const client = new MemoryLayerClient({ fetch })
const note: { readonly id: string; readonly pinned: boolean } = await client.pinNote("n1", true, options)
const again = await client.pinNote("n1", { pinned: true })
const viaEffect = await Effect.runPromise(
  Effect.flatMap(Effect.service(MemoryLayer), (ml) => ml.pinNote("n1", true)).pipe(Effect.provide(MemoryLayer.layer({ fetch })))
)
const refused = await client.pinNote("n1", "yes" as never).catch((error: Error) => error.message)
await client.close()
console.log(JSON.stringify({ note, again, viaEffect, sent, refused }))
`)
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      extends: join(root, "tsconfig.json"),
      compilerOptions: { noEmit: true },
      include: ["src", "generated", "use.ts"]
    }))
    execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")], { stdio: "pipe" })
    const out = JSON.parse(execFileSync(process.execPath, [join(dir, "use.ts")], { cwd: dir, encoding: "utf8" })) as Record<string, unknown>
    expect(out["note"]).toEqual({ id: "n1", pinned: true })
    expect(out["again"]).toEqual({ id: "n1", pinned: true })
    expect(out["viaEffect"]).toEqual({ id: "n1", pinned: true })
    expect(out["sent"]).toEqual([
      "POST /v1/notes/n1/pin {\"pinned\":true,\"reason\":\"on call\"}",
      "POST /v1/notes/n1/pin {\"pinned\":true}",
      "POST /v1/notes/n1/pin {\"pinned\":true}"
    ])
    expect(out["refused"]).toBe("pinNote: invalid input: body.pinned: Expected boolean, got \"yes\"")
    const docs = readFileSync(join(dir, "generated", "facade.gen.ts"), "utf8")
    expect(docs).toContain("Keeps the note at the top of every briefing.")
    expect(readFileSync(join(dir, "generated", "types.gen.ts"), "utf8")).toContain("Why, for the audit log.")
  }, 120_000)
})
