/**
 * The virtual environment that holds the pinned memorylayer-server.
 */
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import type { Output } from "./console-output.ts"
import { logTail, startProcessGroup } from "./process-group.ts"
import { findPython } from "./python.ts"

const run = promisify(execFile)

/** The memorylayer-server release `npm start`, `npm run server` and the e2e tests run; openapi.yaml was checked against it. */
export const MEMORYLAYER_SERVER_VERSION = "0.2.0"

/** The folder, in the repository root and ignored by git, that holds the virtual environment. */
export const VENV_FOLDER = ".venv-server"

/** The Python of the virtual environment in `root`. */
export const venvPython = (root: string): string => join(root, VENV_FOLDER, "bin", "python")

/** The memorylayer-server version installed for `python`, or undefined when there is none (or no Python). */
export const installedServerVersion = async (python: string): Promise<string | undefined> => {
  try {
    const { stdout } = await run(
      python,
      ["-c", "import importlib.metadata as m; print(m.version('memorylayer-server'))"],
      { timeout: 20_000 }
    )
    return stdout.trim()
  } catch {
    return undefined
  }
}

/**
 * How far pip has got, read from its output: how many packages it has
 * collected, then that it is installing them.
 */
export const pipProgress = (pipOutput: string): string => {
  const collected = pipOutput.match(/^Collecting /gm)?.length ?? 0
  if (/^Installing collected packages/m.test(pipOutput)) return `installing ${collected} packages`
  if (collected === 0) return "starting pip"
  return `${collected} packages downloaded`
}

const readText = (file: string): string => {
  try {
    return readFileSync(file, "utf8")
  } catch {
    return ""
  }
}

/**
 * Runs a command in its own process group (so that nothing it starts
 * outlives this process) with its output appended to `logFile`; rejects with
 * the log tail when it fails. While it runs, `onTick` is called every second.
 */
const runLogged = async (
  command: string,
  args: ReadonlyArray<string>,
  cwd: string,
  logFile: string,
  onTick: () => void
): Promise<void> => {
  const child = startProcessGroup({ name: command, command, args, cwd, env: process.env, logFile })
  const ticker = setInterval(onTick, 1_000)
  const how = await child.exited
  clearInterval(ticker)
  await child.stop()
  if (child.exitCode() !== 0) throw new Error(`\`${command} ${args.join(" ")}\` ${how}. Log ${logFile}:\n${logTail(logFile)}`)
}

/**
 * Makes sure `<root>/.venv-server` holds memorylayer-server
 * {@link MEMORYLAYER_SERVER_VERSION} and returns its Python. A virtual
 * environment that already holds that version is reused as is (a quick
 * check); anything else is recreated from scratch with the Python
 * {@link findPython} finds, which downloads from PyPI and takes about a
 * minute, with a status line saying how far it has got.
 *
 * @param logFile receives the output of venv and pip.
 * @throws PythonNotFoundError when the environment has to be created and no Python is new enough.
 */
export const ensureServerVenv = async (root: string, logFile: string, output: Output): Promise<string> => {
  const python = venvPython(root)
  if ((await installedServerVersion(python)) === MEMORYLAYER_SERVER_VERSION) return python

  const base = await findPython()
  const requirement = `memorylayer-server==${MEMORYLAYER_SERVER_VERSION}`
  output.say(`Installing ${requirement} into ${VENV_FOLDER}/ with ${base.command} (Python ${base.version}), once; this takes about a minute`)
  const started = Date.now()
  const elapsed = (): string => `${Math.round((Date.now() - started) / 1000)} s`
  try {
    await runLogged(base.command, ["-m", "venv", "--clear", VENV_FOLDER], root, logFile, () =>
      output.status(`  creating ${VENV_FOLDER}/: ${elapsed()}`)
    )
  } catch (error) {
    const hint = "Creating a virtual environment failed; on Debian and Ubuntu, install the python3.X-venv package."
    throw new Error(`${hint}\n${error instanceof Error ? error.message : String(error)}`)
  }
  const pipLogStart = readText(logFile).length
  await runLogged(python, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", requirement], root, logFile, () =>
    output.status(`  installing ${requirement}: ${elapsed()}, ${pipProgress(readText(logFile).slice(pipLogStart))}`)
  )

  const installed = await installedServerVersion(python)
  if (installed !== MEMORYLAYER_SERVER_VERSION) {
    throw new Error(`${VENV_FOLDER} holds memorylayer-server ${installed ?? "nothing"} after installing ${requirement}. Log ${logFile}`)
  }
  output.say(`Installed ${requirement} in ${elapsed()}`)
  return python
}
