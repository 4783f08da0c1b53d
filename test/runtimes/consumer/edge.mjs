/**
 * Entry point for edge-runtime, bundled into one script: a fetch event
 * handler, as edge functions are written. A request to `/?prism=<url>` answers
 * with the report as JSON.
 */
import { check } from "./check.mjs"

addEventListener("fetch", (event) => {
  const baseUrl = new URL(event.request.url).searchParams.get("prism")
  const runtime = typeof EdgeRuntime === "string" ? EdgeRuntime : "not edge-runtime"
  event.respondWith(check(runtime, baseUrl).then((report) => Response.json(report)))
})
