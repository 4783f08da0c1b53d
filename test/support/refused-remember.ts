/**
 * Run by another runtime (Deno) from the repository: `remember` against a
 * base URL where nothing listens, with the default retries, counting the
 * attempts its fetch saw. Prints `RESULT {json}` with the error's class,
 * `requestSent` and that count.
 */
import { MemoryLayerClient } from "../../src/index.ts"

const baseUrl = (globalThis as { readonly Deno?: { readonly args: ReadonlyArray<string> } }).Deno?.args[0] ?? process.argv[2]
if (baseUrl === undefined) throw new Error("usage: refused-remember.ts <base-url>")
let attempts = 0
const client = new MemoryLayerClient({
  baseUrl,
  fetch: (request, init) => {
    attempts++
    return fetch(request, init)
  }
})
const error = (await client.remember("x").then(() => undefined, (e: unknown) => e)) as { readonly name?: string; readonly requestSent?: boolean } | undefined
await client.close()
console.log(`RESULT ${JSON.stringify({ name: error?.name, requestSent: error?.requestSent, attempts })}`)
