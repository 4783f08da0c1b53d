/**
 * `npm run server`: a local memorylayer-server for development (the pinned
 * version, offline settings, installed into a virtual environment on first
 * use) on http://127.0.0.1:61001, the client's default URL, until Ctrl-C.
 *
 * ```sh
 * npm run server
 * npm run server -- --port 61002 --data ./memorylayer-data --cors-origins http://localhost:8080
 * ```
 */
import { resolve } from "node:path"
import { consoleOutput } from "./server/console-output.ts"
import { withLocalServer } from "./server/local-server.ts"
import { DEFAULT_CORS_ORIGINS, USAGE, readServerCommand } from "./server/server-command.ts"

const output = consoleOutput(process.stdout)

const main = async (): Promise<void> => {
  const command = readServerCommand(process.argv.slice(2), process.env)
  if (command === "help") return output.say(USAGE)
  const root = resolve(import.meta.dirname, "..")
  await withLocalServer({ root, output, ...command }, async (server) => {
    const storage = command.settings["MEMORYLAYER_SQLITE_STORAGE_PATH"]
    output.say(`  storage:      ${storage === undefined || storage === ":memory:" ? "in memory: nothing is kept when it stops" : storage}`)
    output.say(`  CORS origins: ${command.settings["MEMORYLAYER_SERVER_CORS_ALLOW_ORIGINS"] ?? DEFAULT_CORS_ORIGINS}`)
    output.say(`  log:          ${server.process.logFile}`)
    output.say(`Try it: MEMORYLAYER_URL=${server.url} npm start. Press Ctrl-C to stop it.`)
    server.process.keepAlive()
    const how = await server.process.exited
    throw new Error(`memorylayer-server ${how} on its own`)
  })
}

try {
  await main()
} catch (error) {
  console.error(`npm run server failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
}
