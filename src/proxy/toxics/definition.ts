import type { Stage, StageContext } from '../stage.js';

export type Stream = 'upstream' | 'downstream';
export const STREAMS: readonly Stream[] = ['upstream', 'downstream'];

export type AttributeValue = number | string;
export type Attributes = Record<string, AttributeValue>;

/** One attribute of a toxic: its JSON type and allowed range. */
export type AttributeSpec =
  | { kind: 'integer'; default: number; min?: number; max?: number; unit?: string }
  | { kind: 'number'; default: number; min?: number; max?: number; unit?: string }
  | { kind: 'string'; default: string; pattern?: RegExp; hint?: string };

export interface ToxicDefinition {
  type: string;
  description: string;
  /** True for toxics Toxiproxy lacks (documented as ours). */
  extension: boolean;
  attributes: Record<string, AttributeSpec>;
  /** Streams the toxic can act on; the first is used when the request names none. */
  streams: readonly Stream[];
  /** True when the toxic counts an activation per HTTP request it acts on, not per connection. */
  activatesPerRequest?: boolean;
  /** Cross-attribute checks; returns a message naming the field, or undefined. */
  check?(attrs: Attributes): string | undefined;
  /**
   * Builds the stage for one link the toxic applies to (after the toxicity roll).
   * `attrs` returns the toxic's current attributes.
   */
  createStage(attrs: () => Attributes, ctx: StageContext): Stage;
}
