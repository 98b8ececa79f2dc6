import type { Attributes, Stream, ToxicDefinition } from './toxics/definition.js';

/** A toxic as the API knows it: name, type, stream, toxicity and attributes. */
export class Toxic {
  readonly name: string;
  readonly definition: ToxicDefinition;
  readonly stream: Stream;
  toxicity: number;
  attributes: Attributes;

  constructor(name: string, definition: ToxicDefinition, stream: Stream, toxicity: number, attributes: Attributes) {
    this.name = name;
    this.definition = definition;
    this.stream = stream;
    this.toxicity = toxicity;
    this.attributes = attributes;
  }

  get type(): string {
    return this.definition.type;
  }

  toJSON(): { attributes: Attributes; name: string; type: string; stream: Stream; toxicity: number } {
    return { attributes: { ...this.attributes }, name: this.name, type: this.type, stream: this.stream, toxicity: this.toxicity };
  }
}
