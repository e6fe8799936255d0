import { resolve } from "node:path";
import { createMetricsExportHook, type MetricsFormat } from "../events/hooks/create-metrics-export-hook.js";
import { createSlackHook } from "../events/hooks/create-slack-hook.js";
import type { EventType } from "../events/event-types.js";
import { Sandbox } from "../sandbox/sandbox.js";
import { createOpenLineageHook, openLineageHookOptionsFromEnv, type OpenLineageHookOptions } from "../track/openlineage/create-openlineage-hook.js";
import { errorMessage } from "../util/error-message.js";
import { MASK, maskUrl } from "../util/mask-url.js";
import { expandVariables, type Variables } from "./expand-variables.js";
import type { DocumentPath, Finding } from "./place-of.js";
import type { PipelineFileHooks } from "./pipeline-file.generated.js";

/** The hooks of a pipeline file's `hooks:` section, their variables expanded and paths made absolute. */
export interface PipelineHooks {
  readonly slack?: { readonly webhookUrl: string; readonly events?: readonly EventType[]; readonly username?: string; readonly channel?: string };
  readonly metrics?: { readonly outputPath: string; readonly format?: MetricsFormat; readonly prometheusPath?: string };
  readonly eventLog?: { readonly path: string; readonly events?: readonly EventType[] };
  readonly openLineage?: OpenLineageHookOptions;
}

/** Where a pipeline file's hooks resolve: the variables of `${NAME}`, and the folders their files may be written in. */
export interface PipelineHooksContext {
  readonly variables: Variables;
  readonly baseDir: string;
  readonly allowPaths: readonly string[];
}

/** The hooks as they may be shown: the webhook URL and the API key masked, URLs' credentials too. */
function masked(hooks: PipelineHooks): object {
  return {
    ...hooks,
    ...(hooks.slack ? { slack: { ...hooks.slack, webhookUrl: MASK } } : {}),
    ...(hooks.openLineage ? {
      openLineage: {
        ...hooks.openLineage,
        ...(hooks.openLineage.url !== undefined ? { url: maskUrl(hooks.openLineage.url) } : {}),
        ...(hooks.openLineage.apiKey !== undefined ? { apiKey: MASK } : {}),
      },
    } : {}),
  };
}

/** Collects findings while expanding and placing one hook's fields. */
class Resolver {
  readonly findings: Finding[] = [];
  private readonly sandbox: Sandbox;

  constructor(private readonly context: PipelineHooksContext) {
    this.sandbox = new Sandbox({ baseDir: context.baseDir, allowPaths: [...context.allowPaths] });
  }

  /** A text field, its variables expanded; undefined when absent or wrong (then a finding says why). */
  text(value: string | undefined, path: DocumentPath): string | undefined {
    if (value === undefined) return undefined;
    const expanded = expandVariables(value, this.context.variables, path);
    if (expanded.ok) return expanded.value;
    this.findings.push(...expanded.findings);
    return undefined;
  }

  /** A file a hook writes: relative to baseDir, and inside the sandbox like any other write. */
  file(value: string | undefined, path: DocumentPath): string | undefined {
    const text = this.text(value, path);
    if (text === undefined) return undefined;
    const absolute = resolve(this.context.baseDir, text);
    if (this.sandbox.allows(absolute)) return absolute;
    this.findings.push({
      path, message: `${absolute} is outside the pipeline's baseDir ${this.sandbox.baseDir}: keep it under the baseDir, or add its folder to options.allowPaths`,
    });
    return undefined;
  }

  /** Builds the hook once, to report a bad option now rather than when the run starts. */
  check(path: DocumentPath, build: () => unknown): void {
    try {
      build();
    } catch (error) {
      this.findings.push({ path, message: errorMessage(error) }); // the hooks' messages never hold their secrets
    }
  }
}

function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}

/**
 * Resolves a pipeline file's `hooks:` section: expands `${NAME}` and `${NAME:-default}` in its text values,
 * resolves the files hooks write against baseDir (and refuses those outside the sandbox), fills in
 * OpenLineage's settings from `OPENLINEAGE_URL`, `OPENLINEAGE_NAMESPACE` and `OPENLINEAGE_API_KEY`, and
 * checks each hook's options. The result's JSON form masks the secrets.
 */
export function resolvePipelineHooks(section: PipelineFileHooks | undefined, context: PipelineHooksContext): { hooks: PipelineHooks | undefined; findings: Finding[] } {
  if (section === undefined) return { hooks: undefined, findings: [] };
  const r = new Resolver(context);
  const hooks: { -readonly [K in keyof PipelineHooks]: PipelineHooks[K] } = {};
  if (section.slack !== undefined) {
    const at = ["hooks", "slack"];
    const webhookUrl = r.text(section.slack.webhookUrl, [...at, "webhookUrl"]);
    const slack = defined({
      webhookUrl, events: section.slack.events as EventType[] | undefined,
      username: r.text(section.slack.username, [...at, "username"]), channel: r.text(section.slack.channel, [...at, "channel"]),
    });
    if (webhookUrl !== undefined) {
      r.check([...at, "webhookUrl"], () => createSlackHook(slack as NonNullable<PipelineHooks["slack"]>));
      hooks.slack = slack as NonNullable<PipelineHooks["slack"]>;
    }
  }
  if (section.metrics !== undefined) {
    const at = ["hooks", "metrics"];
    const outputPath = r.file(section.metrics.path, [...at, "path"]);
    const metrics = defined({ outputPath, format: section.metrics.format, prometheusPath: r.file(section.metrics.prometheusPath, [...at, "prometheusPath"]) });
    if (outputPath !== undefined) {
      r.check(at, () => createMetricsExportHook(metrics as NonNullable<PipelineHooks["metrics"]>));
      hooks.metrics = metrics as NonNullable<PipelineHooks["metrics"]>;
    }
  }
  if (section.event_log !== undefined) {
    const path = r.file(section.event_log.path, ["hooks", "event_log", "path"]);
    if (path !== undefined) hooks.eventLog = defined({ path, events: section.event_log.events as EventType[] | undefined });
  }
  if (section.openlineage !== undefined) {
    const at = ["hooks", "openlineage"];
    const own = section.openlineage;
    const before = r.findings.length;
    const openLineage: OpenLineageHookOptions = {
      ...openLineageHookOptionsFromEnv(context.variables),
      ...defined({
        url: r.text(own.url, [...at, "url"]), endpoint: r.text(own.endpoint, [...at, "endpoint"]), namespace: r.text(own.namespace, [...at, "namespace"]),
        apiKey: r.text(own.apiKey, [...at, "apiKey"]), file: r.file(own.file, [...at, "file"]),
      }),
    };
    if (r.findings.length > before) {
      // Reported already.
    } else if (openLineage.url === undefined && openLineage.file === undefined) {
      r.findings.push({ path: at, message: "needs `url` (an OpenLineage server; or set OPENLINEAGE_URL) or `file` (a JSON Lines file), or both" });
    } else {
      r.check(at, () => createOpenLineageHook(openLineage));
      hooks.openLineage = openLineage;
    }
  }
  Object.defineProperty(hooks, "toJSON", { value: () => masked(hooks), enumerable: false });
  return { hooks, findings: r.findings };
}
