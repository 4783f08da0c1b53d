/**
 * The base of the generated namespace classes (`client.skills`, ...) and of
 * the hand-written ones they extend: it runs their methods through the
 * client that owns them. Kept apart from client-core.ts, which imports the
 * service, so that a namespace's hand-written methods can be imported by the
 * service without a cycle.
 *
 * @module
 */
import type { MethodKey } from "../generated/operations.gen.ts"
import type { ClientCore } from "./client-core.ts"
import type { PagePromise } from "./pagination.ts"
import type { RecordStream } from "./records.ts"

/** The base of a generated namespace class (`client.skills`, ...): it runs its methods through the client. */
export class NamespaceCore {
  readonly #client: ClientCore

  /** @param client - The client whose runtime runs this namespace's calls. */
  constructor(client: ClientCore) {
    this.#client = client
  }

  /** Runs method `key` with the method's arguments `args`. */
  protected call<A>(key: MethodKey, args: ReadonlyArray<unknown>): Promise<A> {
    return (this.#client as unknown as { call: (key: MethodKey, args: ReadonlyArray<unknown>) => Promise<A> }).call(key, args)
  }

  /** List method `key`, as `ClientCore.paginate`. */
  protected paginate<Page, Item>(key: MethodKey, args: ReadonlyArray<unknown>): PagePromise<Page, Item> {
    return (this.#client as unknown as { paginate: (key: MethodKey, args: ReadonlyArray<unknown>) => PagePromise<Page, Item> }).paginate(key, args)
  }

  /** The service's hand-written method `namespace.name`, as `ClientCore.compose`. */
  protected compose<A>(namespace: string, name: string, args: ReadonlyArray<unknown>): Promise<A> {
    return (this.#client as unknown as { compose: (namespace: string, name: string, args: ReadonlyArray<unknown>) => Promise<A> }).compose(namespace, name, args)
  }

  /** NDJSON method `key`, as `ClientCore.records`. */
  protected records<A>(key: MethodKey, args: ReadonlyArray<unknown>): RecordStream<A> {
    return (this.#client as unknown as { records: (key: MethodKey, args: ReadonlyArray<unknown>) => RecordStream<A> }).records(key, args)
  }
}
