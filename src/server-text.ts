/**
 * What an error may quote of the server's words. A server, or a proxy in
 * front of it, can answer with anything: a whole HTML login page, a stack
 * trace, megabytes of text. An error keeps a bounded part of it, and
 * describes an HTML page instead of copying it.
 *
 * @module
 */

/** Most characters of server text an error message or `detail` quotes. */
export const MAX_SERVER_TEXT = 500

/** Most characters of an HTML page's title quoted in its summary. */
const MAX_TITLE = 120

/**
 * `text` when it has at most `max` characters, else its beginning and how
 * much was left out (never half of a surrogate pair).
 *
 * @example
 * ```ts
 * capped("x".repeat(600)) // "xxx...x... (100 more characters)" (500 x's)
 * ```
 */
export const capped = (text: string, max: number = MAX_SERVER_TEXT): string => {
  if (text.length <= max) return text
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max
  return `${text.slice(0, end)}... (${text.length - end} more characters)`
}

const HTML_START = /^\s*<(!doctype\s+html|html|head|body|title|h1|p|div|center)[\s>]/i

/** Whether `text` is an HTML page rather than a message. */
export const isHtml = (text: string): boolean => HTML_START.test(text)

const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: " " }

/** The text of an HTML fragment: tags dropped, common entities decoded, white space folded. */
const textOf = (html: string): string =>
  html
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith("#")) {
        const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1))
        return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity
      }
      return ENTITIES[name.toLowerCase()] ?? entity
    })
    .replace(/\s+/g, " ")
    .trim()

/**
 * A one-line description of an HTML page: its title (or first heading),
 * never the page itself.
 *
 * @example
 * ```ts
 * summariseHtml("<html><head><title>401 Authorization Required</title></head><body>...</body></html>")
 * // "an HTML page titled \"401 Authorization Required\""
 * ```
 */
export const summariseHtml = (html: string): string => {
  const heading = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html)
  const title = heading === null ? "" : capped(textOf(heading[1] ?? ""), MAX_TITLE)
  return title === "" ? "an HTML page" : `an HTML page titled ${JSON.stringify(title)}`
}

/**
 * What an error quotes of a server's text: an HTML page summarised, anything
 * else capped at {@link MAX_SERVER_TEXT} characters.
 */
export const quoted = (text: string): string => (isHtml(text) ? summariseHtml(text) : capped(text))
