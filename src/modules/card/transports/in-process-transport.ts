// The simplest transport: a chip session (or a bare VirtualCard) in this process.
import type { ChipSession } from '../contract.ts';
import type { VirtualCard } from '../virtual-card/virtual-card.ts';
import type { CardTransport, InsertedCard } from './card-transport.ts';

/** A transport over a platform-held chip session or a bare engine. */
export function inProcessTransport(card: ChipSession | VirtualCard, description = 'in-process virtual card'): CardTransport {
  if ('cardId' in card) {
    return { description: `virtual card ${card.cardId}`, transmit: (c) => card.transmit(c), reset: () => card.reset(), close: async () => undefined };
  }
  return { description, transmit: async (c) => card.transmit(c), reset: async () => card.reset(), close: async () => undefined };
}

/** A chip session as a card inserted in a reader (what the vpcd bridge serves). */
export function insertedChip(chip: ChipSession): InsertedCard {
  return {
    atr: () => chip.atr(),
    powerOn: async () => undefined,
    powerOff: () => chip.powerOff(),
    reset: async () => { await chip.reset(); },
    transmit: (command) => chip.transmit(command),
  };
}
