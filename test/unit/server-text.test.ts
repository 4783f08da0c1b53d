/**
 * What an error quotes of the server: at most 500 characters of its text,
 * an HTML page by its title only, and short messages exactly as before.
 */
import { describe, expect, it } from "vitest"
import { AuthenticationError, NotFoundError, ValidationError } from "../../src/errors.ts"
import { errorFromResponse } from "../../src/http-errors.ts"
import { capped, isHtml, MAX_SERVER_TEXT, quoted, summariseHtml } from "../../src/server-text.ts"

const NGINX_401 = "<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n"

describe("capped", () => {
  it("keeps text of up to 500 characters as it is", () => {
    expect(MAX_SERVER_TEXT).toBe(500)
    expect(capped("Memory not found: mem_1")).toBe("Memory not found: mem_1")
    expect(capped("z".repeat(500))).toBe("z".repeat(500))
  })

  it("cuts longer text at 500 characters and says how much was left out", () => {
    expect(capped("z".repeat(501))).toBe(`${"z".repeat(500)}... (1 more characters)`)
  })

  it("never ends on half of a surrogate pair", () => {
    const text = `${"a".repeat(499)}\u{1F600}${"b".repeat(10)}`
    expect(capped(text)).toBe(`${"a".repeat(499)}... (12 more characters)`)
  })
})

describe("HTML pages", () => {
  it("are recognised by their opening tag, and JSON or plain text is not", () => {
    expect(isHtml(NGINX_401)).toBe(true)
    expect(isHtml("<!DOCTYPE html><html></html>")).toBe(true)
    expect(isHtml("  <body>down</body>")).toBe(true)
    expect(isHtml("Internal Server Error")).toBe(false)
    expect(isHtml("{\"detail\":\"x\"}")).toBe(false)
    expect(isHtml("<5 memories found")).toBe(false)
  })

  it("are summarised by their title, entities decoded and white space folded", () => {
    expect(summariseHtml(NGINX_401)).toBe("an HTML page titled \"401 Authorization Required\"")
    expect(summariseHtml("<html><title>\n  Tom &amp; Jerry&#39;s &#x3C;site&gt;\n</title></html>")).toBe("an HTML page titled \"Tom & Jerry's <site>\"")
  })

  it("fall back to the first heading, then to no title", () => {
    expect(summariseHtml("<html><body><h1 class=\"x\">Service <b>Unavailable</b></h1></body></html>")).toBe("an HTML page titled \"Service Unavailable\"")
    expect(summariseHtml("<html><body><p>nothing</p></body></html>")).toBe("an HTML page")
  })

  it("quoted() summarises a page and caps anything else", () => {
    expect(quoted(NGINX_401)).toBe("an HTML page titled \"401 Authorization Required\"")
    expect(quoted("q".repeat(600))).toBe(`${"q".repeat(500)}... (100 more characters)`)
  })
})

describe("errorFromResponse quotes the server", () => {
  it("a 401 with an nginx HTML body: message and detail hold the summary, not the page", () => {
    const error = errorFromResponse("getMemory", 401, NGINX_401, new Headers({ "content-type": "text/html" }))
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error.message).toBe("getMemory: 401 an HTML page titled \"401 Authorization Required\"")
    expect(error.detail).toBe("an HTML page titled \"401 Authorization Required\"")
  })

  it("a JSON detail longer than 500 characters is capped in the message", () => {
    const error = errorFromResponse("getMemory", 404, { detail: { reason: "r".repeat(1000) } }, new Headers())
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.message).toMatch(/^getMemory: 404 \{"reason":"r+\.\.\. \(513 more characters\)$/)
    expect(error.message.length).toBeLessThan(560)
  })

  it("a flood of validation issues is capped in the message but every issue is kept", () => {
    const detail = Array.from({ length: 100 }, (_, i) => ({ loc: ["body", "tags", i], msg: "Input should be a valid string" }))
    const error = errorFromResponse("remember", 422, { detail }, new Headers()) as ValidationError
    expect(error.issues).toHaveLength(100)
    expect(error.message.length).toBeLessThan(560)
  })

  it("short messages stay exactly as they were", () => {
    expect(errorFromResponse("getMemory", 404, { detail: "Memory not found" }, new Headers()).message).toBe("getMemory: 404 Memory not found")
    expect(errorFromResponse("remember", 500, "Internal Server Error", new Headers()).message).toBe("remember: 500 Internal Server Error")
  })
})
