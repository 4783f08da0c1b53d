/**
 * `npm start`: runs the quickstart against MEMORYLAYER_URL when it is set;
 * otherwise starts the bundled Prism mock of openapi.yaml, runs against it,
 * and stops it.
 */
import { fileURLToPath } from "node:url"
import { startPrism } from "../test/support/prism.ts"
import { quickstart } from "./quickstart.ts"

const url = process.env["MEMORYLAYER_URL"]
if (url !== undefined && url !== "") {
  console.log(`Running the quickstart against ${url}`)
  await quickstart(url, process.env["MEMORYLAYER_API_KEY"])
} else {
  const contract = fileURLToPath(new URL("../openapi.yaml", import.meta.url))
  const mock = await startPrism("mock", [contract, "--dynamic=false"])
  console.log(`MEMORYLAYER_URL is not set: running the quickstart against a Prism mock of openapi.yaml at ${mock.url}`)
  try {
    await quickstart(mock.url)
  } finally {
    await mock.stop()
  }
}
