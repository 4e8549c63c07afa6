import { TwirlError } from '../errors.ts';

/** A component failed its request: it trapped, ran out of time or memory, or answered malformed. */
export class ComponentTrap extends TwirlError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'component-failed', message, options);
    this.name = 'ComponentTrap';
  }
}
