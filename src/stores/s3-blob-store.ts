import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import { writeAtomically } from "../util/atomic-file.js";
import { assertBlobKey, type BlobStore, type ListedBlob } from "./blob-store.js";
import { objectStoreFailure } from "./object-store-error.js";

/** Where an S3-compatible store is: `s3://bucket/prefix?endpoint=http://host:port&region=...&forcePathStyle=true`. */
export interface S3Location {
  readonly bucket: string;
  /** Keys live under it; empty or ending in `/`. */
  readonly prefix: string;
  /** An S3-compatible server (MinIO, s3rver, ...); else AWS, or `AWS_ENDPOINT_URL`. */
  readonly endpoint?: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
}

/** Reads an `s3://` address. Credentials never go in it: they come from the usual AWS variables and files. */
export function parseS3Address(address: string): S3Location {
  const url = new URL(address);
  if (url.protocol !== "s3:" || url.hostname === "") throw new Error(`expected s3://bucket/prefix, got ${JSON.stringify(address)}`);
  if (url.username !== "" || url.password !== "") throw new Error("credentials do not belong in the store address: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
  const path = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, "");
  const endpoint = url.searchParams.get("endpoint") ?? process.env.LINEA_S3_ENDPOINT ?? undefined;
  return {
    bucket: url.hostname, prefix: path === "" ? "" : `${path}/`, ...(endpoint ? { endpoint } : {}),
    region: url.searchParams.get("region") ?? process.env.AWS_REGION ?? "us-east-1",
    forcePathStyle: (url.searchParams.get("forcePathStyle") ?? (endpoint ? "true" : "false")) === "true",
  };
}

/** How long connecting to S3 may take before the store counts as unreachable. @default 5000 */
export const S3_CONNECT_TIMEOUT_MS = 5000;

/**
 * A {@link BlobStore} in an S3 bucket (AWS or any S3-compatible server), through the AWS SDK, loaded only
 * when an S3 store is used. Each request is tried at most twice, with a connection timeout, so an
 * unreachable server is an error naming it within seconds, never a hang.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = "S3 storage";
  private client: Promise<{ s3: S3Client; sdk: typeof import("@aws-sdk/client-s3") }> | undefined;

  constructor(readonly address: string, readonly location: S3Location = parseS3Address(address)) {}

  private connect() {
    this.client ??= import("@aws-sdk/client-s3").then((sdk) => ({
      sdk,
      s3: new sdk.S3Client({
        region: this.location.region,
        ...(this.location.endpoint ? { endpoint: this.location.endpoint } : {}),
        forcePathStyle: this.location.forcePathStyle,
        maxAttempts: 2,
        // Plain uploads, not aws-chunked ones with trailing checksums, which S3-compatible servers often
        // do not speak; linea checks every object's sha256 itself.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
        requestHandler: { connectionTimeout: S3_CONNECT_TIMEOUT_MS, requestTimeout: 120_000 },
      }),
    }));
    return this.client;
  }

  private keyOf(key: string): string {
    assertBlobKey(key);
    return this.location.prefix + key;
  }

  async check(): Promise<void> {
    await this.wrap("open", async ({ s3, sdk }) => {
      await s3.send(new sdk.HeadBucketCommand({ Bucket: this.location.bucket }));
    });
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const size = (await stat(localPath)).size;
    await this.wrap(`store ${key}`, ({ s3, sdk }) => s3.send(new sdk.PutObjectCommand({
      Bucket: this.location.bucket, Key: this.keyOf(key), Body: createReadStream(localPath), ContentLength: size,
    })));
  }

  async getFile(key: string, localPath: string): Promise<boolean> {
    return this.wrap(`read ${key}`, async ({ s3, sdk }) => {
      try {
        const response = await s3.send(new sdk.GetObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(key) }));
        await writeAtomically(localPath, (temp) => pipeline(response.Body as Readable, createWriteStream(temp)));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    });
  }

  async putText(key: string, text: string): Promise<void> {
    await this.wrap(`store ${key}`, ({ s3, sdk }) => s3.send(new sdk.PutObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(key), Body: text })));
  }

  async getText(key: string): Promise<string | undefined> {
    return this.wrap(`read ${key}`, async ({ s3, sdk }) => {
      try {
        const response = await s3.send(new sdk.GetObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(key) }));
        return await response.Body?.transformToString("utf8");
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  async has(key: string): Promise<boolean> {
    return this.wrap(`look up ${key}`, async ({ s3, sdk }) => {
      try {
        await s3.send(new sdk.HeadObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(key) }));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    });
  }

  async remove(key: string): Promise<void> {
    await this.wrap(`remove ${key}`, ({ s3, sdk }) => s3.send(new sdk.DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(key) })));
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.listEntries(prefix)).map((entry) => entry.key);
  }

  async listEntries(prefix: string): Promise<ListedBlob[]> {
    return this.wrap(`list ${prefix}`, async ({ s3, sdk }) => {
      const entries: ListedBlob[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(new sdk.ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: this.location.prefix + prefix, ContinuationToken: token }));
        for (const item of page.Contents ?? []) {
          if (item.Key) entries.push({ key: item.Key.slice(this.location.prefix.length), bytes: item.Size ?? 0, mtimeMs: item.LastModified?.getTime() ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    });
  }

  async close(): Promise<void> {
    const client = await this.client?.catch(() => undefined);
    client?.s3.destroy();
    this.client = undefined;
  }

  private async wrap<T>(what: string, fn: (c: { s3: S3Client; sdk: typeof import("@aws-sdk/client-s3") }) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.connect());
    } catch (error) {
      throw objectStoreFailure(this.address, this.kind, what, error);
    }
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}
