// Municipality names in romaji for the signing certificate subject.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { municipalityRomaji } from './municipality-romaji.ts';

test('names as real signing certificates write them', () => {
  assert.deepEqual(municipalityRomaji({ name: '三鷹市', nameKana: 'ミタカシ', prefecture: '東京都' }), { prefectureRomaji: 'Tokyo-to', municipalityRomaji: 'Mitaka-shi' });
  assert.deepEqual(municipalityRomaji({ name: '清瀬市', nameKana: 'キヨセシ', prefecture: '東京都' }), { prefectureRomaji: 'Tokyo-to', municipalityRomaji: 'Kiyose-shi' });
  assert.equal(municipalityRomaji({ name: '千代田区', nameKana: 'チヨダク', prefecture: '東京都' }).municipalityRomaji, 'Chiyoda-ku');
  assert.equal(municipalityRomaji({ name: '上越市', nameKana: 'ジョウエツシ', prefecture: '新潟県' }).municipalityRomaji, 'Joetsu-shi');
  assert.equal(municipalityRomaji({ name: '美浜町', nameKana: 'ミハマチョウ', prefecture: '福井県' }).municipalityRomaji, 'Mihama-cho');
  assert.equal(municipalityRomaji({ name: '大島町', nameKana: 'オオシママチ', prefecture: '東京都' }).municipalityRomaji, 'Oshima-machi');
  assert.equal(municipalityRomaji({ name: '大阪市', nameKana: 'オオサカシ', prefecture: '大阪府' }).prefectureRomaji, 'Osaka-fu');
});

test('unknown prefectures and readings without the suffix are refused', () => {
  assert.throws(() => municipalityRomaji({ name: '三鷹市', nameKana: 'ミタカシ', prefecture: '武蔵国' }), TypeError);
  assert.throws(() => municipalityRomaji({ name: '三鷹市', nameKana: 'ミタカ', prefecture: '東京都' }), TypeError);
});
