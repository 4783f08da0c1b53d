/**
 * The package as users get it: `npm pack`, installed into an empty project,
 * imported by name from JavaScript and type-checked from TypeScript.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { readmeBlocks } from "../support/readme.ts"

const root = fileURLToPath(new URL("../..", import.meta.url))
const METHODS = [
  "remember", "recall", "reflect", "getMemory", "updateMemory", "forget", "decay", "traceMemory", "batchMemories",
  "associate", "getAssociations", "createSession", "getSession", "setSession", "getSessionId", "clearSession",
  "setContext", "getContext", "commitSession", "touchSession", "deleteSession", "createWorkspace", "getWorkspace",
  "updateWorkspace", "getWorkspaceSchema", "getBriefing", "contextExec", "contextInspect", "contextLoad",
  "contextInject", "contextQuery", "contextRlm", "contextStatus", "contextCheckpoint", "contextCleanup"
]

let project = ""
/** What `npm install` of the tarball printed on stderr (warnings). */
let installWarnings = ""
const env = { ...process.env, npm_config_audit: "false", npm_config_fund: "false" }
const run = (file: string, args: ReadonlyArray<string>, cwd: string): string =>
  execFileSync(file, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env })

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "memorylayer-client-packed-"))
  run("npm", ["pack", "--silent", "--pack-destination", project], root)
  const tarball = readdirSync(project).find((f) => f.endsWith(".tgz"))
  if (tarball === undefined) throw new Error("npm pack produced no tarball")
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }))
  // @types/node 22: the README's blocks must type-check for a user on the oldest Node the package supports.
  const install = spawnSync("npm", ["install", "--loglevel=warn", join(project, tarball), "@types/node@22"], { cwd: project, encoding: "utf8", env })
  if (install.status !== 0) throw new Error(`npm install of the tarball failed:\n${install.stderr}`)
  installWarnings = install.stderr
}, 300_000)

afterAll(() => {
  if (project !== "") rmSync(project, { recursive: true, force: true })
})

describe("the packed package in an empty project", () => {
  it(`installs on Node ${process.versions.node} without an engine warning`, () => {
    expect(installWarnings).not.toContain("EBADENGINE")
  })

  it("ships the Apache-2.0 license text", () => {
    const license = readFileSync(join(project, "node_modules", "memorylayer-client", "LICENSE"), "utf8")
    expect(license).toContain("Apache License\n                           Version 2.0, January 2004")
    expect(license).toContain("END OF TERMS AND CONDITIONS")
  })

  it("ships source maps that resolve: each script's map is in the package and embeds every source it names, as in the repository", () => {
    const pkg = join(project, "node_modules", "memorylayer-client")
    const shipped = readdirSync(pkg, { recursive: true, encoding: "utf8" }).map((f) => f.split("\\").join("/"))
    const scripts = shipped.filter((f) => /\.(js|d\.ts)$/.test(f))
    const problems: Array<string> = []
    let sources = 0
    for (const script of scripts) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(pkg, script), "utf8"))?.[1]
      if (url === undefined) {
        if (script.endsWith(".js")) problems.push(`${script}: no sourceMappingURL`)
        continue
      }
      const mapFile = join(dirname(join(pkg, script)), url)
      if (!existsSync(mapFile)) {
        problems.push(`${script}: its map ${url} is not in the package`)
        continue
      }
      const map = JSON.parse(readFileSync(mapFile, "utf8")) as { sources: Array<string>; sourcesContent?: Array<string | null> }
      map.sources.forEach((source, i) => {
        sources++
        const content = map.sourcesContent?.[i]
        // The repository file the source names, as it is beside dist/ here.
        const original = resolve(root, relative(pkg, dirname(mapFile)), source)
        if (typeof content !== "string") problems.push(`${url}: ${source} has no sourcesContent`)
        else if (!existsSync(original) || readFileSync(original, "utf8") !== content) problems.push(`${url}: ${source} differs from the repository's file`)
      })
    }
    console.log(`source maps: ${scripts.filter((f) => f.endsWith(".js")).length} scripts, ${sources} sources embedded`)
    expect(problems).toEqual([])
    expect(sources).toBeGreaterThan(0)
  })

  it("imports by name and has the seed's 35 methods on the client and on the service", () => {
    writeFileSync(join(project, "check.mjs"), `
      import { MemoryLayerClient, NotFoundError, MemoryType, RelationshipType } from "memorylayer-client"
      import { MemoryLayer } from "memorylayer-client/effect"
      import * as Effect from "effect/Effect"
      const client = new MemoryLayerClient({ apiKey: "sk-packed" })
      const service = Effect.runSync(Effect.service(MemoryLayer).pipe(Effect.provide(MemoryLayer.layer())))
      console.log(JSON.stringify({
        client: ${JSON.stringify(METHODS)}.filter((m) => typeof client[m] === "function"),
        service: Object.keys(service).filter((m) => typeof service[m] === "function"),
        notFound: new NotFoundError({ message: "x", statusCode: 404 }) instanceof Error,
        semantic: MemoryType.SEMANTIC,
        solvedBy: RelationshipType.SOLVED_BY
      }))
    `)
    const result = JSON.parse(run(process.execPath, ["check.mjs"], project)) as Record<string, unknown>
    expect(result["client"]).toEqual(METHODS)
    expect(result["service"]).toEqual(expect.arrayContaining([...METHODS]))
    expect(result).toMatchObject({ notFound: true, semantic: "semantic", solvedBy: "solved_by" })
  })

  it("memorylayer-client/testing imports by name and serves both faces from memory", () => {
    writeFileSync(join(project, "check-testing.mjs"), `
      import { NotFoundError } from "memorylayer-client"
      import { MemoryLayer } from "memorylayer-client/effect"
      import { createTestClient, createTestServer, layerTest, MemoryLayerTestServer } from "memorylayer-client/testing"
      import * as Effect from "effect/Effect"
      const client = createTestClient({ seed: 1 })
      const stored = await client.remember("Deploys run from scripts/deploy.sh", { tags: ["Ops"] })
      const recalled = (await client.recall("deploy")).memories.map((m) => m.id)
      const missing = await client.getMemory("mem_0000000000000000").catch((e) => e instanceof NotFoundError)
      const effect = await Effect.runPromise(Effect.gen(function*() {
        const ml = yield* MemoryLayer
        yield* ml.remember("Effect side")
        return (yield* MemoryLayerTestServer).memories().map((m) => m.content)
      }).pipe(Effect.provide(layerTest())))
      console.log(JSON.stringify({
        stored: [stored.content, stored.tags, stored.id === recalled[0]],
        inspected: client.testServer.memories().length,
        missing,
        effect,
        server: typeof createTestServer().fetch
      }))
      await client.close()
    `)
    const result = JSON.parse(run(process.execPath, ["check-testing.mjs"], project)) as Record<string, unknown>
    expect(result).toEqual({
      stored: ["Deploys run from scripts/deploy.sh", ["ops"], true],
      inspected: 1,
      missing: true,
      effect: ["Effect side"],
      server: "function"
    })
  })

  it("type-checks a TypeScript consumer against the published declarations", () => {
    writeFileSync(join(project, "consumer.ts"), `
      import { MemoryLayerClient, NotFoundError, MemoryType, type Memory, type OperationError as PromiseFaceError } from "memorylayer-client"
      import { MemoryLayer, type OperationError, type OperationId } from "memorylayer-client/effect"
      import { createTestClient, layerTest, type TestClient, type TestServer } from "memorylayer-client/testing"
      import * as Effect from "effect/Effect"
      import type * as Layer from "effect/Layer"
      const client = new MemoryLayerClient({ baseUrl: "http://localhost:61001" })
      export const testClient: TestClient = createTestClient({ seed: 1, workspaceId: "ws" })
      export const testServer: TestServer = testClient.testServer
      export const asClient: MemoryLayerClient = testClient
      export const testLayer: Layer.Layer<MemoryLayer, unknown> = layerTest({ server: testServer })
      export const stored: Promise<Memory> = client.remember("x", { type: MemoryType.SEMANTIC, importance: 0.5 })
      export const program = Effect.gen(function*() {
        const ml = yield* MemoryLayer
        return yield* ml.getMemory("mem_1").pipe(Effect.catchTag("NotFoundError", (e: NotFoundError) => Effect.succeed(e.statusCode)))
      })
      // A helper over any operation's errors names the operation's id type.
      export const tagOf = <Id extends OperationId>(error: OperationError<Id>): string => error._tag
      export const getMemoryTag = (error: OperationError<"getMemory">): string => tagOf(error)
      export const sameOnBothEntries = (error: PromiseFaceError<"getMemory">): OperationError<"getMemory"> => error
    `)
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({
      compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2023", lib: ["ES2023", "DOM"], noEmit: true, skipLibCheck: true, types: [] },
      files: ["consumer.ts"]
    }))
    expect(() => run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], project)).not.toThrow()
  })

  it("type-checks every TypeScript block of the README as a user's program (@types/node 22, the DOM lib)", () => {
    const blocks = readmeBlocks()
    const dir = join(project, "readme")
    mkdirSync(dir, { recursive: true })
    for (const block of blocks) writeFileSync(join(dir, `line-${block.line}.ts`), block.code)
    writeFileSync(join(project, "tsconfig.readme.json"), JSON.stringify({
      compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2023", lib: ["ES2023", "DOM", "DOM.Iterable"], noEmit: true, skipLibCheck: true, types: ["node"] },
      files: blocks.map((block) => `readme/line-${block.line}.ts`)
    }))
    const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.readme.json", "--pretty", "false"], { cwd: project, encoding: "utf8" })
    expect(tsc.stdout.split("\n").filter((line) => line.includes("error TS"))).toEqual([])
    expect(blocks.length).toBeGreaterThan(10)
  })
})
