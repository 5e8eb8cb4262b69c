// The two faces of a card connection: what a reader application sends (CardTransport) and what a card answers (InsertedCard).

/**
 * How the card SDK reaches a card: one command APDU in, one response APDU (data ‖ SW1 SW2) out.
 * Implemented in process (a virtual card), over the platform's HTTP API (a demo card held by the
 * platform) and through PC/SC (a real reader, or vpcd's virtual reader).
 */
export interface CardTransport {
  /** Human-readable: which card or reader this is, for messages. */
  readonly description: string;
  /** Sends one command APDU; resolves with the response APDU including the status word. */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  /** Warm reset: the card clears its security state (verified PINs); resolves with the ATR. */
  reset(): Promise<Uint8Array>;
  /** Releases the card or reader. */
  close(): Promise<void>;
}

/**
 * A card as a reader driver sees it (vsmartcard's vpcd control messages): power, reset, ATR and
 * APDUs. The PC/SC bridge serves one of these to pcscd.
 */
export interface InsertedCard {
  /** The answer to reset. */
  atr(): Uint8Array;
  powerOn(): Promise<void>;
  /** Power off: all volatile state (security status, current file) is lost. */
  powerOff(): Promise<void>;
  reset(): Promise<void>;
  transmit(command: Uint8Array): Promise<Uint8Array>;
}
