/**
 * The command line of `npm run server`: its options, its usage text, and
 * what they mean for the server.
 */
import { resolve } from "node:path"
import { parseArgs } from "node:util"
import { MEMORYLAYER_SERVER_VERSION } from "./venv.ts"

/** The server's own default port, which is also the client's default `baseUrl`. */
export const DEFAULT_PORT = 61001

/** memorylayer-server 0.2.0's `MEMORYLAYER_SERVER_CORS_ALLOW_ORIGINS` default. */
export const DEFAULT_CORS_ORIGINS = "http://localhost:3000, http://localhost:5173, http://127.0.0.1:3000"

/** What `npm run server -- --help` prints. */
export const USAGE = `Usage: npm run server [-- --port N] [--data DIR] [--cors-origins ORIGINS]

Runs memorylayer-server ${MEMORYLAYER_SERVER_VERSION} on 127.0.0.1 with offline settings (SQLite, hash
embeddings, no LLM) until Ctrl-C.

  --port N                where it listens (default: MEMORYLAYER_SERVER_PORT, else ${DEFAULT_PORT})
  --data DIR              keep its data in DIR across restarts (default: in memory, gone when it stops)
  --cors-origins ORIGINS  comma-separated origins browsers may call it from
                          (default: ${DEFAULT_CORS_ORIGINS})

Any other MEMORYLAYER_* variable in the environment is passed to the server.`

/** The command line and environment, read into what the server is started with. */
export interface ServerCommand {
  readonly port: number
  readonly dataDir: string | undefined
  readonly settings: NodeJS.ProcessEnv
}

/**
 * Reads the command line and the environment. Relative paths are taken from
 * the folder npm was run in.
 *
 * @throws With the usage when an argument is unknown or a port is not a port.
 */
export const readServerCommand = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): ServerCommand | "help" => {
  const options = {
    port: { type: "string" },
    data: { type: "string" },
    "cors-origins": { type: "string" },
    help: { type: "boolean", short: "h" }
  } as const
  let values: ReturnType<typeof parseArgs<{ args: Array<string>; options: typeof options }>>["values"]
  try {
    values = parseArgs({ args: [...args], options }).values
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`)
  }
  if (values.help === true) return "help"
  const portText = values.port ?? env["MEMORYLAYER_SERVER_PORT"] ?? String(DEFAULT_PORT)
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new Error(`--port: not a port: ${portText}\n\n${USAGE}`)
  const dataDir = values.data === undefined ? undefined : resolve(env["INIT_CWD"] ?? process.cwd(), values.data)
  const passed = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith("MEMORYLAYER_")))
  return {
    port,
    dataDir,
    settings: {
      ...passed,
      ...(dataDir === undefined ? {} : { MEMORYLAYER_SQLITE_STORAGE_PATH: resolve(dataDir, "memorylayer.db") }),
      ...(values["cors-origins"] === undefined ? {} : { MEMORYLAYER_SERVER_CORS_ALLOW_ORIGINS: values["cors-origins"] })
    }
  }
}
