// Municipality and prefecture names in romaji, as the JPKI signing certificate's subject writes them (`Tokyo-to`, `Mitaka-shi`).
import { toRomaji } from 'wanakana';
import type { Municipality } from './contract.ts';

/** The 47 prefectures: 都道府県 → its name in passport Hepburn with the suffix as the certificates write it. */
const PREFECTURES: Readonly<Record<string, string>> = {
  北海道: 'Hokkaido', 青森県: 'Aomori-ken', 岩手県: 'Iwate-ken', 宮城県: 'Miyagi-ken', 秋田県: 'Akita-ken', 山形県: 'Yamagata-ken',
  福島県: 'Fukushima-ken', 茨城県: 'Ibaraki-ken', 栃木県: 'Tochigi-ken', 群馬県: 'Gunma-ken', 埼玉県: 'Saitama-ken', 千葉県: 'Chiba-ken',
  東京都: 'Tokyo-to', 神奈川県: 'Kanagawa-ken', 新潟県: 'Niigata-ken', 富山県: 'Toyama-ken', 石川県: 'Ishikawa-ken', 福井県: 'Fukui-ken',
  山梨県: 'Yamanashi-ken', 長野県: 'Nagano-ken', 岐阜県: 'Gifu-ken', 静岡県: 'Shizuoka-ken', 愛知県: 'Aichi-ken', 三重県: 'Mie-ken',
  滋賀県: 'Shiga-ken', 京都府: 'Kyoto-fu', 大阪府: 'Osaka-fu', 兵庫県: 'Hyogo-ken', 奈良県: 'Nara-ken', 和歌山県: 'Wakayama-ken',
  鳥取県: 'Tottori-ken', 島根県: 'Shimane-ken', 岡山県: 'Okayama-ken', 広島県: 'Hiroshima-ken', 山口県: 'Yamaguchi-ken', 徳島県: 'Tokushima-ken',
  香川県: 'Kagawa-ken', 愛媛県: 'Ehime-ken', 高知県: 'Kochi-ken', 福岡県: 'Fukuoka-ken', 佐賀県: 'Saga-ken', 長崎県: 'Nagasaki-ken',
  熊本県: 'Kumamoto-ken', 大分県: 'Oita-ken', 宮崎県: 'Miyazaki-ken', 鹿児島県: 'Kagoshima-ken', 沖縄県: 'Okinawa-ken',
};

/** 市区町村 suffixes: kanji, the kana readings it can have, and the romaji the certificate writes. */
const SUFFIXES: ReadonlyArray<readonly [kanji: string, kana: string, romaji: string]> = [
  ['市', 'シ', 'shi'], ['区', 'ク', 'ku'], ['町', 'マチ', 'machi'], ['町', 'チョウ', 'cho'], ['村', 'ムラ', 'mura'], ['村', 'ソン', 'son'],
];

/** Passport Hepburn drops long vowels (Tōkyō → Tokyo); wanakana writes them out (toukyou). */
function hepburn(kana: string): string {
  const romaji = toRomaji(kana).replace(/ou/g, 'o').replace(/uu/g, 'u').replace(/oo/g, 'o');
  return romaji.charAt(0).toUpperCase() + romaji.slice(1);
}

/**
 * The romaji names of a municipality and its prefecture. The municipality's comes from its kana
 * reading; throws a TypeError when the prefecture is unknown or the reading lacks the suffix.
 * @example municipalityRomaji({ name: '三鷹市', nameKana: 'ミタカシ', prefecture: '東京都', … }) // { prefectureRomaji: 'Tokyo-to', municipalityRomaji: 'Mitaka-shi' }
 */
export function municipalityRomaji(municipality: Pick<Municipality, 'name' | 'nameKana' | 'prefecture'>): { prefectureRomaji: string; municipalityRomaji: string } {
  const prefectureRomaji = PREFECTURES[municipality.prefecture];
  if (!prefectureRomaji) throw new TypeError(`unknown prefecture: ${municipality.prefecture}`);
  const suffix = SUFFIXES.find(([kanji, kana]) => municipality.name.endsWith(kanji) && municipality.nameKana.endsWith(kana));
  if (!suffix) throw new TypeError(`the reading ${municipality.nameKana} does not end in the suffix of ${municipality.name}`);
  const stem = municipality.nameKana.slice(0, municipality.nameKana.length - suffix[1].length);
  return { prefectureRomaji, municipalityRomaji: `${hepburn(stem)}-${suffix[2]}` };
}
