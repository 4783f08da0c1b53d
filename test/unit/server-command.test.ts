import { describe, expect, it } from "vitest"
import { readServerCommand } from "../../scripts/server/server-command.ts"

describe("npm run server's command line", () => {
  it("listens on 61001, the client's default URL, in memory, when given nothing", () => {
    expect(readServerCommand([], {})).toEqual({ port: 61001, dataDir: undefined, settings: {} })
  })

  it("takes the port from MEMORYLAYER_SERVER_PORT, and --port over it", () => {
    expect(readServerCommand([], { MEMORYLAYER_SERVER_PORT: "61005" })).toMatchObject({ port: 61005 })
    expect(readServerCommand(["--port", "61002"], { MEMORYLAYER_SERVER_PORT: "61005" })).toMatchObject({ port: 61002 })
  })

  it("keeps the data in --data, read from the folder npm was run in, with the SQLite file inside", () => {
    expect(readServerCommand(["--data", "ml-data"], { INIT_CWD: "/home/dev/app" })).toEqual({
      port: 61001,
      dataDir: "/home/dev/app/ml-data",
      settings: { MEMORYLAYER_SQLITE_STORAGE_PATH: "/home/dev/app/ml-data/memorylayer.db" }
    })
  })

  it("sets the server's CORS origins from --cors-origins", () => {
    expect(readServerCommand(["--cors-origins", "http://localhost:8080,https://app.test"], {})).toEqual({
      port: 61001,
      dataDir: undefined,
      settings: { MEMORYLAYER_SERVER_CORS_ALLOW_ORIGINS: "http://localhost:8080,https://app.test" }
    })
  })

  it("passes the environment's other MEMORYLAYER_* settings to the server, and nothing else", () => {
    const env = { MEMORYLAYER_LLM_PROFILE_DEFAULT_PROVIDER: "openai", HOME: "/home/dev" }

    expect(readServerCommand([], env)).toEqual({
      port: 61001,
      dataDir: undefined,
      settings: { MEMORYLAYER_LLM_PROFILE_DEFAULT_PROVIDER: "openai" }
    })
  })

  it("answers --help with the usage", () => {
    expect(readServerCommand(["--help"], {})).toBe("help")
  })

  it.each([
    [["--port", "http"], "--port: not a port: http"],
    [["--port", "70000"], "--port: not a port: 70000"],
    [["--prot", "61002"], "Unknown option '--prot'"]
  ])("refuses %j with the usage", (args, message) => {
    expect(() => readServerCommand(args, {})).toThrow(message)
    expect(() => readServerCommand(args, {})).toThrow("Usage: npm run server")
  })
})
