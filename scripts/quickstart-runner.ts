/**
 * What `npm start` runs the quickstart against, and running it there:
 * MEMORYLAYER_URL when set; else a local memorylayer-server it starts and
 * stops; and only when no Python can run one, a Prism mock of openapi.yaml,
 * with every line it prints saying so.
 */
import { join } from "node:path"
import { quickstart } from "../examples/quickstart.ts"
import { startPrism } from "./prism.ts"
import { consoleOutput, type OutputStream } from "./server/console-output.ts"
import { onInterrupt } from "./server/interrupt.ts"
import { withLocalServer } from "./server/local-server.ts"
import { OFFLINE_SETTINGS } from "./server/memorylayer-server.ts"
import { MINIMUM_PYTHON, PythonNotFoundError, findPython } from "./server/python.ts"
import { MEMORYLAYER_SERVER_VERSION, installedServerVersion, venvPython } from "./server/venv.ts"

/** Where the quickstart runs. */
export type QuickstartTarget =
  | { readonly kind: "url"; readonly url: string; readonly apiKey: string | undefined }
  | { readonly kind: "local" }
  | { readonly kind: "mock"; readonly reason: string }

/** Every line the quickstart prints against the mock starts with this. */
export const MOCK_PREFIX = "[mock] "

/**
 * Chooses the target: `MEMORYLAYER_URL` when set; a local server when the
 * virtual environment in `root` already holds it or a Python that can install
 * it is found; otherwise the mock, with the reason.
 */
export const chooseTarget = async (env: NodeJS.ProcessEnv, root: string): Promise<QuickstartTarget> => {
  const url = env["MEMORYLAYER_URL"]
  if (url !== undefined && url !== "") return { kind: "url", url, apiKey: env["MEMORYLAYER_API_KEY"] }
  if ((await installedServerVersion(venvPython(root))) === MEMORYLAYER_SERVER_VERSION) return { kind: "local" }
  try {
    await findPython(env)
    return { kind: "local" }
  } catch (error) {
    if (!(error instanceof PythonNotFoundError)) throw error
    return { kind: "mock", reason: `no Python >= ${MINIMUM_PYTHON.join(".")} to run memorylayer-server was found (tried ${error.tried.join("; ")})` }
  }
}

/** Runs the quickstart against `target`, printing to `stream`; a server or mock it starts is stopped before this settles. */
export const runQuickstart = async (target: QuickstartTarget, root: string, stream: OutputStream): Promise<void> => {
  switch (target.kind) {
    case "url": {
      const { say } = consoleOutput(stream)
      say(`Running the quickstart against ${target.url}`)
      return quickstart(target.url, target.apiKey, say)
    }
    case "local": {
      const output = consoleOutput(stream)
      const settings = `${OFFLINE_SETTINGS.MEMORYLAYER_STORAGE_BACKEND} in memory, ${OFFLINE_SETTINGS.MEMORYLAYER_EMBEDDING_PROVIDER} embeddings, no LLM`
      output.say(`MEMORYLAYER_URL is not set: starting a local memorylayer-server ${MEMORYLAYER_SERVER_VERSION} (${settings})`)
      return withLocalServer({ root, output }, (server) => {
        output.say(`Running the quickstart against ${server.url}`)
        return quickstart(server.url, undefined, output.say)
      })
    }
    case "mock": {
      const { say } = consoleOutput(stream, MOCK_PREFIX)
      say(`MEMORYLAYER_URL is not set and ${target.reason}.`)
      say("Running against a Prism mock of openapi.yaml instead: its answers are canned examples, not what a server would say.")
      say(`For a real server, install Python >= ${MINIMUM_PYTHON.join(".")} and run npm start again, or set MEMORYLAYER_URL.`)
      const mock = await startPrism("mock", [join(root, "openapi.yaml"), "--dynamic=false"])
      const removeHandlers = onInterrupt(() => mock.stop())
      try {
        say(`Running the quickstart against the mock at ${mock.url}`)
        await quickstart(mock.url, undefined, say)
      } finally {
        removeHandlers()
        await mock.stop()
        say("Stopped the mock")
      }
    }
  }
}
