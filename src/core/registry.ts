/**
 * A named registry: tasks, models and probe hooks are each one of these, so that a user's own
 * task, model or hook is looked up, listed and validated exactly like a built-in one.
 */
export class Registry<T> {
  private readonly items = new Map<string, T>();

  /** `what` names the kind of entry in messages ("task", "model", "probe hook"). */
  constructor(
    readonly what: string,
    private readonly nameOf: (item: T) => string,
    initial: Iterable<T> = [],
  ) {
    for (const item of initial) this.register(item);
  }

  register(item: T): void {
    const name = this.nameOf(item);
    if (!/^[a-z][a-z0-9_-]*$/i.test(name)) throw new Error(`${this.what} name "${name}" must start with a letter and hold only letters, digits, - or _`);
    this.items.set(name, item);
  }

  has(name: string): boolean {
    return this.items.has(name);
  }

  /** The entry, or an Error naming the known ones. */
  get(name: string): T {
    const item = this.items.get(name);
    if (item === undefined) throw new Error(`unknown ${this.what} "${name}"; known: ${this.names().join(', ')}`);
    return item;
  }

  names(): string[] {
    return [...this.items.keys()];
  }
}
