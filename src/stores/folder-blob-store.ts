import { copyFile, readdir, readFile, rm, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { writeAtomically, writeFileAtomic } from "../util/atomic-file.js";
import { assertBlobKey, type BlobStore, type ListedBlob } from "./blob-store.js";
import { objectStoreFailure } from "./object-store-error.js";

/** A {@link BlobStore} in a folder every machine mounts (NFS, SMB, a shared disk): keys are relative paths. */
export class FolderBlobStore implements BlobStore {
  readonly kind = "shared folder";

  constructor(readonly root: string, readonly address: string = root) {}

  private pathOf(key: string): string {
    assertBlobKey(key);
    return join(this.root, ...key.split("/"));
  }

  async check(): Promise<void> {
    try {
      const info = await stat(this.root);
      if (!info.isDirectory()) throw new Error("it is not a folder");
      await this.putText("linea-store.txt", "linea object store\n");
    } catch (error) {
      throw objectStoreFailure(this.address, this.kind, "open", error);
    }
  }

  async putFile(key: string, localPath: string): Promise<void> {
    await this.wrap("store " + key, () => writeAtomically(this.pathOf(key), (temp) => copyFile(localPath, temp)));
  }

  async getFile(key: string, localPath: string): Promise<boolean> {
    const source = this.pathOf(key);
    return this.wrap("read " + key, async () => {
      if (!(await stat(source).then(() => true, () => false))) return false;
      await writeAtomically(localPath, (temp) => copyFile(source, temp));
      return true;
    });
  }

  async putText(key: string, text: string): Promise<void> {
    await this.wrap("store " + key, () => writeFileAtomic(this.pathOf(key), text));
  }

  async getText(key: string): Promise<string | undefined> {
    return this.wrap("read " + key, () => readFile(this.pathOf(key), "utf8").catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return undefined;
      throw e;
    }));
  }

  async has(key: string): Promise<boolean> {
    return stat(this.pathOf(key)).then(() => true, () => false);
  }

  async remove(key: string): Promise<void> {
    await this.wrap("remove " + key, () => rm(this.pathOf(key), { force: true }));
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (!entry.name.startsWith(".")) keys.push(relative(this.root, path).split(sep).join("/"));
      }
    };
    const base = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    await walk(base === "" ? this.root : this.pathOf(base));
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }

  async listEntries(prefix: string): Promise<ListedBlob[]> {
    const entries = await Promise.all((await this.list(prefix)).map(async (key) => {
      const info = await stat(this.pathOf(key)).catch(() => undefined);
      return info === undefined ? undefined : { key, bytes: info.size, mtimeMs: info.mtimeMs };
    }));
    return entries.filter((e): e is ListedBlob => e !== undefined);
  }

  async close(): Promise<void> {}

  private async wrap<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw objectStoreFailure(this.address, this.kind, what, error);
    }
  }
}
