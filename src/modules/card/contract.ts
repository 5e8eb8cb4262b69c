// The card module's public contract: applications, cards and their lifecycle, and the virtual chips behind the card SDK.
import type { StaffPrincipal } from '../registry/index.ts';
import type { ResidentChangeNotice } from '../jpki/index.ts';

/** 申請方法: 郵便, オンライン（顔写真付き）, 申請時来庁方式, 企業一括申請, 出張窓口. */
export type ApplicationChannel = 'mail' | 'online' | 'visit_at_application' | 'employer_batch' | 'mobile_counter';

/** 受付 → 作成済み → 交付済み (or 取下げ). */
export type ApplicationStatus = 'received' | 'produced' | 'completed' | 'cancelled';

/** 作成済み（交付前）, 有効, 一時停止中, 廃止. */
export type CardStatus = 'produced' | 'active' | 'suspended' | 'invalid';

/** Why a card was invalidated (廃止事由). */
export type CardInvalidReason = 'lost' | 'deceased' | 'moved_abroad' | 'returned' | 'replaced' | 'expired';

/** The identity check done at the counter (or at the application visit / mobile counter). */
export interface IdentityCheck {
  /** The documents seen, e.g. 運転免許証, パスポート, 在留カード (1 photo ID, or 2 other documents). */
  documents: string[];
  /** Who checked (staff name). */
  checkedBy: string;
}

/** The four PINs set at hand-over (spec §9). `sign` is left out for a card without a signing certificate (under 15). */
export interface CardPins {
  /** 利用者証明用電子証明書: 4 digits. */
  auth: string;
  /** 署名用電子証明書: 6–16 of A–Z, 0–9. */
  sign?: string;
  /** 券面事項入力補助用: 4 digits. */
  kenhojo: string;
  /** 住民基本台帳用: 4 digits. */
  juki: string;
}

/** A 交付申請. */
export interface CardApplicationRecord {
  id: string;
  lgCode: string;
  residentCode: string;
  channel: ApplicationChannel;
  status: ApplicationStatus;
  hasPhoto: boolean;
  identityChecked: IdentityCheck | null;
  employer: { name: string; corporateNumber?: string } | null;
  place: string | null;
  renewalOf: string | null;
  cardId: string | null;
  receivedAt: Date;
}

/** What an application needs. */
export interface ApplyInput {
  /** The registry's id of the resident (住民票). */
  residentId: string;
  channel: ApplicationChannel;
  /** 顔写真 (JPEG or PNG, ≤ 2 MB): required for mail and online applications. */
  photo?: { bytes: Uint8Array; type: 'image/jpeg' | 'image/png' };
  /** 申請時来庁方式 and 出張窓口: the identity check done there. */
  identityCheck?: IdentityCheck;
  /** 申請時来庁方式: the PINs chosen at the visit (the card is then delivered without a second visit). */
  pins?: CardPins;
  /** 出張窓口: where (e.g. 「○○社 本社会議室」). */
  place?: string;
  /** The card this one renews or replaces (renewal within 3 months of expiry, or after loss). */
  renewalOf?: string;
}

/** A card as the municipality and J-LIS record it. */
export interface CardRecord {
  id: string;
  /** 製造番号 (13 characters). */
  serial: string;
  lgCode: string;
  residentCode: string;
  applicationId: string;
  status: CardStatus;
  invalidReason: CardInvalidReason | null;
  /** 発行日 (JST). */
  issuedOn: string;
  /** 有効期限 (JST, last valid day). */
  expiresOn: string;
  handedOverAt: Date | null;
  authCertificateId: string | null;
  signCertificateId: string | null;
  /** The 4 attributes or the number changed since the chip was written: 券面記載事項変更 due at the counter. */
  attributesOutdated: boolean;
  replacesCardId: string | null;
  /** A demo card: its initial PINs are derived and shown by `card list --demo`. */
  demo: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** One entry of a card's history. */
export interface CardEvent {
  kind: string;
  actor: string;
  detail: Record<string, unknown>;
  at: Date;
}

/** Who acts on a card: municipal staff, or the J-LIS call centre / production line. */
export type CardActor = { staff: StaffPrincipal } | { system: string };

/** A free-area (空き領域) application to install: types of the 総務省 material (A: ID等, C: IDのみ, D: 暗号化したID等, custom: 独自). */
export interface FreeAreaInstall {
  name: string;
  /** 5–16 bytes, hex. */
  aid: string;
  type: 'A' | 'C' | 'D' | 'custom';
  /** EF 0001's content. */
  data: Uint8Array;
  /** 4 digits; not for type C. */
  pin?: string;
}

/** A powered virtual chip as a transport sees it (card SDK, PC/SC bridge, HTTP reader). */
export interface ChipSession {
  readonly cardId: string;
  atr(): Uint8Array;
  /** One APDU; persists PIN counters and values the APDU changed before it resolves. */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  reset(): Promise<Uint8Array>;
  powerOff(): Promise<void>;
}

/** Card lifecycle settings (configuration). */
export interface CardSettings {
  /** Card validity in birthdays after issuance (default 10). */
  validityBirthdays: number;
  /** For those under `minorAge` at issuance (default 5). */
  minorValidityBirthdays: number;
  /** Default 20, as the seeds state (the law moved it to 18 in 2022: set 18 for that). */
  minorAge: number;
  /** Renewal may be applied for this many months before expiry (default 3). */
  renewalWindowMonths: number;
}

/** The card service. */
export interface CardService {
  /** 交付申請. Throws CARD_RESIDENT_NOT_ELIGIBLE, CARD_APPLICATION_PENDING, CARD_ALREADY_HELD, CARD_APPLICATION_INVALID. */
  apply(staff: StaffPrincipal, input: ApplyInput): Promise<CardApplicationRecord>;
  /** 企業一括申請: an employer's batch; each person is validated; all or nothing. */
  applyBatch(staff: StaffPrincipal, input: { employer: { name: string; corporateNumber?: string }; place?: string; applications: Omit<ApplyInput, 'channel'>[] }): Promise<CardApplicationRecord[]>;
  getApplication(lgCode: string, applicationId: string): Promise<CardApplicationRecord>;
  listApplications(lgCode: string, filter?: { status?: ApplicationStatus; limit?: number }): Promise<CardApplicationRecord[]>;
  /**
   * Production (J-LIS): the chip generates its two key pairs, JPKI certifies them (no signing
   * certificate under 15), the 券面事項入力補助AP and 券面AP files are written. 申請時来庁方式 cards
   * come out active. Idempotent per application.
   */
  produce(applicationId: string, options?: { actor?: string; demo?: boolean; timings?: Record<string, number> }): Promise<CardRecord>;
  /** 交付: identity check recorded, the four PINs set, the card active. */
  handOver(staff: StaffPrincipal, cardId: string, input: { identityCheck: IdentityCheck; pins: CardPins }): Promise<CardRecord>;
  getCard(cardId: string): Promise<CardRecord>;
  /** Cards, newest first: of one municipality, one person, or the demo cards. */
  listCards(filter: { lgCode?: string; residentCode?: string; status?: CardStatus; demo?: boolean; limit?: number }): Promise<CardRecord[]>;
  cardHistory(cardId: string): Promise<CardEvent[]>;
  /** 一時停止 (24-hour hotline): certificates on hold. Idempotent. */
  suspend(cardId: string, input: { actor: CardActor; reportedBy: string }): Promise<CardRecord>;
  /** 一時停止の解除 (the card was found): certificates good again. */
  resume(cardId: string, input: { actor: CardActor; reportedBy: string }): Promise<CardRecord>;
  /** 紛失: certificates revoked (keyCompromise), card invalid; a new application may follow. */
  reportLost(cardId: string, input: { actor: CardActor; reportedBy: string }): Promise<CardRecord>;
  /** 廃止: death, 国外転出, return of the card: card invalid, certificates revoked. */
  invalidate(cardId: string, input: { actor: CardActor; reason: 'deceased' | 'moved_abroad' | 'returned' }): Promise<CardRecord>;
  /** 券面記載事項変更 at the counter: rewrites the chip's 4 attributes (and number), reissues the signing certificate. */
  updateAttributes(staff: StaffPrincipal, cardId: string, input: { identityCheck: IdentityCheck; signPin?: string }): Promise<CardRecord>;
  /** 空き領域: installs (or replaces, by name) a municipality's application on an active card. */
  installFreeArea(staff: StaffPrincipal, cardId: string, input: FreeAreaInstall): Promise<CardRecord>;
  /** Registry notices (住基ネット): death invalidates, attribute or number changes mark the card outdated. */
  applyResidentChange(notice: ResidentChangeNotice): Promise<void>;
  /** The virtual chip of a card held by the platform; throws CARD_CHIP_UNAVAILABLE. */
  openChip(cardId: string): Promise<ChipSession>;
  /** The initial PINs of a demo card (derived, never stored); throws CARD_STATE_CONFLICT for non-demo cards. */
  demoPins(cardId: string): Promise<CardPins>;
  /** Demo data: applies for, produces and hands over cards for the first `count` active residents of a municipality without one. */
  createDemoCards(lgCode: string, count: number): Promise<CardRecord[]>;
}
