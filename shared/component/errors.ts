import { TwirlError } from '../errors.ts';

/** A component failed its request: it trapped, ran out of time or memory, or answered malformed. */
export class ComponentTrap extends TwirlError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'component-failed', message, options);
    this.name = 'ComponentTrap';
  }
}

/** The response outgrew `maxResponseBytes`: the client must see it fail, never a body cut clean. */
export function responseTooLarge(maxBytes: number): ComponentTrap {
  return new ComponentTrap(`response body larger than the limit of ${maxBytes} bytes (maxResponseBytes)`, { code: 'response-too-large' });
}
