// The card module's one public door (DESIGN §2).
export { createCard } from './create-card.ts';
export { DEFAULT_CARD_SETTINGS, type CardDeps } from './config.ts';
export type * from './contract.ts';
export { cardErrors, type CardErrorCode } from './errors.ts';
export { cardMigrations } from './migrations/index.ts';
export { certificateRequestFor } from './certificate-request.ts';
export type { CardTransport, InsertedCard } from './transports/card-transport.ts';
export { createVirtualCard, type VirtualCard } from './virtual-card/virtual-card.ts';
export { blankCardImage, AID, FID, CARD_ATR } from './virtual-card/card-layout.ts';
export { parseCommandApdu, type CommandApdu } from './virtual-card/command-apdu.ts';
export { CardClient, digestInfo, triesLeftOf, type CardPinKind, type ReadAttributes, type CardFace } from './sdk/card-client.ts';
export { inProcessTransport, insertedChip } from './transports/in-process-transport.ts';
export { attachToVpcd, VPCD_DEFAULT_PORT, type VpcdAttachment, type VpcdOptions } from './transports/vpcd-bridge.ts';
export { listPcscReaders, openPcscTransport, type PcscReaderInfo } from './transports/pcsc-transport.ts';
export { syntheticPortrait } from './card-face-images.ts';
export { cardRoutes, virtualReaderRoutes } from './http/routes.ts';
export { virtualReaderTransport } from './transports/virtual-reader-transport.ts';
