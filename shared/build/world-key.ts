/**
 * A world's engine named by what it depends on: the same key in Node (the CLI's kept engines,
 * the playground's build) and in the browser, which finds a world prepared ahead by it.
 */
import { sha256Hex } from '../digest.ts';
import { featuresFor } from './js-engine-init.ts';
import { witAsOneText } from './wit-text.ts';

/** What a world's engine is made from. */
export interface WorldInput {
  /** The bundled code: its exports choose the engine's features. */
  code: string;
  wit: ReadonlyMap<string, string>;
  world: string;
}

/** Everything the spliced engine of `input`'s world depends on: componentize-js's version, the features, the world and its WIT. */
export function worldIdentity(input: WorldInput, componentizeVersion: string): string {
  return `${componentizeVersion}\0${featuresFor(input.code).join(',')}\0${input.world}\0${witAsOneText(input.wit)}`;
}

/** The world's key: 24 hex digits of the SHA-256 of its identity. */
export async function worldKeyOf(input: WorldInput, componentizeVersion: string): Promise<string> {
  return (await sha256Hex(worldIdentity(input, componentizeVersion))).slice(0, 24);
}
