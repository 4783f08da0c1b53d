import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { chooseTarget } from "../../scripts/quickstart-runner.ts"
import { VENV_FOLDER } from "../../scripts/server/venv.ts"
import { fakePython, removeScratchDirs, scratchDir } from "../support/fake-python.ts"

afterAll(removeScratchDirs)

/** A repository root whose virtual environment reports memorylayer-server `version`. */
const rootWithServer = (version: string): string => {
  const root = scratchDir()
  fakePython(join(root, VENV_FOLDER, "bin", "python"), version)
  return root
}

describe("what npm start runs the quickstart against", () => {
  it("MEMORYLAYER_URL when it is set, with MEMORYLAYER_API_KEY", async () => {
    const env = { MEMORYLAYER_URL: "http://memory.internal:61001", MEMORYLAYER_API_KEY: "key", PYTHON: "/nonexistent/python" }

    expect(await chooseTarget(env, scratchDir())).toEqual({ kind: "url", url: "http://memory.internal:61001", apiKey: "key" })
  })

  it("a local server when a Python new enough to install it is found", async () => {
    const python = fakePython(join(scratchDir(), "python"), "3.12.4")

    expect(await chooseTarget({ PYTHON: python }, scratchDir())).toEqual({ kind: "local" })
  })

  it("a local server when the virtual environment already holds the pinned server, whatever Python there is", async () => {
    expect(await chooseTarget({ PYTHON: "/nonexistent/python" }, rootWithServer("0.2.0"))).toEqual({ kind: "local" })
  })

  it("the mock, saying why, when no Python is new enough and the server is not installed", async () => {
    const python = fakePython(join(scratchDir(), "python"), "3.10.13")

    const target = await chooseTarget({ PYTHON: python }, rootWithServer("0.1.9"))

    expect(target).toEqual({
      kind: "mock",
      reason: `no Python >= 3.12 to run memorylayer-server was found (tried ${python} (is Python 3.10.13))`
    })
  })
})
