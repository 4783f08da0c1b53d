import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { PythonNotFoundError, findPython } from "../../scripts/server/python.ts"
import { fakePython, removeScratchDirs, scratchDir } from "../support/fake-python.ts"

/** An environment whose PATH holds only `bin` and whose pyenv has no versions. */
const onlyOn = (bin: string): NodeJS.ProcessEnv => ({ PATH: bin, PYENV_ROOT: scratchDir() })

afterAll(removeScratchDirs)

describe("findPython", () => {
  it("takes $PYTHON alone when it is set, and refuses it when it is older than 3.12", async () => {
    const bin = scratchDir()
    fakePython(join(bin, "python3.13"), "3.13.1")
    const old = fakePython(join(scratchDir(), "python"), "3.11.9")

    const error = await findPython({ ...onlyOn(bin), PYTHON: old }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(PythonNotFoundError)
    expect((error as PythonNotFoundError).tried).toEqual([`${old} (is Python 3.11.9)`])
    expect((error as PythonNotFoundError).message).toContain("memorylayer-server needs Python >= 3.12")
  })

  it("falls through python3.12, python3.13, python3.14 and python3 to the first one new enough", async () => {
    const bin = scratchDir()
    fakePython(join(bin, "python3"), "3.10.14")
    fakePython(join(bin, "python"), "3.12.3")

    expect(await findPython(onlyOn(bin))).toEqual({ command: "python", version: "3.12.3" })
  })

  it("prefers python3.12 to a newer python3", async () => {
    const bin = scratchDir()
    fakePython(join(bin, "python3.12"), "3.12.8")
    fakePython(join(bin, "python3"), "3.13.1")

    expect(await findPython(onlyOn(bin))).toEqual({ command: "python3.12", version: "3.12.8" })
  })

  it("finds a pyenv install when nothing on the PATH will do", async () => {
    const pyenvRoot = scratchDir()
    const python = fakePython(join(pyenvRoot, "versions", "3.12.1", "bin", "python"), "3.12.1")

    expect(await findPython({ PATH: scratchDir(), PYENV_ROOT: pyenvRoot })).toEqual({ command: python, version: "3.12.1" })
  })

  it("lists every candidate and why it was not taken when none will do", async () => {
    const bin = scratchDir()
    fakePython(join(bin, "python3"), "3.11.7")

    const error = await findPython(onlyOn(bin)).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(PythonNotFoundError)
    expect((error as PythonNotFoundError).tried).toEqual([
      "python3.12 (not found)",
      "python3.13 (not found)",
      "python3.14 (not found)",
      "python3 (is Python 3.11.7)",
      "python (not found)",
      "pyenv versions 3.1[2-9]* (none installed)"
    ])
  })
})
