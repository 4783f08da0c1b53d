/**
 * The examples of the README's "Testing your agent without a server" section
 * are programs: each TypeScript block there runs as written (its assertions
 * included), with the package's entry points resolved to this repository's
 * sources.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { describe, expect, it } from "vitest"

const root = resolve(import.meta.dirname, "..", "..")
const SECTION = "## Testing your agent without a server"

/** The ```ts blocks between the section's heading and the next `## ` heading. */
const blocks = (): Array<string> => {
  const readme = readFileSync(join(root, "README.md"), "utf8")
  const start = readme.indexOf(`${SECTION}\n`)
  if (start === -1) throw new Error(`README.md has no "${SECTION}" section`)
  const end = readme.indexOf("\n## ", start + SECTION.length)
  const section = readme.slice(start, end === -1 ? undefined : end)
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string)
}

const ENTRY_POINTS: Readonly<Record<string, string>> = {
  "memorylayer-client": "src/index.ts",
  "memorylayer-client/effect": "src/effect.ts",
  "memorylayer-client/testing": "src/testing.ts"
}

/** The block with the package's entry points pointing at this repository's sources. */
const resolved = (code: string): string =>
  code.replace(/from "(memorylayer-client(?:\/[a-z]+)?)"/g, (whole, name: string) => {
    const source = ENTRY_POINTS[name]
    return source === undefined ? whole : `from ${JSON.stringify(pathToFileURL(join(root, source)).href)}`
  })

describe("the README's examples of memorylayer-client/testing", () => {
  const examples = blocks()

  it("has one example per face and one of the shared server", () => {
    expect(examples).toHaveLength(3)
    expect(examples.map((code) => code.includes("createTestClient") || code.includes("layerTest"))).toEqual([true, true, true])
  })

  it.each(examples.map((code, i) => [i + 1, code] as const))("example %i runs as written and its assertions hold", async (i, code) => {
    const dir = join(root, ".cache", "readme-testing")
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `example-${i}-${process.pid}.ts`)
    writeFileSync(file, resolved(code))
    try {
      await import(pathToFileURL(file).href)
    } finally {
      rmSync(file, { force: true })
    }
  })
})
