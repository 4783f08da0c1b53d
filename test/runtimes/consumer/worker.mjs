/**
 * Entry point for workerd, bundled into one ES module worker. Its `test`
 * handler (run by `workerd test`) prints `RESULT {json}` and throws when the
 * check failed; the Prism URL comes from the `PRISM_URL` text binding.
 */
import { check } from "./check.mjs"

export default {
  async test(_controller, env) {
    const report = await check(navigator.userAgent, env.PRISM_URL)
    console.log(`RESULT ${JSON.stringify(report)}`)
    if (!report.ok) throw new Error("the runtime check failed")
  }
}
