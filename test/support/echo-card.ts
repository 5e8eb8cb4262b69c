// The smallest InsertedCard: answers every APDU with 90 00, for measuring the PC/SC + vpcd round trip itself.
import type { InsertedCard } from '../../src/modules/card/index.ts';

const ATR = Uint8Array.of(0x3b, 0xe0, 0x00, 0xff, 0x81, 0x31, 0xfe, 0x45, 0x14);
const OK = Uint8Array.of(0x90, 0x00);

/** A card with the My Number card's contact ATR that does no work: any command APDU → 90 00. */
export function echoCard(): InsertedCard {
  return {
    atr: () => ATR,
    powerOn: async () => {},
    powerOff: async () => {},
    reset: async () => {},
    transmit: async () => OK,
  };
}
