/**
 * The virtual environment that holds the pinned memorylayer-server.
 */
import { execFile, spawn } from "node:child_process"
import { closeSync, openSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import { logTail } from "./process-group.ts"
import { findPython } from "./python.ts"

const run = promisify(execFile)

/** The memorylayer-server release the e2e tests run against; openapi.yaml was checked against it. */
export const MEMORYLAYER_SERVER_VERSION = "0.2.0"

/** The folder, in the repository root and ignored by git, that holds the virtual environment. */
export const VENV_FOLDER = ".venv-e2e"

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

/** Runs a command with its output appended to `logFile`; rejects with the log tail when it fails. */
const runLogged = (command: string, args: ReadonlyArray<string>, cwd: string, logFile: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const log = openSync(logFile, "a")
    const child = spawn(command, [...args], { cwd, stdio: ["ignore", log, log] })
    closeSync(log)
    child.once("error", reject)
    child.once("exit", (code) => {
      if (code === 0) resolve()
      else reject(new Error(`\`${command} ${args.join(" ")}\` failed (exit ${code}). Log ${logFile}:\n${logTail(logFile)}`))
    })
  })

/**
 * Makes sure `<root>/.venv-e2e` holds memorylayer-server
 * {@link MEMORYLAYER_SERVER_VERSION} and returns its Python. A virtual
 * environment that already holds that version is reused as is (a quick
 * check); anything else is recreated from scratch, which downloads from PyPI
 * and takes about a minute.
 *
 * @param logFile receives the output of venv and pip.
 * @param say reports progress to the person waiting.
 */
export const ensureServerVenv = async (root: string, logFile: string, say: (line: string) => void): Promise<string> => {
  const python = venvPython(root)
  if ((await installedServerVersion(python)) === MEMORYLAYER_SERVER_VERSION) return python

  const base = await findPython()
  const requirement = `memorylayer-server==${MEMORYLAYER_SERVER_VERSION}`
  say(`e2e: installing ${requirement} into ${VENV_FOLDER}/ with ${base.command} (Python ${base.version}); this takes about a minute`)
  try {
    await runLogged(base.command, ["-m", "venv", "--clear", VENV_FOLDER], root, logFile)
  } catch (error) {
    const hint = "Creating a virtual environment failed; on Debian and Ubuntu, install the python3.X-venv package."
    throw new Error(`${hint}\n${error instanceof Error ? error.message : String(error)}`)
  }
  await runLogged(python, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", requirement], root, logFile)

  const installed = await installedServerVersion(python)
  if (installed !== MEMORYLAYER_SERVER_VERSION) {
    throw new Error(`${VENV_FOLDER} holds memorylayer-server ${installed ?? "nothing"} after installing ${requirement}. Log ${logFile}`)
  }
  return python
}
