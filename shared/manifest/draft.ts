import type { App } from './types.ts';
import type { FieldPath } from './source-map.ts';

/** An App read from either manifest format, with where each part came from for validation. */
export interface Draft {
  app: App;
  origins: Origins;
}

export interface Origins {
  /** `['component', 'hello']` (v2) or `['component', 0]` (v1). */
  components: Record<string, FieldPath>;
  /** Per trigger index: `['trigger', 'http', 0]` (v2) or `['component', 0, 'trigger']` (v1). */
  triggers: FieldPath[];
  /** Every `component = "<id>"` a trigger names, even on a trigger rejected for other reasons. */
  componentRefs: { id: string; path: FieldPath }[];
  /** Field holding a component's outbound hosts, relative to the component. */
  hostsField: string;
  /** Field holding a component's variables, relative to the component. */
  variablesField: string;
}
