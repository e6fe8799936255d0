// mitt ships one .d.ts for its CommonJS and ESM builds, so under NodeNext TypeScript sees the default
// export as the CommonJS module object. At run time the ESM build's default is the function; accept both.
import * as mittModule from "mitt";
import type { Emitter, EventType } from "mitt";

export type { Emitter, Handler } from "mitt";

type Mitt = <Events extends Record<EventType, unknown>>() => Emitter<Events>;

const loaded = mittModule.default as unknown;
export const mitt: Mitt = (typeof loaded === "function" ? loaded : (loaded as { default: unknown }).default) as Mitt;
