// Addresses and 本籍 for a synthetic municipality, built from generic 町名 and made-up postal codes.
import { cumulative, hashString, type Prng } from './prng.ts';

/**
 * Town names common enough to exist in many municipalities. They do not describe the real
 * layout of any municipality.
 */
export const TOWN_NAMES: readonly string[] = [
  '本町', '中央', '栄町', '緑町', '桜台', '東町', '西町', '南町', '北町', '旭町',
  '若葉', '富士見', '日の出町', '幸町', '寿町', '八幡町', '宮前', '新町', '元町', '末広町',
  '花園', '松が丘', '青葉台', '希望ケ丘', '泉町', '港町', '川端町', '駅前', '上町', '大手町',
  '柳町', '錦町', '住吉町', '春日町', '弥生町', '曙町', '桜木町', '平和町', '常盤台', '光が丘',
];

const BUILDING_PREFIXES = ['メゾン', 'コーポ', 'ハイツ', 'パレス', 'レジデンス', 'グラン'];
const BUILDING_STEMS = ['桜', '緑', '富士見', 'ひまわり', 'すずらん', 'アカシア', 'エトワール', 'ソレイユ', 'サンライズ', '白樺', 'けやき', 'ルミエール'];
const BUILDING_SUFFIXED = ['荘', 'ハイツ', 'マンション', 'コート', 'ヴィラ'];

/** Other prefectures (for 本籍 outside the municipality), a few cities each, weighted roughly by population (万人). */
const PREFECTURE_CITIES: readonly (readonly [prefecture: string, weight: number, cities: readonly string[]])[] = [
  ['北海道', 520, ['札幌市中央区', '旭川市', '函館市']], ['青森県', 124, ['青森市', '弘前市', '八戸市']],
  ['岩手県', 120, ['盛岡市', '一関市', '奥州市']], ['宮城県', 230, ['仙台市青葉区', '石巻市', '大崎市']],
  ['秋田県', 95, ['秋田市', '横手市', '大館市']], ['山形県', 106, ['山形市', '鶴岡市', '米沢市']],
  ['福島県', 183, ['福島市', '郡山市', 'いわき市']], ['茨城県', 286, ['水戸市', 'つくば市', '日立市']],
  ['栃木県', 193, ['宇都宮市', '小山市', '足利市']], ['群馬県', 193, ['前橋市', '高崎市', '太田市']],
  ['埼玉県', 734, ['さいたま市浦和区', '川越市', '所沢市']], ['千葉県', 628, ['千葉市中央区', '船橋市', '柏市']],
  ['東京都', 1404, ['千代田区', '世田谷区', '八王子市']], ['神奈川県', 923, ['横浜市中区', '横須賀市', '藤沢市']],
  ['新潟県', 215, ['新潟市中央区', '長岡市', '上越市']], ['富山県', 103, ['富山市', '高岡市']],
  ['石川県', 112, ['金沢市', '小松市']], ['福井県', 75, ['福井市', '敦賀市']],
  ['山梨県', 80, ['甲府市', '富士吉田市']], ['長野県', 202, ['長野市', '松本市', '上田市']],
  ['岐阜県', 194, ['岐阜市', '大垣市', '高山市']], ['静岡県', 355, ['静岡市葵区', '浜松市中央区', '沼津市']],
  ['愛知県', 748, ['名古屋市中区', '豊田市', '岡崎市']], ['三重県', 173, ['津市', '四日市市', '伊勢市']],
  ['滋賀県', 140, ['大津市', '彦根市']], ['京都府', 254, ['京都市上京区', '宇治市', '舞鶴市']],
  ['大阪府', 876, ['大阪市北区', '堺市堺区', '豊中市']], ['兵庫県', 537, ['神戸市中央区', '姫路市', '西宮市']],
  ['奈良県', 131, ['奈良市', '橿原市']], ['和歌山県', 90, ['和歌山市', '田辺市']],
  ['鳥取県', 54, ['鳥取市', '米子市']], ['島根県', 65, ['松江市', '出雲市']],
  ['岡山県', 186, ['岡山市北区', '倉敷市', '津山市']], ['広島県', 275, ['広島市中区', '福山市', '呉市']],
  ['山口県', 131, ['山口市', '下関市', '宇部市']], ['徳島県', 70, ['徳島市', '阿南市']],
  ['香川県', 93, ['高松市', '丸亀市']], ['愛媛県', 130, ['松山市', '今治市', '新居浜市']],
  ['高知県', 68, ['高知市', '南国市']], ['福岡県', 510, ['福岡市中央区', '北九州市小倉北区', '久留米市']],
  ['佐賀県', 80, ['佐賀市', '唐津市']], ['長崎県', 128, ['長崎市', '佐世保市']],
  ['熊本県', 172, ['熊本市中央区', '八代市']], ['大分県', 112, ['大分市', '別府市']],
  ['宮崎県', 106, ['宮崎市', '都城市']], ['鹿児島県', 157, ['鹿児島市', '霧島市']],
  ['沖縄県', 147, ['那覇市', '沖縄市', 'うるま市']],
];

/** A household's address line and its postal code (7 digits, no hyphen). */
export interface ResidenceAddress {
  readonly postalCode: string;
  readonly address: string;
}

/** Address generator bound to one municipality. */
export interface AddressBook {
  /** A residence: `<都道府県><市区町村><町名><n>丁目<n>番<n>号`, plus ` <建物名> <n>号室` for apartments. */
  residence(prng: Prng, apartment: boolean): ResidenceAddress;
  /** A 本籍: in this municipality when `local`, otherwise in another prefecture. */
  honseki(prng: Prng, local: boolean): string;
  /** True when a 本籍 (or address) lies in this municipality. */
  isLocal(place: string): boolean;
}

/**
 * Postal codes per 町名: a 3-digit area derived from the LG code and a 4-digit town part from the
 * town's index, so each 町名 keeps one code and different municipalities get different areas.
 * They are made up and may or may not coincide with real codes.
 */
export function townPostalCodes(lgCode: string): string[] {
  const area = 100 + (hashString(`postal:${lgCode}`) % 900);
  return TOWN_NAMES.map((_, i) => `${area}${String(11 + i * 23).padStart(4, '0')}`);
}

function buildingName(prng: Prng): string {
  return prng.chance(0.6)
    ? `${prng.pick(BUILDING_PREFIXES)}${prng.pick(BUILDING_STEMS)}`
    : `${prng.pick(BUILDING_STEMS)}${prng.pick(BUILDING_SUFFIXED)}`;
}

/** The address book of one municipality (`prefecture` e.g. 東京都, `municipalityName` e.g. 三鷹市). */
export function createAddressBook(options: { lgCode: string; prefecture: string; municipalityName: string }): AddressBook {
  const locality = `${options.prefecture}${options.municipalityName}`;
  const postalCodes = townPostalCodes(options.lgCode);
  const elsewhere = PREFECTURE_CITIES.filter(([prefecture]) => prefecture !== options.prefecture);
  const elsewhereTotals = cumulative(elsewhere.map(([, weight]) => weight));

  return {
    residence(prng, apartment) {
      const town = prng.int(0, TOWN_NAMES.length - 1);
      let address = `${locality}${TOWN_NAMES[town]}${prng.int(1, 5)}丁目${prng.int(1, 30)}番${prng.int(1, 25)}号`;
      if (apartment) {
        // Most apartment buildings are low-rise; floors thin out upwards.
        const floor = Math.min(prng.int(1, 4), prng.int(1, 9));
        address += ` ${buildingName(prng)} ${floor}${String(prng.int(1, 8)).padStart(2, '0')}号室`;
      }
      return { postalCode: postalCodes[town] as string, address };
    },
    honseki(prng, local) {
      const lot = `${prng.pick(TOWN_NAMES)}${prng.int(1, 1500)}番地`;
      if (local) return `${locality}${lot}`;
      const [prefecture, , cities] = prng.weighted(elsewhere, elsewhereTotals);
      return `${prefecture}${prng.pick(cities)}${lot}`;
    },
    isLocal(place) {
      return place.startsWith(locality);
    },
  };
}
