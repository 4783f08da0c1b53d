/**
 * The README's TypeScript blocks, as the tests that keep them true read them:
 * every ```ts block is a whole program. The unit tier type-checks each one
 * against the sources (test/unit/readme-blocks.test.ts), the package tier
 * against the packed declarations (test/package/packed.test.ts); blocks that
 * import `memorylayer-client/testing` run in the unit tier, the others run in
 * the e2e tier against the real server (test/e2e/readme.test.ts).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"

export const root = resolve(import.meta.dirname, "..", "..")

/** One ```ts block of README.md. */
export interface ReadmeBlock {
  /** The line of its opening fence, 1-based. */
  readonly line: number
  /** The `## ` section it is in. */
  readonly section: string
  readonly code: string
  /** A short name for test titles: `README.md:57 (Quickstart)`. */
  readonly name: string
}

/** Every ```ts block of README.md, in order. */
export const readmeBlocks = (): ReadonlyArray<ReadmeBlock> => {
  const readme = readFileSync(join(root, "README.md"), "utf8")
  const blocks: Array<ReadmeBlock> = []
  let section = ""
  const lines = readme.split("\n")
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] as string
    if (text.startsWith("## ")) section = text.slice(3).trim()
    if (/^```(ts|typescript)\s*$/.test(text)) {
      const start = i
      const body: Array<string> = []
      for (i++; i < lines.length && !/^```\s*$/.test(lines[i] as string); i++) body.push(lines[i] as string)
      blocks.push({ line: start + 1, section, code: body.join("\n") + "\n", name: `README.md:${start + 1} (${section})` })
    }
  }
  return blocks
}

/** The package's entry points and the sources they are built from. */
export const ENTRY_POINTS: Readonly<Record<string, string>> = {
  "memorylayer-client": "src/index.ts",
  "memorylayer-client/effect": "src/effect.ts",
  "memorylayer-client/testing": "src/testing.ts"
}

/** Whether the block is an example of the test double (it runs without a server). */
export const usesTestDouble = (block: ReadmeBlock): boolean => block.code.includes(`from "memorylayer-client/testing"`)

/** The block with the package's entry points replaced by file URLs of this repository's sources. */
export const withSources = (code: string): string =>
  code.replace(/from "(memorylayer-client(?:\/[a-z]+)?)"/g, (whole, name: string) => {
    const source = ENTRY_POINTS[name]
    return source === undefined ? whole : `from ${JSON.stringify(pathToFileURL(join(root, source)).href)}`
  })

/** Runs `code` as a module (a file under .cache/, removed afterwards) and waits for its top-level work. */
export const runModule = async (dir: string, name: string, code: string): Promise<void> => {
  const folder = join(root, ".cache", dir)
  mkdirSync(folder, { recursive: true })
  const file = join(folder, `${name}-${process.pid}.ts`)
  writeFileSync(file, code)
  try {
    await import(pathToFileURL(file).href)
  } finally {
    rmSync(file, { force: true })
  }
}
