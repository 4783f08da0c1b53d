/**
 * Entry point for the runtimes that run the installed consumer as it is
 * (Node, Bun, Deno): `<runtime> main.mjs <prism-url>` prints one line
 * `RESULT {json}` and exits non-zero when the check failed.
 */
import { check } from "./check.mjs"

const deno = globalThis.Deno
const bun = globalThis.Bun
const runtime = deno !== undefined ? `deno ${deno.version.deno}` : bun !== undefined ? `bun ${bun.version}` : `node ${process.versions.node}`
const [baseUrl] = deno !== undefined ? deno.args : process.argv.slice(2)

const report = await check(runtime, baseUrl)
console.log(`RESULT ${JSON.stringify(report)}`)
if (!report.ok) {
  if (deno !== undefined) deno.exit(1)
  else process.exit(1)
}
