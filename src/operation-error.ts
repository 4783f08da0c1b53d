/**
 * The error channel of each operation, derived from the statuses the
 * operations table declares for it.
 *
 * @module
 */
import type { ErrorStatuses, OperationId } from "../generated/operations.gen.ts"
import type {
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  ConnectionError,
  DecodeError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError
} from "./errors.ts"

type ErrorForStatus<S> = S extends 401 ? AuthenticationError
  : S extends 403 ? AuthorizationError
  : S extends 404 ? NotFoundError
  : S extends 409 | 412 ? ConflictError
  : S extends 429 ? RateLimitError
  : S extends 408 ? ConnectionError
  : S extends 400 | 422 ? ValidationError
  : ServerError

/**
 * Every error operation `Id` can fail with: one class per error status the
 * contract declares for it, plus `ValidationError` (bad input, refused before
 * sending), `ConnectionError` (no answer) and `DecodeError` (an answer that
 * breaks the contract).
 *
 * @example
 * ```ts
 * import type { OperationError } from "memorylayer-client/effect"
 * type GetMemoryError = OperationError<"getMemory"> // includes NotFoundError
 * ```
 */
export type OperationError<Id extends OperationId> =
  | ErrorForStatus<ErrorStatuses[Id]>
  | ValidationError
  | ConnectionError
  | DecodeError
