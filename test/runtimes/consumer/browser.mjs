/**
 * Entry point for the browser, bundled with the package and its dependencies:
 * the page is opened as `/?prism=<url>` and posts its report to `/result` on
 * the server that served it (Prism itself is reached cross-origin, through CORS).
 */
import { check } from "./check.mjs"

const send = (report) => fetch("/result", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(report) })
const chrome = /(HeadlessChrome|Chrome)\/([\d.]+)/.exec(navigator.userAgent)
const runtime = chrome === null ? navigator.userAgent : `${chrome[1]} ${chrome[2]}`

addEventListener("error", (event) => void send({ ok: false, runtime, error: String(event.error?.stack ?? event.message) }))
addEventListener("unhandledrejection", (event) => void send({ ok: false, runtime, error: String(event.reason?.stack ?? event.reason) }))

const baseUrl = new URL(location.href).searchParams.get("prism")
void check(runtime, baseUrl).then(send)
