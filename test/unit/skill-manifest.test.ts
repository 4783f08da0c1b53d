/**
 * Reading SKILL.md files into the manifest fields skills.push sends: what
 * memorylayer-server renders, what people write by hand, and what is refused
 * rather than guessed at.
 */
import { describe, expect, it } from "vitest"
import { parseSkillMd } from "../../src/skill-manifest.ts"

const fieldsOf = (skillMd: string): unknown => {
  const { fields, issues } = parseSkillMd(skillMd)
  expect(issues).toEqual([])
  return fields
}

const issueOf = (skillMd: string): string => {
  const { issues } = parseSkillMd(skillMd)
  expect(issues).toHaveLength(1)
  return issues[0]?.message ?? ""
}

describe("parseSkillMd", () => {
  it("reads a SKILL.md as memorylayer-server 0.2.0 renders it back to the same fields and body", () => {
    expect(fieldsOf(
      "---\nname: pdf-tools\ndescription: \"Extract text: tables, forms\"\nversion: 0.1.0\nlicense: MIT\nallowed-tools: Bash Read\n---\n\n# PDF tools\n\nRun it.\n"
    )).toEqual({
      name: "pdf-tools",
      description: "Extract text: tables, forms",
      version: "0.1.0",
      license: "MIT",
      allowed_tools: "Bash Read",
      body: "# PDF tools\n\nRun it.\n"
    })
  })

  it("keeps scalars of the manifest fields as written, and types those of metadata", () => {
    expect(fieldsOf("---\nname: x\ndescription: d\nversion: 1.0\nmetadata:\n  retries: 3\n  strict: true\n  ratio: 0.5\n  note: ~\n  label: '007'\n---\n")).toEqual({
      name: "x",
      description: "d",
      version: "1.0",
      metadata: { retries: 3, strict: true, ratio: 0.5, note: null, label: "007" },
      body: ""
    })
  })

  it("reads nested maps, block and flow lists, and lists of maps", () => {
    const skillMd = [
      "---",
      "name: pipeline",
      "description: Runs the pipeline",
      "allowed-tools: [Bash, Read, \"Write\"]",
      "metadata:",
      "  scitrera:",
      "    prereq_skills:",
      "      - pdf-tools",
      "      - csv-tools",
      "    preferred_model: sonnet",
      "  steps:",
      "  - name: fetch",
      "    timeout: 30",
      "  - name: parse",
      "---",
      "Body"
    ].join("\n")
    expect(fieldsOf(skillMd)).toEqual({
      name: "pipeline",
      description: "Runs the pipeline",
      allowed_tools: "Bash Read Write",
      metadata: {
        scitrera: { prereq_skills: ["pdf-tools", "csv-tools"], preferred_model: "sonnet" },
        steps: [{ name: "fetch", timeout: 30 }, { name: "parse" }]
      },
      body: "Body"
    })
  })

  it("reads literal and folded block scalars with their chomping, and plain scalars continued on indented lines", () => {
    const skillMd = [
      "---",
      "name: blocks",
      "description: >-",
      "  Extract text and tables",
      "  from PDF files.",
      "",
      "  Also fills forms.",
      "compatibility: |",
      "  Python 3.10+",
      "    # not a comment: block text",
      "license: Apache-2.0 and",
      "  some notes # a comment",
      "---",
      ""
    ].join("\n")
    expect(fieldsOf(skillMd)).toEqual({
      name: "blocks",
      description: "Extract text and tables from PDF files.\nAlso fills forms.",
      compatibility: "Python 3.10+\n  # not a comment: block text\n",
      license: "Apache-2.0 and some notes",
      body: ""
    })
  })

  it("reads quoted strings with their escapes, comments, CRLF line ends, and a file without front matter", () => {
    expect(fieldsOf("---\r\n# a comment\r\nname: 'it''s'\r\ndescription: \"tab\\there \\\"q\\\" \\u00e9\" # trailing\r\n---\r\n\r\nBody\r\n")).toEqual({
      name: "it's",
      description: "tab\there \"q\" é",
      body: "Body\r\n"
    })
    expect(fieldsOf("# Just a body\n")).toEqual({ body: "# Just a body\n" })
  })

  it("keeps other top-level keys in metadata, without overriding metadata's own", () => {
    expect(fieldsOf("---\nname: x\ndescription: d\nowner: data-team\ntags: [a, b]\nmetadata:\n  owner: platform\n---\n")).toEqual({
      name: "x",
      description: "d",
      metadata: { owner: "platform", tags: ["a", "b"] },
      body: ""
    })
  })

  it("refuses what it cannot read, naming the line", () => {
    expect(issueOf("---\nname: x\nmetadata: {a: 1}\n---\n")).toBe("SKILL.md front matter: line 3: flow maps ({...}) are not supported: write the map on indented lines")
    expect(issueOf("---\nname: &anchor x\n---\n")).toBe("SKILL.md front matter: line 2: anchors, aliases and tags are not supported")
    expect(issueOf("---\nname: x\nmetadata:\n\tkey: v\n---\n")).toBe("SKILL.md front matter: line 4: tabs are not allowed in indentation")
    expect(issueOf("---\ndescription: \"open\n  continued\"\n---\n")).toBe("SKILL.md front matter: line 2: a quoted string must end on the line it starts on")
    expect(issueOf("---\nname: x\nname: y\n---\n")).toBe("SKILL.md front matter: line 3: the key name is given twice")
    expect(issueOf("---\njust text\n---\n")).toBe("SKILL.md front matter: line 2: expected \"key: value\", got: just text")
    expect(issueOf("---\n- a\n- b\n---\n")).toBe("SKILL.md front matter must be a map of keys")
  })

  it("refuses metadata that is not a map, such as the Python dict text 0.2.0 renders, and manifest fields that are maps", () => {
    const { fields, issues } = parseSkillMd("---\nname: x\ndescription: d\nmetadata: \"{'tags': ['pdf']}\"\nlicense:\n  a: b\n---\n")
    expect(issues.map((i) => i.path.join("."))).toEqual(["manifest.metadata", "manifest.license"])
    expect(fields).toEqual({ name: "x", description: "d", body: "" })
  })
})
