import type { StepSpec } from "../step/step-spec.js";
import type { Engine, EngineBodyKind, EngineHost, EngineInstance } from "./engine.js";
import { admitEngine, registeredEngines } from "./engine-registry.js";

/** How an orchestrator opens its engines: the host each gets, and instances given ready-made, by engine name. */
export interface EnginesOptions {
  /** Engines of this orchestrator only, besides the registered ones (their bodies take precedence). */
  readonly engines?: readonly Engine[];
  readonly host?: (engine: Engine) => EngineHost;
  readonly instances?: Readonly<Record<string, () => Promise<EngineInstance>>>;
}

const UNCONFINED: EngineHost = { options: undefined, access: undefined };

/**
 * The engines of one orchestrator (the registered ones, then its own), each opened on first use and closed
 * together. Which engine runs a body kind is decided here, never in the scheduler.
 */
export class Engines {
  readonly list: readonly Engine[];
  private readonly opened = new Map<string, Promise<EngineInstance | undefined>>();

  constructor(private readonly options: EnginesOptions = {}) {
    for (const engine of options.engines ?? []) admitEngine(engine);
    const own = (options.engines ?? []).filter((e) => !registeredEngines().includes(e));
    this.list = [...registeredEngines(), ...own];
  }

  /** The engine a `run` step names (the last of that name: an orchestrator's own engine overrides). */
  named(name: string): Engine | undefined {
    return this.list.findLast((e) => e.name === name);
  }

  /** The engine that runs a body kind: the last one (registered, then the orchestrator's own) implementing it. */
  forBody(kind: EngineBodyKind): Engine | undefined {
    return this.list.findLast((e) => e.bodies[kind] !== undefined);
  }

  /** The engine that checks data held in `form`: its own engine when it implements checks, else the one of {@link forBody}. */
  forChecks(form: string): Engine | undefined {
    const own = this.named(form);
    return own?.bodies.checks !== undefined ? own : this.forBody("checks");
  }

  /** The engine a step's body runs on (`run` steps: the one they name). */
  ofStep(spec: StepSpec): Engine | undefined {
    return spec.body.kind === "run" ? this.named(spec.body.engine) : this.forBody(spec.body.kind);
  }

  /** Each engine's version, by name (those that have one), for cache keys. */
  versions(): Record<string, string> {
    const versions: Record<string, string> = {};
    for (const engine of this.list) {
      const version = engine.version();
      if (version !== undefined) versions[engine.name] = version;
    }
    return versions;
  }

  /** The engine opened for this orchestrator, on first use (undefined for an engine that holds nothing). */
  instance(name: string): Promise<EngineInstance | undefined> {
    let opened = this.opened.get(name);
    if (opened === undefined) {
      const given = this.options.instances?.[name];
      const engine = this.named(name);
      if (given === undefined && engine === undefined) return Promise.reject(new Error(`no engine named ${JSON.stringify(name)} is registered`));
      opened = given !== undefined ? given() : engine?.open?.((this.options.host ?? (() => UNCONFINED))(engine)) ?? Promise.resolve(undefined);
      this.opened.set(name, opened);
      // An engine that could not open may open next time.
      opened.catch(() => this.opened.get(name) === opened && this.opened.delete(name));
    }
    return opened;
  }

  /** Closes every engine opened; the data of runs made on them becomes unusable. */
  async close(): Promise<void> {
    const opened = [...this.opened.values()];
    this.opened.clear();
    for (const instance of opened) await (await instance.catch(() => undefined))?.close();
  }
}
