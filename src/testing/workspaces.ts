/**
 * Workspaces in the test double: create, get, update and the schema of
 * what a workspace accepts (the relationship names and memory subtypes of
 * the contract's enums, so it cannot drift from them).
 *
 * @module
 */
import { MemorySubtype } from "../enums.ts"
import { failure, type Handlers } from "./call.ts"
import { RELATIONSHIP_NAMES } from "./graph.ts"
import { isoTime } from "./ids.ts"
import { repr } from "./python-values.ts"
import type { Store, WorkspaceRecord } from "./store.ts"

/** Workspace tags as the server stores them: trimmed, lower-cased, without blanks or duplicates, in the order given. */
const workspaceTags = (tags: ReadonlyArray<string>): Array<string> =>
  [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag !== ""))]

/** A blank name: the server's own 400 (pydantic's wording). */
const blankName = (name: string) =>
  failure(
    400,
    `1 validation error for Workspace\nname\n  Value error, Workspace name cannot be empty [type=value_error, input_value=${repr(name)}, input_type=str]`
  )

const workspaceOrFail = (store: Store, id: string): WorkspaceRecord => {
  const workspace = store.workspaces.get(id)
  if (workspace === undefined) throw failure(404, `Workspace not found: ${id}`)
  return workspace
}

const createWorkspace: Handlers["createWorkspace"] = (store, call) => {
  const body = call.input.body
  const name = body.name.trim()
  if (name === "") throw blankName(body.name)
  const id = body.id ?? store.ids.next("ws_", 16)
  if (store.workspaces.has(id)) throw failure(500, "Failed to create workspace")
  const at = isoTime(call.now)
  const workspace: WorkspaceRecord = { id, tenant_id: "_default", name, settings: { ...body.settings }, tags: workspaceTags(body.tags ?? []), created_at: at, updated_at: at }
  store.workspaces.set(id, workspace)
  return { workspace: structuredClone(workspace) }
}

const getWorkspace: Handlers["getWorkspace"] = (store, call) => ({ workspace: structuredClone(workspaceOrFail(store, call.input.path.workspace_id)) })

const updateWorkspace: Handlers["updateWorkspace"] = (store, call) => {
  const workspace = workspaceOrFail(store, call.input.path.workspace_id)
  const body = call.input.body
  if (body.name !== undefined && body.name !== null) {
    if (body.name.trim() === "") throw blankName(body.name)
    workspace.name = body.name.trim()
  }
  if (body.settings !== undefined && body.settings !== null) workspace.settings = { ...body.settings }
  if (body.tags !== undefined && body.tags !== null) workspace.tags = workspaceTags(body.tags)
  workspace.updated_at = isoTime(call.now)
  return { workspace: structuredClone(workspace) }
}

const getWorkspaceSchema: Handlers["getWorkspaceSchema"] = (store, call) => {
  workspaceOrFail(store, call.input.path.workspace_id)
  return { relationship_types: [...RELATIONSHIP_NAMES], memory_subtypes: Object.values(MemorySubtype).sort(), can_customize: false }
}

/** The workspace handlers of the double. */
export const workspaceHandlers = { createWorkspace, getWorkspace, updateWorkspace, getWorkspaceSchema } satisfies Partial<Handlers>
