/**
 * Every TypeScript block of the README type-checks as a user's program, under
 * a strict configuration, with the package's entry points mapped to this
 * repository's sources (the package tier does the same against the packed
 * declarations). Each block is its own module: it imports what it uses.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ENTRY_POINTS, readmeBlocks, root } from "../support/readme.ts"

const dir = join(root, ".cache", `readme-blocks-${process.pid}`)
const blocks = readmeBlocks()
/** tsc's diagnostics, by block file. */
const diagnostics = new Map<string, Array<string>>()

beforeAll(() => {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }))
  for (const block of blocks) writeFileSync(join(dir, `line-${block.line}.ts`), block.code)
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true,
      target: "ES2023",
      lib: ["ES2023", "DOM", "DOM.Iterable"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      types: ["node"],
      typeRoots: [join(root, "node_modules", "@types")],
      noEmit: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      paths: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, source]) => [name, [join(root, source)]]))
    },
    files: blocks.map((block) => `line-${block.line}.ts`)
  }))
  try {
    execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", dir, "--pretty", "false"], { cwd: dir, encoding: "utf8" })
  } catch (error) {
    const output = String((error as { stdout?: string }).stdout ?? error)
    for (const line of output.split("\n")) {
      const match = /^(?:.*\/)?(line-\d+\.ts)\((\d+),\d+\): (.*)$/.exec(line)
      if (match === null) continue
      const [, file, at, message] = match as unknown as [string, string, string, string]
      const readmeLine = Number(file.replace(/\D/g, "")) + Number(at)
      diagnostics.set(file, [...(diagnostics.get(file) ?? []), `README.md:${readmeLine}: ${message}`])
    }
    if (diagnostics.size === 0) throw new Error(`tsc failed outside the README's blocks:\n${output}`)
  }
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("the README's TypeScript blocks", () => {
  it("are there: the quickstart on both faces at least", () => {
    expect(blocks.filter((block) => block.section.startsWith("Quickstart")).length).toBeGreaterThanOrEqual(2)
  })

  it.each(blocks.map((block) => [block.name, block] as const))("%s type-checks", (_, block) => {
    expect(diagnostics.get(`line-${block.line}.ts`) ?? []).toEqual([])
  })
})
