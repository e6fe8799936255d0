import type { Dataset } from "./dataset.js";
import type { DatasetHandle } from "./dataset-handle.js";

/** The run's datasets by name: sources, and every output of every step that produced one. */
export class DataMap implements Iterable<[string, Dataset]> {
  private readonly datasets = new Map<string, DatasetHandle>();

  get(name: string): Dataset | undefined {
    return this.datasets.get(name);
  }

  has(name: string): boolean {
    return this.datasets.has(name);
  }

  get size(): number {
    return this.datasets.size;
  }

  keys(): IterableIterator<string> {
    return this.datasets.keys();
  }

  [Symbol.iterator](): IterableIterator<[string, Dataset]> {
    return this.datasets.entries();
  }

  /** @internal The handle itself, for the executor. */
  handle(name: string): DatasetHandle | undefined {
    return this.datasets.get(name);
  }

  /** @internal */
  set(handle: DatasetHandle): void {
    this.datasets.set(handle.name, handle);
  }
}
