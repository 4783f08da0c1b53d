/**
 * The runtime matrix: the package as users get it (`npm pack`, installed by
 * name into an empty project) on Node 22, Node 24, Bun, Deno, headless
 * Chromium, edge-runtime and workerd, each against one Prism mock of
 * openapi.yaml. Every runtime runs the same check (consumer/check.mjs):
 * remember, recall and getMemory through the Promise client, a client-side
 * ValidationError caught by `instanceof` and `_tag`, and a program on the
 * `memorylayer-client/effect` entry that calls getMemory and catches the same
 * error by tag. Its report must carry exactly the ids Prism answers for those
 * calls. Each test prints the runtime's result line.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { isDeepStrictEqual } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type PrismServer, startPrism } from "../../scripts/prism.ts"
import { runInChromium } from "./browser.ts"
import { type Consumer, prepareConsumer } from "./consumer.ts"
import { type RunOutput, runProcess } from "./processes.ts"

const root = fileURLToPath(new URL("../..", import.meta.url))
const RUN_TIMEOUT_MS = 60_000

/** What consumer/check.mjs reports. */
interface Report {
  readonly ok: boolean
  readonly runtime: string
  readonly error?: string
  readonly remember?: string
  readonly recall?: ReadonlyArray<string>
  readonly getMemory?: string
  readonly validationError?: {
    readonly instanceOfValidationError: boolean
    readonly instanceOfError: boolean
    readonly tag: string
    readonly fields: ReadonlyArray<string>
  }
  readonly effect?: { readonly getMemory: string; readonly caught: string }
}

const fromRoot = createRequire(join(root, "package.json"))

/** The file that `pkg`'s `bin` entry `name` points to, as installed for `from`. */
const binOf = (pkg: string, name: string, from = fromRoot): string => {
  const manifest = from.resolve(`${pkg}/package.json`)
  const { bin } = JSON.parse(readFileSync(manifest, "utf8")) as { bin?: string | Record<string, string> }
  const file = typeof bin === "string" ? bin : bin?.[name]
  if (file === undefined) throw new Error(`${pkg} has no bin named ${name}`)
  return join(dirname(manifest), file)
}

// Node 22 is installed in its own folder (its package's bin is also named `node`), Node 24 is the project's pin.
const node22 = binOf("node", "node", createRequire(join(root, "test/runtimes/node22/package.json")))
const node24 = binOf("node", "node")
const workerd = fromRoot("workerd") as { readonly default: string; readonly compatibilityDate: string; readonly version: string }

let consumer: Consumer
let prism: PrismServer
let expected: Omit<Report, "runtime">

/** Prism's own answer to one request, as JSON. */
const askPrism = async (method: string, path: string, body?: unknown): Promise<unknown> => {
  const response = await fetch(`${prism.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body)
  })
  if (!response.ok) throw new Error(`Prism answered ${method} ${path} with ${response.status}: ${await response.text()}`)
  return response.json()
}

beforeAll(async () => {
  const started = await Promise.all([
    prepareConsumer(),
    startPrism("mock", [join(root, "openapi.yaml"), "--errors", "--dynamic=false", "--verboseLevel=warn"])
  ])
  consumer = started[0]
  prism = started[1]
  // What the check must see: the memories Prism serves for these calls, asked for without the SDK.
  const stored = (await askPrism("POST", "/v1/memories", { content: "Deploys run from scripts/deploy.sh" })) as { memory: { id: string } }
  const recalled = (await askPrism("POST", "/v1/memories/recall", { query: "how do we deploy?" })) as { memories: Array<{ id: string }> }
  const fetched = (await askPrism("GET", `/v1/memories/${encodeURIComponent(stored.memory.id)}`)) as { memory: { id: string } }
  expected = {
    ok: true,
    remember: stored.memory.id,
    recall: recalled.memories.map((memory) => memory.id),
    getMemory: fetched.memory.id,
    validationError: { instanceOfValidationError: true, instanceOfError: true, tag: "ValidationError", fields: ["importance"] },
    effect: { getMemory: fetched.memory.id, caught: "ValidationError on importance" }
  }
}, 300_000)

afterAll(async () => {
  await prism?.stop()
  if (consumer !== undefined) rmSync(consumer.dir, { recursive: true, force: true })
})

/** The `RESULT {json}` line a runtime printed, or an error with everything it printed. */
const reportOf = (name: string, run: RunOutput): Report => {
  const line = run.stdout.split("\n").find((l) => l.startsWith("RESULT "))
  if (line === undefined) {
    const how = run.timedOut ? `was killed after ${RUN_TIMEOUT_MS} ms` : `exited with ${run.code ?? run.signal}`
    throw new Error(`${name} printed no result and ${how}\nstdout:\n${run.stdout.slice(-4_000)}\nstderr:\n${run.stderr.slice(-4_000)}`)
  }
  return JSON.parse(line.slice("RESULT ".length)) as Report
}

/**
 * Prints the runtime's result line (under `label`, else the name the runtime
 * gave itself), then requires its report to be exactly the expected one.
 */
const verify = (report: Report, runtime: RegExp, startedAt: number, label?: string): void => {
  const seconds = ((performance.now() - startedAt) / 1_000).toFixed(1)
  const { runtime: self, ...rest } = report
  const name = label ?? self
  const passed = runtime.test(self) && isDeepStrictEqual(rest, expected)
  console.log(
    passed
      ? `${name}: passed in ${seconds} s: remember ${report.remember}, recall ${report.recall?.length} memories, getMemory ${report.getMemory}, ` +
          `ValidationError on ${report.validationError?.fields.join(",")} (instanceof and _tag), ` +
          `Effect entry: getMemory ${report.effect?.getMemory}, catchTag ${report.effect?.caught}`
      : `${name}: FAILED in ${seconds} s: ${report.error?.split("\n")[0] ?? "its report differs from Prism's answers"}`
  )
  expect(report).toEqual({ ...expected, runtime: expect.stringMatching(runtime) })
}

describe("the packed package on each runtime, against a Prism mock of openapi.yaml", () => {
  const runMain = async (name: string, file: string, args: ReadonlyArray<string>, env?: NodeJS.ProcessEnv): Promise<Report> =>
    reportOf(name, await runProcess(file, [...args, "main.mjs", prism.url], { cwd: consumer.dir, env: { ...process.env, ...env }, timeoutMs: RUN_TIMEOUT_MS }))

  it("Node 22 runs the installed consumer", async () => {
    const startedAt = performance.now()
    verify(await runMain("Node 22", node22, []), /^node 22\./, startedAt)
  })

  it("Node 24 runs the installed consumer", async () => {
    const startedAt = performance.now()
    verify(await runMain("Node 24", node24, []), /^node 24\./, startedAt)
  })

  it("Bun runs the installed consumer with bun run", async () => {
    const startedAt = performance.now()
    verify(await runMain("Bun", binOf("bun", "bun"), ["run"]), /^bun \d/, startedAt)
  })

  it("Deno runs the installed consumer with network access to Prism only", async () => {
    const startedAt = performance.now()
    const { host } = new URL(prism.url)
    const report = await runMain(
      "Deno",
      process.execPath,
      [binOf("deno", "deno"), "run", "--no-prompt", "--no-lock", "--node-modules-dir=manual", `--allow-net=${host}`],
      { DENO_DIR: join(consumer.dir, ".deno"), DENO_NO_UPDATE_CHECK: "1" }
    )
    verify(report, /^deno \d/, startedAt)
  })

  it("headless Chromium runs the bundle in a page, reaching Prism cross-origin", async () => {
    const startedAt = performance.now()
    const report = JSON.parse(await runInChromium(consumer.bundles.browser, prism.url, RUN_TIMEOUT_MS)) as Report
    verify(report, /^HeadlessChrome \d/, startedAt)
  })

  it("edge-runtime runs the bundle as a fetch handler in its EdgeVM", async () => {
    const startedAt = performance.now()
    const runner = fileURLToPath(new URL("edge-runner.ts", import.meta.url))
    const run = await runProcess(node24, [runner, consumer.bundles.edge, prism.url], { cwd: consumer.dir, timeoutMs: RUN_TIMEOUT_MS })
    verify(reportOf("edge-runtime", run), /^edge-runtime \d/, startedAt)
  })

  it("workerd runs the bundle as a module worker whose only outbound network is loopback", async () => {
    const startedAt = performance.now()
    const config = join(dirname(consumer.bundles.worker), "workerd.capnp")
    writeFileSync(config, workerdConfig(consumer.bundles.worker, prism.url, workerd.compatibilityDate))
    const run = await runProcess(workerd.default, ["test", config], { cwd: dirname(config), timeoutMs: RUN_TIMEOUT_MS })
    const report = reportOf("workerd", run)
    verify(report, /^Cloudflare-Workers$/, startedAt, `workerd ${workerd.version} (${report.runtime})`)
    expect(run.code).toBe(0)
  })
})

/**
 * A workerd config with one worker, the bundle, whose `test` handler
 * `workerd test` runs; its fetches may only reach loopback addresses, where
 * Prism listens.
 */
const workerdConfig = (bundle: string, prismUrl: string, compatibilityDate: string): string => `
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed ${JSON.stringify(bundle.split("/").at(-1))})],
  compatibilityDate = ${JSON.stringify(compatibilityDate)},
  bindings = [(name = "PRISM_URL", text = ${JSON.stringify(prismUrl)})],
  globalOutbound = "loopback",
);
`
