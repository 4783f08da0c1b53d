import { describe, expect, it } from "vitest"
import { consoleOutput } from "../../scripts/server/console-output.ts"
import { pipProgress } from "../../scripts/server/venv.ts"

const recorder = (isTTY: boolean): { readonly isTTY: boolean; readonly write: (text: string) => void; readonly text: () => string } => {
  const chunks: Array<string> = []
  return { isTTY, write: (text) => void chunks.push(text), text: () => chunks.join("") }
}

describe("consoleOutput", () => {
  it("rewrites the status line in place on a terminal, and a line said after it replaces it", () => {
    const stream = recorder(true)
    const output = consoleOutput(stream, "e2e: ")

    output.status("installing: 1 s")
    output.status("installing: 2 s")
    output.say("installed")

    expect(stream.text()).toBe("\r\x1b[2Ke2e: installing: 1 s\r\x1b[2Ke2e: installing: 2 s\r\x1b[2Ke2e: installed\n")
  })

  it("prints a status line at most once per quiet period elsewhere, each on its own line", () => {
    const stream = recorder(false)
    const output = consoleOutput(stream, "", 60_000)

    output.status("installing: 1 s")
    output.status("installing: 2 s")
    output.say("installed")

    expect(stream.text()).toBe("installing: 1 s\ninstalled\n")
  })
})

describe("pipProgress", () => {
  it("says how many packages pip has collected, then that it installs them", () => {
    const collecting = "Collecting memorylayer-server==0.2.0\n  Downloading memorylayer_server-0.2.0-py3-none-any.whl (1.2 MB)\nCollecting fastapi\n"

    expect(pipProgress("")).toBe("starting pip")
    expect(pipProgress(collecting)).toBe("2 packages downloaded")
    expect(pipProgress(`${collecting}Installing collected packages: fastapi, memorylayer-server\n`)).toBe("installing 2 packages")
  })
})
