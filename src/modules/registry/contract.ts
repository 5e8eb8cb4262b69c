// The registry's public contract: the types other modules, the HTTP edge and the CLI see.
import type { Relationship, ResidentImportRow, Sex } from './import-row.ts';

export type { Relationship, ResidentImportRow, Sex } from './import-row.ts';

/** A municipality using the platform (a tenant), keyed by its 全国地方公共団体コード. */
export interface Municipality {
  lgCode: string;
  name: string;
  nameKana: string;
  prefecture: string;
  /** Declared population (統計上の人口), not the count of rows. */
  population: number;
}

/** A member of municipal staff, as authenticated by an API key of one municipality. */
export interface StaffPrincipal {
  apiKeyId: string;
  lgCode: string;
  staffName: string;
}

/** 住民の状態: 記録中, 転出予定 (転出届済み、転入待ち), 転出済み, 死亡. */
export type ResidentStatus = 'active' | 'moving_out' | 'moved_out' | 'deceased';

/** One resident record (住民票) as staff see it. */
export interface ResidentRecord {
  id: string;
  lgCode: string;
  residentCode: string;
  individualNumber: string;
  householdId: string;
  householdNo: string;
  relationship: Relationship;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  birthDate: string;
  sex: Sex;
  postalCode: string;
  address: string;
  honseki: string | null;
  hittosha: string | null;
  nationality: string | null;
  residenceStatus: string | null;
  residenceExpiry: string | null;
  residenceCardNumber: string | null;
  aliasName: string | null;
  status: ResidentStatus;
  registeredOn: string;
  movedOutOn: string | null;
  movedOutTo: string | null;
  diedOn: string | null;
  /** Optimistic-lock version: pass it back on 職権修正. */
  version: number;
}

/** A search hit: enough to pick the right person, without the individual number. */
export interface ResidentSummary {
  id: string;
  residentCode: string;
  householdNo: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  birthDate: string;
  sex: Sex;
  address: string;
  status: ResidentStatus;
}

/** 世帯: its members, head first. */
export interface Household {
  id: string;
  lgCode: string;
  householdNo: string;
  address: string;
  postalCode: string;
  members: ResidentSummary[];
  headId: string | null;
}

/** 異動の種類. */
export type ResidentEventKind =
  | 'import' | 'birth' | 'move_in' | 'move_within' | 'move_out' | 'move_out_completed'
  | 'death' | 'name_change' | 'correction' | 'number_reissue';

/** One entry of a resident's history (異動履歴). */
export interface ResidentEvent {
  id: number;
  kind: ResidentEventKind;
  occurredOn: string;
  recordedAt: Date;
  staff: string;
  /** The changed fields before and after (never the individual number itself). */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  note: string | null;
}

/** 印鑑登録. */
export interface SealRegistration {
  id: string;
  residentId: string;
  registrationNo: string;
  imageType: string;
  status: 'registered' | 'abolished';
  registeredOn: string;
  abolishedOn: string | null;
}

/** A year's 所得 and 課税額 (住民税), integer yen. */
export interface TaxRecord {
  residentId: string;
  fiscalYear: number;
  incomeYen: number;
  taxYen: number;
}

/** 戸籍 summary: 本籍, 筆頭者 and members. */
export interface FamilyRegister {
  id: string;
  lgCode: string;
  honseki: string;
  hittosha: string;
  members: {
    position: number;
    familyName: string;
    givenName: string;
    birthDate: string;
    sex: Sex;
    relationship: string;
    residentCode: string | null;
  }[];
}

/** A change other modules must act on (the 4 basic attributes or a death). */
export interface OutboxMessage {
  id: number;
  topic: 'resident.basic-attributes-changed' | 'resident.died' | 'resident.number-reissued';
  lgCode: string;
  residentCode: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** Progress of a long operation, for progress bars. */
export type ProgressListener = (done: number, total: number | undefined) => void;

/** What a bulk import did. */
export interface ImportSummary {
  lgCode: string;
  residents: number;
  households: number;
  firstResidentCodeSequence: number;
  elapsedMs: number;
}

/** What seeding a synthetic municipality did. */
export interface SeedSummary extends ImportSummary {
  municipality: Municipality;
  created: boolean;
  seals: number;
  taxRecords: number;
  familyRegisters: number;
}

export type { ResidentImportRow as ImportRow };

/** Who is asking, and why: every read of a person's data is recorded with both. */
export interface ReadContext {
  staff: StaffPrincipal;
  /** 利用目的, e.g. 「住民票の写しの交付」. Required, 1–200 characters. */
  purpose: string;
}

/** Search criteria (all optional; at least one). The individual number is matched exactly. */
export interface ResidentQuery {
  familyNameKana?: string;
  givenNameKana?: string;
  familyName?: string;
  birthDate?: string;
  householdNo?: string;
  residentCode?: string;
  individualNumber?: string;
  status?: ResidentStatus;
  limit?: number;
  offset?: number;
}

/** Person fields given when someone enters the register by birth or from outside the deployment. */
export interface NewPersonInput {
  relationship: Relationship;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  birthDate: string;
  sex: Sex;
  honseki: string | null;
  hittosha: string | null;
  nationality: string | null;
  residenceStatus: string | null;
  residenceExpiry: string | null;
  residenceCardNumber: string | null;
  aliasName: string | null;
}

/** Where someone goes to live: an existing household, or a new one at an address. */
export type HouseholdTarget =
  | { householdId: string }
  | { newHousehold: { address: string; postalCode: string } };

/** The registry's service: every use case, one method each. Staff methods are scoped to `staff.lgCode`. */
export interface RegistryService {
  // Municipalities and staff keys (platform administration, not staff-facing).
  registerMunicipality(input: Municipality): Promise<Municipality>;
  getMunicipality(lgCode: string): Promise<Municipality>;
  listMunicipalities(): Promise<(Municipality & { residents: number })[]>;
  createApiKey(lgCode: string, staffName: string): Promise<{ id: string; apiKey: string }>;
  /** Resolves an API key to its staff member; throws KERNEL_AUTH_INVALID. */
  authenticate(apiKey: string): Promise<StaffPrincipal>;

  // Reads (each recorded in the audit log with staff and purpose).
  getResident(ctx: ReadContext, residentId: string): Promise<ResidentRecord>;
  findResidents(ctx: ReadContext, query: ResidentQuery): Promise<{ total: number; items: ResidentSummary[] }>;
  getHousehold(ctx: ReadContext, householdId: string): Promise<Household>;
  /** A current resident by 住民票コード with the household's current members as full records (certificates). */
  getResidentWithHousehold(ctx: ReadContext, residentCode: string): Promise<{ resident: ResidentRecord; household: ResidentRecord[] }>;
  getResidentHistory(ctx: ReadContext, residentId: string): Promise<ResidentEvent[]>;

  // 異動 (each writes a resident event; changes to the 4 basic attributes or a death also write the outbox).
  recordBirth(staff: StaffPrincipal, input: { householdId: string; person: NewPersonInput; occurredOn: string }): Promise<ResidentRecord>;
  recordMoveIn(staff: StaffPrincipal, input: { fromResidentCode?: string; person?: NewPersonInput; relationship: Relationship; target: HouseholdTarget; occurredOn: string }): Promise<ResidentRecord>;
  recordMoveWithin(staff: StaffPrincipal, residentId: string, input: { target: HouseholdTarget; relationship: Relationship; occurredOn: string; newHeadId?: string }): Promise<ResidentRecord>;
  recordMoveOut(staff: StaffPrincipal, residentId: string, input: { destination: string; plannedOn: string; newHeadId?: string }): Promise<ResidentRecord>;
  recordDeath(staff: StaffPrincipal, residentId: string, input: { diedOn: string; newHeadId?: string }): Promise<ResidentRecord>;
  changeName(staff: StaffPrincipal, residentId: string, input: { familyName: string; givenName: string; familyNameKana: string; givenNameKana: string; occurredOn: string; reason: string }): Promise<ResidentRecord>;
  correctResident(staff: StaffPrincipal, residentId: string, input: { expectedVersion: number; reason: string; changes: Partial<Pick<ResidentRecord, 'familyName' | 'givenName' | 'familyNameKana' | 'givenNameKana' | 'birthDate' | 'sex' | 'postalCode' | 'address' | 'honseki' | 'hittosha' | 'nationality' | 'residenceStatus' | 'residenceExpiry' | 'residenceCardNumber' | 'aliasName'>> }): Promise<ResidentRecord>;
  reissueIndividualNumber(staff: StaffPrincipal, residentId: string, input: { reason: string }): Promise<ResidentRecord>;

  // 印鑑登録, 課税, 戸籍.
  registerSeal(staff: StaffPrincipal, residentId: string, input: { image: Uint8Array; imageType: string; registeredOn: string }): Promise<SealRegistration>;
  abolishSeal(staff: StaffPrincipal, sealId: string, input: { abolishedOn: string }): Promise<SealRegistration>;
  listSeals(ctx: ReadContext, residentId: string): Promise<SealRegistration[]>;
  getSealImage(ctx: ReadContext, sealId: string): Promise<{ image: Uint8Array; imageType: string }>;
  recordTax(staff: StaffPrincipal, residentId: string, input: { fiscalYear: number; incomeYen: number; taxYen: number }): Promise<TaxRecord>;
  listTaxRecords(ctx: ReadContext, residentId: string): Promise<TaxRecord[]>;
  getFamilyRegister(ctx: ReadContext, familyRegisterId: string): Promise<FamilyRegister>;
  findFamilyRegisters(ctx: ReadContext, query: { honseki?: string; hittosha?: string }): Promise<FamilyRegister[]>;

  // Outbox for other modules (JPKI).
  pendingOutbox(limit?: number): Promise<OutboxMessage[]>;
  markOutboxConsumed(ids: readonly number[]): Promise<void>;

  // Bulk.
  importResidentsCsv(lgCode: string, csv: import('node:stream').Readable, options: { actor: StaffPrincipal | { system: string }; onProgress?: ProgressListener; totalHint?: number }): Promise<ImportSummary>;
  seedMunicipality(options: { lgCode: string; residents: number; seed?: string; onProgress?: ProgressListener }): Promise<SeedSummary>;
}
