/**
 * `npm start`: runs the quickstart against MEMORYLAYER_URL when it is set;
 * otherwise against a local memorylayer-server (the pinned version, offline
 * settings), installed into a virtual environment on first use, started, and
 * stopped afterwards; and only when no Python can run that server, against a
 * Prism mock of openapi.yaml, saying so on every line.
 */
import { resolve } from "node:path"
import { chooseTarget, runQuickstart } from "../scripts/quickstart-runner.ts"

const root = resolve(import.meta.dirname, "..")

try {
  await runQuickstart(await chooseTarget(process.env, root), root, process.stdout)
} catch (error) {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
}
