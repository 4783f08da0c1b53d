/**
 * Runs the edge bundle of the runtime matrix inside edge-runtime's EdgeVM (the
 * sandbox Vercel uses to emulate its Edge runtime: web APIs only, no Node
 * globals, no `eval`): `node edge-runner.ts <bundle.js> <prism-url>` sends the
 * bundle's fetch handler one request and prints `RESULT {json}` with its
 * report, the runtime named with edge-runtime's version. Exits non-zero when
 * the check failed.
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { EdgeRuntime } from "edge-runtime"

const [bundle, baseUrl] = process.argv.slice(2)
if (bundle === undefined || baseUrl === undefined) throw new Error("usage: node edge-runner.ts <bundle.js> <prism-url>")

const { version } = createRequire(import.meta.url)("edge-runtime/package.json") as { version: string }
const runtime = new EdgeRuntime({ initialCode: readFileSync(bundle, "utf8") })
const response = await runtime.dispatchFetch(`http://edge-runtime.test/?prism=${encodeURIComponent(baseUrl)}`)
const report = (await response.json()) as { ok: boolean; runtime: string }
console.log(`RESULT ${JSON.stringify({ ...report, runtime: `${report.runtime} ${version}` })}`)
process.exitCode = report.ok ? 0 : 1
