// Turns a registry record into a JPKI issuing request: the one place where the municipality's data meets J-LIS's.
import type { IssueCertificateInput } from '../jpki/index.ts';
import { municipalityRomaji, type Municipality, type ResidentRecord } from '../registry/index.ts';

/**
 * The issuing request for a resident's user-authentication or signing certificate. The 4 attributes
 * are the 住民票's: 氏名 as 「氏　名」 with an ideographic space, the registered address. Characters
 * outside the certificate repertoire would go to the substitute fields; the registry holds only
 * JIS X 0208/0213 text, so they stay empty.
 *
 * @example
 * await jpki.issueCertificate(certificateRequestFor(municipality, resident, 'sign', spki, { actor: '三鷹市 市民課' }));
 */
export function certificateRequestFor(
  municipality: Municipality,
  resident: ResidentRecord,
  kind: 'sign' | 'auth',
  subjectPublicKeyInfo: Uint8Array,
  options: { actor: string; cardExpiresOn?: string; replacesId?: string; cardRef?: string },
): IssueCertificateInput {
  const input: IssueCertificateInput = {
    kind,
    subjectPublicKeyInfo,
    holder: { residentCode: resident.residentCode, lgCode: resident.lgCode, birthDate: resident.birthDate },
    actor: options.actor,
    ...(options.cardExpiresOn !== undefined ? { cardExpiresOn: options.cardExpiresOn } : {}),
    ...(options.replacesId !== undefined ? { replacesId: options.replacesId } : {}),
    ...(options.cardRef !== undefined ? { cardRef: options.cardRef } : {}),
  };
  if (kind === 'sign') {
    input.signing = {
      attributes: {
        name: `${resident.familyName}　${resident.givenName}`, nameSubstitute: '',
        sex: resident.sex, birthDate: resident.birthDate, address: resident.address, addressSubstitute: '',
      },
      locality: { prefecture: municipality.prefecture, municipality: municipality.name, ...municipalityRomaji(municipality) },
    };
  }
  return input;
}
