/**
 * Finds a Python interpreter new enough for memorylayer-server.
 */
import { execFile } from "node:child_process"
import { readdirSync } from "node:fs"
import { homedir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"

const run = promisify(execFile)

/** memorylayer-server declares `Requires-Python >=3.12`. */
export const MINIMUM_PYTHON: readonly [number, number] = [3, 12]

/** A Python interpreter that runs and is new enough. */
export interface Python {
  readonly command: string
  readonly version: string
}

/** No interpreter new enough was found; `tried` says what was tried and why each was not taken. */
export class PythonNotFoundError extends Error {
  readonly tried: ReadonlyArray<string>
  constructor(tried: ReadonlyArray<string>) {
    super(
      [
        `memorylayer-server needs Python >= ${MINIMUM_PYTHON.join(".")}, and none was found.`,
        `Tried: ${tried.join("; ")}.`,
        "Install one (for example `pyenv install 3.12`, `brew install python@3.12` or",
        "`apt-get install python3.12 python3.12-venv`), or point PYTHON at one: PYTHON=/path/to/python3.12"
      ].join("\n")
    )
    this.name = "PythonNotFoundError"
    this.tried = tried
  }
}

const parseVersion = (text: string): ReadonlyArray<number> => text.split(/[^0-9]+/).filter(Boolean).map(Number)

const isNewEnough = (version: ReadonlyArray<number>): boolean => {
  const [major = 0, minor = 0] = version
  return major > MINIMUM_PYTHON[0] || (major === MINIMUM_PYTHON[0] && minor >= MINIMUM_PYTHON[1])
}

/** The version `command` reports, or why it could not be run. */
const probe = async (command: string, env: NodeJS.ProcessEnv): Promise<{ version: string } | { problem: string }> => {
  try {
    const { stdout } = await run(command, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], {
      env,
      timeout: 20_000
    })
    const version = stdout.trim()
    return isNewEnough(parseVersion(version)) ? { version } : { problem: `is Python ${version}` }
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return { problem: "not found" }
    const stderr = error instanceof Error && "stderr" in error && typeof error.stderr === "string" ? error.stderr : ""
    const firstLine = stderr.trim().split("\n")[0] ?? ""
    return { problem: firstLine === "" ? "does not run" : `does not run: ${firstLine}` }
  }
}

/** pyenv's installed versions matching 3.1[2-9]*, oldest first. */
const pyenvCandidates = (env: NodeJS.ProcessEnv): ReadonlyArray<string> => {
  const versions = join(env["PYENV_ROOT"] ?? join(homedir(), ".pyenv"), "versions")
  let names: ReadonlyArray<string> = []
  try {
    names = readdirSync(versions)
  } catch {
    return []
  }
  const byVersion = (a: string, b: string): number => {
    const [x, y] = [parseVersion(a), parseVersion(b)]
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const difference = (x[i] ?? 0) - (y[i] ?? 0)
      if (difference !== 0) return difference
    }
    return 0
  }
  return names
    .filter((name) => /^3\.1[2-9]/.test(name))
    .sort(byVersion)
    .map((name) => join(versions, name, "bin", "python"))
}

/**
 * Finds Python >= 3.12: `$PYTHON` when set (and then only it), else the
 * first of `python3.12`, `python3.13`, `python3.14`, `python3` and `python`
 * on the PATH that is new enough, else a pyenv install
 * (`$PYENV_ROOT/versions/3.1[2-9]*`). Every candidate is run, because a
 * pyenv shim can exist on the PATH for a version that is not selected.
 *
 * @throws PythonNotFoundError listing what was tried and how to install Python.
 */
export const findPython = async (env: NodeJS.ProcessEnv = process.env): Promise<Python> => {
  const explicit = env["PYTHON"]
  const fromPyenv = pyenvCandidates(env)
  const candidates =
    explicit !== undefined && explicit !== ""
      ? [explicit]
      : ["python3.12", "python3.13", "python3.14", "python3", "python", ...fromPyenv]
  const tried: Array<string> = []
  for (const command of candidates) {
    const result = await probe(command, env)
    if ("version" in result) return { command, version: result.version }
    tried.push(`${command} (${result.problem})`)
  }
  if ((explicit === undefined || explicit === "") && fromPyenv.length === 0) tried.push("pyenv versions 3.1[2-9]* (none installed)")
  throw new PythonNotFoundError(tried)
}
