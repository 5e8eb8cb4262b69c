// Names for synthetic residents: Japanese and foreign names with katakana readings, and 在留資格.
//
// Surnames and era-typical given names are common ones from published rankings; foreign names are
// typical of each nationality. None is taken from any real person's record.
import type { Sex } from '../import-row.ts';
import { cumulative, type Prng } from './prng.ts';

/** A name and its reading in full-width katakana (the 住民票 フリガナ). */
export type NameEntry = readonly [name: string, kana: string];

/**
 * Common surnames with readings and a rough weight (thousands of bearers, from published
 * surname rankings, rounded). Only the ordering and rough proportions matter.
 */
export const SURNAMES: readonly (readonly [name: string, kana: string, weight: number])[] = [
  ['佐藤', 'サトウ', 1880], ['鈴木', 'スズキ', 1800], ['高橋', 'タカハシ', 1420], ['田中', 'タナカ', 1340],
  ['伊藤', 'イトウ', 1080], ['渡辺', 'ワタナベ', 1070], ['山本', 'ヤマモト', 1070], ['中村', 'ナカムラ', 1050],
  ['小林', 'コバヤシ', 1020], ['加藤', 'カトウ', 890], ['吉田', 'ヨシダ', 840], ['山田', 'ヤマダ', 820],
  ['佐々木', 'ササキ', 680], ['山口', 'ヤマグチ', 640], ['松本', 'マツモト', 630], ['井上', 'イノウエ', 610],
  ['木村', 'キムラ', 570], ['林', 'ハヤシ', 540], ['斎藤', 'サイトウ', 540], ['清水', 'シミズ', 530],
  ['山崎', 'ヤマザキ', 490], ['森', 'モリ', 470], ['池田', 'イケダ', 440], ['橋本', 'ハシモト', 440],
  ['阿部', 'アベ', 440], ['石川', 'イシカワ', 430], ['山下', 'ヤマシタ', 420], ['中島', 'ナカジマ', 410],
  ['石井', 'イシイ', 400], ['小川', 'オガワ', 400], ['前田', 'マエダ', 390], ['岡田', 'オカダ', 390],
  ['長谷川', 'ハセガワ', 380], ['藤田', 'フジタ', 380], ['後藤', 'ゴトウ', 370], ['近藤', 'コンドウ', 370],
  ['村上', 'ムラカミ', 360], ['遠藤', 'エンドウ', 340], ['青木', 'アオキ', 340], ['坂本', 'サカモト', 330],
  ['斉藤', 'サイトウ', 330], ['福田', 'フクダ', 330], ['太田', 'オオタ', 320], ['西村', 'ニシムラ', 320],
  ['藤井', 'フジイ', 310], ['金子', 'カネコ', 310], ['岡本', 'オカモト', 310], ['藤原', 'フジワラ', 300],
  ['中野', 'ナカノ', 300], ['三浦', 'ミウラ', 300], ['原田', 'ハラダ', 290], ['中川', 'ナカガワ', 290],
  ['松田', 'マツダ', 290], ['竹内', 'タケウチ', 290], ['小野', 'オノ', 280], ['田村', 'タムラ', 280],
  ['中山', 'ナカヤマ', 270], ['和田', 'ワダ', 270], ['石田', 'イシダ', 270], ['森田', 'モリタ', 260],
  ['上田', 'ウエダ', 260], ['原', 'ハラ', 260], ['内田', 'ウチダ', 250], ['柴田', 'シバタ', 250],
  ['酒井', 'サカイ', 250], ['宮崎', 'ミヤザキ', 240], ['横山', 'ヨコヤマ', 240], ['高木', 'タカギ', 240],
  ['安藤', 'アンドウ', 240], ['宮本', 'ミヤモト', 230], ['大野', 'オオノ', 230], ['小島', 'コジマ', 230],
  ['谷口', 'タニグチ', 230], ['今井', 'イマイ', 220], ['工藤', 'クドウ', 220], ['高田', 'タカダ', 220],
  ['増田', 'マスダ', 220], ['丸山', 'マルヤマ', 220], ['杉山', 'スギヤマ', 210], ['村田', 'ムラタ', 210],
  ['大塚', 'オオツカ', 210], ['新井', 'アライ', 210], ['小山', 'コヤマ', 210], ['平野', 'ヒラノ', 200],
  ['藤本', 'フジモト', 200], ['河野', 'コウノ', 200], ['上野', 'ウエノ', 200], ['野口', 'ノグチ', 200],
  ['武田', 'タケダ', 200], ['松井', 'マツイ', 190], ['千葉', 'チバ', 190], ['岩崎', 'イワサキ', 190],
  ['菅原', 'スガワラ', 190], ['木下', 'キノシタ', 190], ['久保', 'クボ', 190], ['佐野', 'サノ', 180],
  ['野村', 'ノムラ', 180], ['松尾', 'マツオ', 180], ['市川', 'イチカワ', 180], ['杉本', 'スギモト', 180],
  ['菊地', 'キクチ', 170], ['古川', 'フルカワ', 170], ['大西', 'オオニシ', 170], ['島田', 'シマダ', 170],
  ['水野', 'ミズノ', 170], ['桜井', 'サクライ', 170], ['高野', 'タカノ', 170], ['渡部', 'ワタナベ', 160],
  ['吉川', 'ヨシカワ', 160], ['山内', 'ヤマウチ', 160], ['西田', 'ニシダ', 160], ['飯田', 'イイダ', 160],
  ['菊池', 'キクチ', 160], ['西川', 'ニシカワ', 160], ['小松', 'コマツ', 150], ['北村', 'キタムラ', 150],
  ['安田', 'ヤスダ', 150], ['五十嵐', 'イガラシ', 150], ['川口', 'カワグチ', 150], ['平田', 'ヒラタ', 150],
  ['関', 'セキ', 150], ['中田', 'ナカタ', 150], ['久保田', 'クボタ', 150], ['服部', 'ハットリ', 150],
  ['東', 'ヒガシ', 140], ['岩田', 'イワタ', 140], ['土屋', 'ツチヤ', 140], ['川崎', 'カワサキ', 140],
  ['福島', 'フクシマ', 140], ['本田', 'ホンダ', 140], ['辻', 'ツジ', 130], ['樋口', 'ヒグチ', 130],
  ['秋山', 'アキヤマ', 130], ['田口', 'タグチ', 130], ['永井', 'ナガイ', 130], ['山中', 'ヤマナカ', 130],
  ['中西', 'ナカニシ', 130], ['吉村', 'ヨシムラ', 130], ['川上', 'カワカミ', 130], ['石原', 'イシハラ', 130],
  ['大橋', 'オオハシ', 130], ['松岡', 'マツオカ', 120], ['馬場', 'ババ', 120], ['浅野', 'アサノ', 120],
  ['荒木', 'アラキ', 120], ['大久保', 'オオクボ', 120], ['野田', 'ノダ', 120], ['小池', 'コイケ', 120],
  ['田辺', 'タナベ', 120], ['松下', 'マツシタ', 120], ['菅野', 'カンノ', 120], ['荒井', 'アライ', 110],
  ['熊谷', 'クマガイ', 110], ['大谷', 'オオタニ', 110], ['内藤', 'ナイトウ', 110], ['桑原', 'クワハラ', 110],
  ['松村', 'マツムラ', 110], ['黒田', 'クロダ', 110], ['尾崎', 'オザキ', 110], ['永田', 'ナガタ', 110],
  ['川村', 'カワムラ', 110], ['望月', 'モチヅキ', 110], ['堀', 'ホリ', 100], ['田島', 'タジマ', 100],
  ['荒川', 'アラカワ', 100], ['早川', 'ハヤカワ', 100], ['平井', 'ヒライ', 100], ['大川', 'オオカワ', 100],
  ['宮田', 'ミヤタ', 100], ['片山', 'カタヤマ', 100], ['星野', 'ホシノ', 100], ['岡', 'オカ', 95],
  ['小沢', 'オザワ', 95], ['西山', 'ニシヤマ', 95], ['三宅', 'ミヤケ', 95], ['須藤', 'スドウ', 95],
];

/**
 * First birth year of each naming generation. Given names follow fashion closely enough that a
 * 清 born in 2015 or a 陽葵 born in 1940 would look wrong on a screen full of residents.
 */
export const NAME_GENERATION_START_YEARS = [0, 1945, 1965, 1985, 2005] as const;

/** Given names by sex, one list per generation of {@link NAME_GENERATION_START_YEARS}. */
export const GIVEN_NAMES: Readonly<Record<Sex, readonly (readonly NameEntry[])[]>> = {
  male: [
    [
      ['清', 'キヨシ'], ['茂', 'シゲル'], ['勇', 'イサム'], ['博', 'ヒロシ'], ['実', 'ミノル'], ['進', 'ススム'],
      ['正', 'タダシ'], ['三郎', 'サブロウ'], ['武', 'タケシ'], ['勝', 'マサル'], ['稔', 'ミノル'], ['昭', 'アキラ'],
      ['一郎', 'イチロウ'], ['正雄', 'マサオ'], ['義雄', 'ヨシオ'], ['秀夫', 'ヒデオ'], ['幸雄', 'ユキオ'], ['豊', 'ユタカ'],
      ['弘', 'ヒロシ'], ['正男', 'マサオ'], ['貞夫', 'サダオ'], ['文雄', 'フミオ'], ['久雄', 'ヒサオ'], ['守', 'マモル'],
      ['寛', 'ヒロシ'], ['五郎', 'ゴロウ'], ['次郎', 'ジロウ'], ['敏夫', 'トシオ'],
    ],
    [
      ['誠', 'マコト'], ['浩', 'ヒロシ'], ['隆', 'タカシ'], ['修', 'オサム'], ['健一', 'ケンイチ'], ['和彦', 'カズヒコ'],
      ['明', 'アキラ'], ['博之', 'ヒロユキ'], ['正人', 'マサト'], ['秀樹', 'ヒデキ'], ['浩二', 'コウジ'], ['和夫', 'カズオ'],
      ['孝', 'タカシ'], ['聡', 'サトシ'], ['俊彦', 'トシヒコ'], ['英樹', 'ヒデキ'], ['裕之', 'ヒロユキ'], ['信也', 'シンヤ'],
      ['達也', 'タツヤ'], ['哲也', 'テツヤ'], ['昭彦', 'アキヒコ'], ['洋一', 'ヨウイチ'], ['幸一', 'コウイチ'], ['勝利', 'カツトシ'],
      ['正和', 'マサカズ'], ['隆司', 'タカシ'],
    ],
    [
      ['大輔', 'ダイスケ'], ['拓也', 'タクヤ'], ['直樹', 'ナオキ'], ['和也', 'カズヤ'], ['剛', 'ツヨシ'], ['健', 'ケン'],
      ['学', 'マナブ'], ['大介', 'ダイスケ'], ['智也', 'トモヤ'], ['亮', 'リョウ'], ['慎一', 'シンイチ'], ['洋平', 'ヨウヘイ'],
      ['健太', 'ケンタ'], ['雄一', 'ユウイチ'], ['隆之', 'タカユキ'], ['健二', 'ケンジ'], ['崇', 'タカシ'], ['淳', 'ジュン'],
      ['誠司', 'セイジ'], ['浩之', 'ヒロユキ'], ['太郎', 'タロウ'], ['剛史', 'タケシ'], ['康弘', 'ヤスヒロ'], ['純一', 'ジュンイチ'],
      ['雅人', 'マサト'], ['秀人', 'ヒデト'],
    ],
    [
      ['翔太', 'ショウタ'], ['拓海', 'タクミ'], ['大輝', 'ダイキ'], ['翔', 'ショウ'], ['颯太', 'ソウタ'], ['拓真', 'タクマ'],
      ['優太', 'ユウタ'], ['陸', 'リク'], ['海斗', 'カイト'], ['翼', 'ツバサ'], ['涼', 'リョウ'], ['大樹', 'ダイキ'],
      ['駿', 'シュン'], ['勇気', 'ユウキ'], ['和樹', 'カズキ'], ['健人', 'ケント'], ['隼人', 'ハヤト'], ['拓哉', 'タクヤ'],
      ['直人', 'ナオト'], ['雄大', 'ユウダイ'], ['竜也', 'タツヤ'], ['一輝', 'カズキ'], ['優斗', 'ユウト'], ['祐介', 'ユウスケ'],
      ['航', 'ワタル'], ['亮太', 'リョウタ'],
    ],
    [
      ['蓮', 'レン'], ['陽翔', 'ハルト'], ['湊', 'ミナト'], ['悠真', 'ユウマ'], ['大翔', 'ヒロト'], ['樹', 'イツキ'],
      ['蒼', 'アオイ'], ['律', 'リツ'], ['朝陽', 'アサヒ'], ['碧', 'アオイ'], ['悠人', 'ユウト'], ['陽向', 'ヒナタ'],
      ['颯真', 'ソウマ'], ['結翔', 'ユイト'], ['新', 'アラタ'], ['奏太', 'ソウタ'], ['蒼空', 'ソラ'], ['陽太', 'ヨウタ'],
      ['悠斗', 'ユウト'], ['湊斗', 'ミナト'], ['颯', 'ハヤテ'], ['暖', 'ダン'], ['晴', 'ハル'], ['岳', 'ガク'],
      ['旭', 'アサヒ'], ['琉生', 'ルイ'],
    ],
  ],
  female: [
    [
      ['和子', 'カズコ'], ['幸子', 'サチコ'], ['節子', 'セツコ'], ['弘子', 'ヒロコ'], ['京子', 'キョウコ'], ['久子', 'ヒサコ'],
      ['美代子', 'ミヨコ'], ['敏子', 'トシコ'], ['文子', 'フミコ'], ['静子', 'シズコ'], ['千代子', 'チヨコ'], ['ハル', 'ハル'],
      ['キヨ', 'キヨ'], ['貞子', 'サダコ'], ['光子', 'ミツコ'], ['信子', 'ノブコ'], ['昭子', 'アキコ'], ['照子', 'テルコ'],
      ['芳子', 'ヨシコ'], ['英子', 'エイコ'], ['正子', 'マサコ'], ['清子', 'キヨコ'], ['富子', 'トミコ'], ['ミツ', 'ミツ'],
      ['八重子', 'ヤエコ'], ['初江', 'ハツエ'], ['澄子', 'スミコ'], ['絹子', 'キヌコ'],
    ],
    [
      ['恵子', 'ケイコ'], ['洋子', 'ヨウコ'], ['裕子', 'ユウコ'], ['美智子', 'ミチコ'], ['久美子', 'クミコ'], ['由美子', 'ユミコ'],
      ['真由美', 'マユミ'], ['明美', 'アケミ'], ['悦子', 'エツコ'], ['純子', 'ジュンコ'], ['智子', 'トモコ'], ['典子', 'ノリコ'],
      ['直美', 'ナオミ'], ['順子', 'ジュンコ'], ['陽子', 'ヨウコ'], ['淳子', 'ジュンコ'], ['千恵子', 'チエコ'], ['栄子', 'エイコ'],
      ['啓子', 'ケイコ'], ['美和子', 'ミワコ'], ['由紀子', 'ユキコ'], ['真理子', 'マリコ'], ['律子', 'リツコ'], ['文代', 'フミヨ'],
      ['孝子', 'タカコ'], ['容子', 'ヨウコ'],
    ],
    [
      ['恵', 'メグミ'], ['愛', 'アイ'], ['由美', 'ユミ'], ['恵美', 'エミ'], ['麻衣', 'マイ'], ['彩', 'アヤ'],
      ['舞', 'マイ'], ['香織', 'カオリ'], ['美穂', 'ミホ'], ['紀子', 'ノリコ'], ['朋子', 'トモコ'], ['亜希子', 'アキコ'],
      ['優子', 'ユウコ'], ['浩美', 'ヒロミ'], ['真弓', 'マユミ'], ['智美', 'トモミ'], ['奈美', 'ナミ'], ['美香', 'ミカ'],
      ['理恵', 'リエ'], ['裕美', 'ヒロミ'], ['直子', 'ナオコ'], ['沙織', 'サオリ'], ['麻美', 'アサミ'], ['綾', 'アヤ'],
      ['瞳', 'ヒトミ'], ['千尋', 'チヒロ'],
    ],
    [
      ['美咲', 'ミサキ'], ['葵', 'アオイ'], ['さくら', 'サクラ'], ['優花', 'ユウカ'], ['七海', 'ナナミ'], ['萌', 'モエ'],
      ['彩花', 'アヤカ'], ['遥', 'ハルカ'], ['菜々子', 'ナナコ'], ['沙也加', 'サヤカ'], ['明日香', 'アスカ'], ['真由', 'マユ'],
      ['彩乃', 'アヤノ'], ['愛美', 'マナミ'], ['茜', 'アカネ'], ['未来', 'ミライ'], ['美月', 'ミツキ'], ['千夏', 'チナツ'],
      ['奈々', 'ナナ'], ['杏奈', 'アンナ'], ['桃子', 'モモコ'], ['里奈', 'リナ'], ['彩香', 'アヤカ'], ['詩織', 'シオリ'],
      ['美優', 'ミユ'], ['結衣', 'ユイ'], ['陽菜', 'ヒナ'],
    ],
    [
      ['陽葵', 'ヒマリ'], ['凛', 'リン'], ['結菜', 'ユイナ'], ['芽依', 'メイ'], ['紬', 'ツムギ'], ['結愛', 'ユア'],
      ['澪', 'ミオ'], ['咲良', 'サクラ'], ['心春', 'コハル'], ['莉子', 'リコ'], ['杏', 'アン'], ['美桜', 'ミオ'],
      ['楓', 'カエデ'], ['詩', 'ウタ'], ['琴音', 'コトネ'], ['心結', 'ミユ'], ['翠', 'スイ'], ['芽生', 'メイ'],
      ['花', 'ハナ'], ['莉央', 'リオ'], ['紗良', 'サラ'], ['日葵', 'ヒマリ'], ['彩葉', 'イロハ'], ['陽菜乃', 'ヒナノ'],
      ['結月', 'ユヅキ'], ['柚葉', 'ユズハ'],
    ],
  ],
};

/**
 * 在留資格 that a foreign resident on the 住民基本台帳 can hold (入管法 別表第一・第二 and 特別永住者).
 * 短期滞在 is absent on purpose: short-term visitors are not registered as residents.
 */
export const RESIDENCE_STATUSES = [
  '教授', '芸術', '宗教', '報道', '高度専門職', '経営・管理', '法律・会計業務', '医療', '研究', '教育',
  '技術・人文知識・国際業務', '企業内転勤', '介護', '興行', '技能', '特定技能', '技能実習', '文化活動', '留学',
  '研修', '家族滞在', '特定活動', '永住者', '日本人の配偶者等', '永住者の配偶者等', '定住者', '特別永住者',
] as const;
export type ResidenceStatus = (typeof RESIDENCE_STATUSES)[number];

/** A nationality (国籍・地域 as written on the 住民票) with the names and statuses typical of it in Japan. */
export interface ForeignNationality {
  readonly nationality: string;
  /** Rough share among foreign residents (Immigration Services Agency statistics, rounded). */
  readonly weight: number;
  /** Kanji-using countries are registered with kanji names; the rest in capital Latin letters. */
  readonly script: 'kanji' | 'latin';
  /** Wives usually keep their own surname (China, Korea, Vietnam, Myanmar's no-surname naming). */
  readonly keepsSurnameOnMarriage: boolean;
  readonly surnames: readonly NameEntry[];
  readonly male: readonly NameEntry[];
  readonly female: readonly NameEntry[];
  /** 在留資格 of the household's main person, weighted. 家族滞在 comes only with a sponsor. */
  readonly statuses: Readonly<Partial<Record<ResidenceStatus, number>>>;
}

const KOREAN_SURNAMES: readonly NameEntry[] = [
  ['金', 'キム'], ['李', 'イ'], ['朴', 'パク'], ['崔', 'チェ'], ['鄭', 'チョン'], ['姜', 'カン'],
  ['趙', 'チョ'], ['尹', 'ユン'], ['張', 'チャン'], ['林', 'イム'], ['韓', 'ハン'], ['申', 'シン'],
];
const KOREAN_MALE: readonly NameEntry[] = [
  ['民俊', 'ミンジュン'], ['成浩', 'ソンホ'], ['在勲', 'ジェフン'], ['正浩', 'ジョンホ'],
  ['英哲', 'ヨンチョル'], ['東旭', 'ドンウク'], ['相哲', 'サンチョル'], ['泰植', 'テシク'],
];
const KOREAN_FEMALE: readonly NameEntry[] = [
  ['英子', 'ヨンジャ'], ['順子', 'スンジャ'], ['美英', 'ミヨン'], ['恩知', 'ウンジ'],
  ['秀妍', 'スヨン'], ['智恩', 'ジウン'], ['貞淑', 'ジョンスク'], ['瑞賢', 'ソヒョン'],
];

export const FOREIGN_NATIONALITIES: readonly ForeignNationality[] = [
  {
    nationality: '中国', weight: 24, script: 'kanji', keepsSurnameOnMarriage: true,
    surnames: [['王', 'ワン'], ['李', 'リー'], ['張', 'チャン'], ['劉', 'リュウ'], ['陳', 'チェン'], ['楊', 'ヤン'], ['趙', 'チャオ'], ['黄', 'ホアン'], ['周', 'チョウ'], ['呉', 'ウー'], ['徐', 'シュー'], ['孫', 'スン'], ['朱', 'チュー'], ['馬', 'マー'], ['胡', 'フー']],
    male: [['偉', 'ウェイ'], ['強', 'チアン'], ['磊', 'レイ'], ['軍', 'ジュン'], ['洋', 'ヤン'], ['勇', 'ヨン'], ['傑', 'ジエ'], ['涛', 'タオ'], ['明', 'ミン'], ['浩然', 'ハオラン'], ['子軒', 'ズーシュエン'], ['宇航', 'ユーハン']],
    female: [['芳', 'ファン'], ['娜', 'ナー'], ['敏', 'ミン'], ['静', 'ジン'], ['麗', 'リー'], ['艶', 'イェン'], ['秀英', 'シウイン'], ['婷', 'ティン'], ['雪', 'シュエ'], ['梓涵', 'ズーハン'], ['欣怡', 'シンイー'], ['雨涵', 'ユーハン']],
    statuses: { '永住者': 35, '技術・人文知識・国際業務': 20, '留学': 20, '技能実習': 8, '定住者': 4, '経営・管理': 4, '特定技能': 4, '技能': 3, '高度専門職': 2 },
  },
  {
    nationality: 'ベトナム', weight: 17, script: 'latin', keepsSurnameOnMarriage: true,
    surnames: [['NGUYEN', 'グエン'], ['TRAN', 'チャン'], ['LE', 'レ'], ['PHAM', 'ファム'], ['HOANG', 'ホアン'], ['HUYNH', 'フイン'], ['PHAN', 'ファン'], ['VU', 'ヴー'], ['VO', 'ヴォー'], ['DANG', 'ダン'], ['BUI', 'ブイ'], ['DO', 'ドー']],
    male: [['VAN HUNG', 'ヴァン・フン'], ['VAN NAM', 'ヴァン・ナム'], ['DUC ANH', 'ドゥック・アイン'], ['MINH TUAN', 'ミン・トゥアン'], ['QUANG HUY', 'クアン・フイ'], ['VAN THANH', 'ヴァン・タイン'], ['HOANG LONG', 'ホアン・ロン'], ['THANH TUNG', 'タイン・トゥン']],
    female: [['THI HUONG', 'ティ・フオン'], ['THI LAN', 'ティ・ラン'], ['THI MAI', 'ティ・マイ'], ['THU TRANG', 'トゥー・チャン'], ['NGOC ANH', 'ゴック・アイン'], ['THI HOA', 'ティ・ホア'], ['THANH HUYEN', 'タイン・フエン'], ['THI NGA', 'ティ・ガー']],
    statuses: { '技能実習': 40, '特定技能': 20, '留学': 15, '技術・人文知識・国際業務': 15, '永住者': 7, '定住者': 3 },
  },
  {
    nationality: '韓国', weight: 13, script: 'kanji', keepsSurnameOnMarriage: true,
    surnames: KOREAN_SURNAMES, male: KOREAN_MALE, female: KOREAN_FEMALE,
    statuses: { '特別永住者': 55, '永住者': 20, '技術・人文知識・国際業務': 12, '留学': 8, '定住者': 3, '経営・管理': 2 },
  },
  {
    nationality: 'フィリピン', weight: 9, script: 'latin', keepsSurnameOnMarriage: false,
    surnames: [['SANTOS', 'サントス'], ['REYES', 'レイエス'], ['CRUZ', 'クルス'], ['BAUTISTA', 'バウティスタ'], ['GARCIA', 'ガルシア'], ['MENDOZA', 'メンドーサ'], ['DELA CRUZ', 'デラクルス'], ['RAMOS', 'ラモス'], ['AQUINO', 'アキノ'], ['VILLANUEVA', 'ビリャヌエバ'], ['CASTILLO', 'カスティーヨ']],
    male: [['JOHN PAUL', 'ジョン・ポール'], ['MARK', 'マーク'], ['JOSE', 'ホセ'], ['MICHAEL', 'マイケル'], ['RONALDO', 'ロナルド'], ['JERICHO', 'ジェリコ']],
    female: [['MARIA CRISTINA', 'マリア・クリスティーナ'], ['JENNIFER', 'ジェニファー'], ['MARICEL', 'マリセル'], ['ROSALIE', 'ロザリー'], ['JOY', 'ジョイ'], ['MARY ANN', 'メアリー・アン'], ['LIZA', 'リザ']],
    statuses: { '永住者': 50, '定住者': 20, '技能実習': 15, '特定技能': 10, '技術・人文知識・国際業務': 5 },
  },
  {
    nationality: 'ブラジル', weight: 6.5, script: 'latin', keepsSurnameOnMarriage: false,
    surnames: [['SILVA', 'シルバ'], ['SANTOS', 'サントス'], ['OLIVEIRA', 'オリヴェイラ'], ['SOUZA', 'ソウザ'], ['PEREIRA', 'ペレイラ'], ['COSTA', 'コスタ'], ['RODRIGUES', 'ホドリゲス'], ['FERREIRA', 'フェヘイラ'], ['ALMEIDA', 'アルメイダ'], ['TANAKA', 'タナカ'], ['SUZUKI', 'スズキ'], ['YAMAMOTO', 'ヤマモト']],
    male: [['LUCAS', 'ルーカス'], ['GABRIEL', 'ガブリエル'], ['RAFAEL', 'ハファエル'], ['BRUNO', 'ブルーノ'], ['FELIPE', 'フェリペ'], ['PAULO', 'パウロ'], ['MARCOS', 'マルコス'], ['JOAO PEDRO', 'ジョアン・ペドロ']],
    female: [['ANA', 'アナ'], ['JULIANA', 'ジュリアナ'], ['FERNANDA', 'フェルナンダ'], ['CAMILA', 'カミラ'], ['LETICIA', 'レチシア'], ['MARIANA', 'マリアナ'], ['PATRICIA', 'パトリシア']],
    statuses: { '永住者': 60, '定住者': 38, '技術・人文知識・国際業務': 2 },
  },
  {
    nationality: 'ネパール', weight: 5, script: 'latin', keepsSurnameOnMarriage: false,
    surnames: [['SHRESTHA', 'シュレスタ'], ['GURUNG', 'グルン'], ['TAMANG', 'タマン'], ['RAI', 'ライ'], ['MAGAR', 'マガル'], ['THAPA', 'タパ'], ['ADHIKARI', 'アディカリ'], ['BHANDARI', 'バンダリ'], ['SHARMA', 'シャルマ']],
    male: [['RAM', 'ラム'], ['BIKASH', 'ビカス'], ['SURESH', 'スレス'], ['ROSHAN', 'ロシャン'], ['PRAKASH', 'プラカス'], ['DIPAK', 'ディパク'], ['SANTOSH', 'サントス']],
    female: [['SITA', 'シタ'], ['GITA', 'ギタ'], ['SARITA', 'サリタ'], ['ANITA', 'アニタ'], ['SUNITA', 'スニタ'], ['PRATIKSHYA', 'プラティクシャ']],
    statuses: { '留学': 30, '技術・人文知識・国際業務': 35, '技能': 25, '永住者': 5, '特定技能': 5 },
  },
  {
    nationality: 'インドネシア', weight: 4, script: 'latin', keepsSurnameOnMarriage: false,
    surnames: [['SAPUTRA', 'サプトラ'], ['WIJAYA', 'ウィジャヤ'], ['HIDAYAT', 'ヒダヤット'], ['SETIAWAN', 'セティアワン'], ['KURNIAWAN', 'クルニアワン'], ['PRATAMA', 'プラタマ'], ['LESTARI', 'レスタリ']],
    male: [['AGUS', 'アグス'], ['BUDI', 'ブディ'], ['RIZKY', 'リズキ'], ['DEDI', 'デディ'], ['EKO', 'エコ']],
    female: [['SITI', 'シティ'], ['DEWI', 'デウィ'], ['PUTRI', 'プトリ'], ['RINA', 'リナ'], ['INDAH', 'インダ']],
    statuses: { '技能実習': 45, '特定技能': 35, '留学': 10, '技術・人文知識・国際業務': 10 },
  },
  {
    nationality: 'ミャンマー', weight: 2.6, script: 'latin', keepsSurnameOnMarriage: true,
    surnames: [['AUNG', 'アウン'], ['KYAW', 'チョー'], ['HTUN', 'トゥン'], ['WIN', 'ウィン'], ['MYINT', 'ミン'], ['ZAW', 'ゾー'], ['NAING', 'ナイン'], ['HLAING', 'ライン']],
    male: [['KYAW ZIN', 'チョー・ジン'], ['MIN THU', 'ミン・トゥ'], ['ZAW MYO', 'ゾー・ミョー'], ['AUNG KO', 'アウン・コー']],
    female: [['SU SU', 'スー・スー'], ['THIDA', 'ティダ'], ['AYE AYE', 'エー・エー'], ['KHIN MAR', 'キン・マー'], ['MYAT NOE', 'ミャッ・ノー']],
    statuses: { '技能実習': 35, '特定技能': 25, '留学': 20, '技術・人文知識・国際業務': 15, '特定活動': 5 },
  },
  {
    nationality: '米国', weight: 2, script: 'latin', keepsSurnameOnMarriage: false,
    surnames: [['SMITH', 'スミス'], ['JOHNSON', 'ジョンソン'], ['WILLIAMS', 'ウィリアムズ'], ['BROWN', 'ブラウン'], ['JONES', 'ジョーンズ'], ['MILLER', 'ミラー'], ['DAVIS', 'デイビス'], ['WILSON', 'ウィルソン'], ['ANDERSON', 'アンダーソン'], ['TAYLOR', 'テイラー']],
    male: [['JAMES', 'ジェームズ'], ['MICHAEL', 'マイケル'], ['DAVID', 'デイビッド'], ['JOHN', 'ジョン'], ['ROBERT', 'ロバート'], ['DANIEL', 'ダニエル'], ['CHRISTOPHER', 'クリストファー']],
    female: [['MARY', 'メアリー'], ['JENNIFER', 'ジェニファー'], ['SARAH', 'サラ'], ['EMILY', 'エミリー'], ['JESSICA', 'ジェシカ'], ['ELIZABETH', 'エリザベス'], ['ASHLEY', 'アシュリー']],
    statuses: { '永住者': 30, '技術・人文知識・国際業務': 35, '教育': 20, '留学': 10, '経営・管理': 5 },
  },
  {
    nationality: '台湾', weight: 2, script: 'kanji', keepsSurnameOnMarriage: true,
    surnames: [['陳', 'チェン'], ['林', 'リン'], ['黄', 'ホアン'], ['張', 'チャン'], ['李', 'リー'], ['王', 'ワン'], ['呉', 'ウー'], ['劉', 'リウ'], ['蔡', 'ツァイ'], ['楊', 'ヤン']],
    male: [['家豪', 'ジャーハオ'], ['志明', 'ジーミン'], ['俊傑', 'ジュンジエ'], ['建宏', 'ジエンホン'], ['冠宇', 'グアンユー']],
    female: [['怡君', 'イージュン'], ['淑芬', 'シューフェン'], ['雅婷', 'ヤーティン'], ['美玲', 'メイリン'], ['佳穎', 'ジアイン']],
    statuses: { '永住者': 35, '技術・人文知識・国際業務': 30, '留学': 20, '経営・管理': 5, '定住者': 5, '高度専門職': 5 },
  },
  {
    nationality: 'タイ', weight: 1.8, script: 'latin', keepsSurnameOnMarriage: false,
    surnames: [['SRISUK', 'シースック'], ['WONGSAWAT', 'ウォンサワット'], ['CHAIYAPHUM', 'チャイヤプーム'], ['SAETANG', 'セータン'], ['BOONMA', 'ブンマー'], ['KAEWKHAM', 'ケーオカム']],
    male: [['SOMCHAI', 'ソムチャイ'], ['ANAN', 'アナン'], ['PRASERT', 'プラスート'], ['KITTI', 'キッティ']],
    female: [['SOMSRI', 'ソムシー'], ['NAREE', 'ナリー'], ['PORNTIP', 'ポーンティップ'], ['MALEE', 'マリー'], ['SIRIPORN', 'シリポーン']],
    statuses: { '技能実習': 35, '永住者': 30, '特定技能': 15, '留学': 10, '技術・人文知識・国際業務': 10 },
  },
  {
    nationality: 'ペルー', weight: 1.5, script: 'latin', keepsSurnameOnMarriage: false,
    surnames: [['GARCIA', 'ガルシア'], ['RODRIGUEZ', 'ロドリゲス'], ['FLORES', 'フローレス'], ['QUISPE', 'キスペ'], ['GONZALES', 'ゴンザレス'], ['HIGA', 'ヒガ'], ['TORRES', 'トーレス'], ['RAMIREZ', 'ラミレス']],
    male: [['JOSE', 'ホセ'], ['LUIS', 'ルイス'], ['CARLOS', 'カルロス'], ['JORGE', 'ホルヘ'], ['JUAN', 'フアン']],
    female: [['ROSA', 'ロサ'], ['MARIA', 'マリア'], ['CARMEN', 'カルメン'], ['LUCIA', 'ルシア'], ['ELENA', 'エレナ']],
    statuses: { '永住者': 70, '定住者': 30 },
  },
  {
    nationality: 'スリランカ', weight: 1.5, script: 'latin', keepsSurnameOnMarriage: false,
    surnames: [['PERERA', 'ペレラ'], ['FERNANDO', 'フェルナンド'], ['SILVA', 'シルバ'], ['DISSANAYAKE', 'ディサナヤケ'], ['BANDARA', 'バンダラ'], ['JAYASURIYA', 'ジャヤスリヤ']],
    male: [['KASUN', 'カスン'], ['NUWAN', 'ヌワン'], ['CHAMARA', 'チャマラ'], ['DINESH', 'ディネシュ']],
    female: [['NADEESHA', 'ナディーシャ'], ['DILANI', 'ディラニ'], ['SANDUNI', 'サンドゥニ'], ['CHATHURI', 'チャトゥリ']],
    statuses: { '留学': 35, '技術・人文知識・国際業務': 25, '特定技能': 20, '永住者': 10, '技能': 10 },
  },
  {
    nationality: 'インド', weight: 1.4, script: 'latin', keepsSurnameOnMarriage: false,
    surnames: [['SINGH', 'シン'], ['KUMAR', 'クマール'], ['SHARMA', 'シャルマ'], ['PATEL', 'パテル'], ['GUPTA', 'グプタ'], ['REDDY', 'レッディ'], ['IYER', 'アイヤー']],
    male: [['RAHUL', 'ラフル'], ['AMIT', 'アミット'], ['VIKRAM', 'ヴィクラム'], ['ARJUN', 'アルジュン'], ['SANJAY', 'サンジェイ']],
    female: [['PRIYA', 'プリヤ'], ['ANJALI', 'アンジャリ'], ['DEEPA', 'ディーパ'], ['NEHA', 'ネハ'], ['KAVYA', 'カヴィヤ']],
    statuses: { '技術・人文知識・国際業務': 50, '技能': 15, '永住者': 20, '経営・管理': 10, '留学': 5 },
  },
  {
    nationality: '朝鮮', weight: 0.7, script: 'kanji', keepsSurnameOnMarriage: true,
    surnames: KOREAN_SURNAMES, male: KOREAN_MALE, female: KOREAN_FEMALE,
    statuses: { '特別永住者': 100 },
  },
  {
    nationality: '英国', weight: 0.6, script: 'latin', keepsSurnameOnMarriage: false,
    surnames: [['SMITH', 'スミス'], ['JONES', 'ジョーンズ'], ['TAYLOR', 'テイラー'], ['BROWN', 'ブラウン'], ['WILLIAMS', 'ウィリアムズ'], ['WILSON', 'ウィルソン'], ['EVANS', 'エバンズ'], ['THOMAS', 'トーマス']],
    male: [['OLIVER', 'オリバー'], ['GEORGE', 'ジョージ'], ['HARRY', 'ハリー'], ['JACK', 'ジャック'], ['WILLIAM', 'ウィリアム']],
    female: [['OLIVIA', 'オリビア'], ['EMMA', 'エマ'], ['CHARLOTTE', 'シャーロット'], ['SOPHIE', 'ソフィー'], ['LUCY', 'ルーシー']],
    statuses: { '永住者': 30, '技術・人文知識・国際業務': 30, '教育': 30, '経営・管理': 10 },
  },
];

/** Japanese-style surnames used as 通称 by 特別永住者 (and some spouses of Japanese nationals). */
export const ALIAS_SURNAMES: readonly string[] = ['金本', '金田', '金山', '新井', '松本', '安田', '木村', '岩本', '大山', '宮本', '平山', '国本', '星山', '高山'];

/** Nationalities of foreign spouses in Japanese households, weighted (国際結婚 statistics, rounded). */
export const SPOUSE_NATIONALITY_WEIGHTS: Readonly<Record<string, number>> = {
  '中国': 35, 'フィリピン': 30, '韓国': 15, 'タイ': 8, 'ベトナム': 7, 'ブラジル': 5,
};

const SURNAME_TOTALS = cumulative(SURNAMES.map((s) => s[2]));
const NATIONALITY_TOTALS = cumulative(FOREIGN_NATIONALITIES.map((n) => n.weight));

/** A Japanese surname, weighted by commonness. */
export function pickSurname(prng: Prng): NameEntry {
  const [name, kana] = prng.weighted(SURNAMES, SURNAME_TOTALS);
  return [name, kana];
}

/**
 * A Japanese given name fashionable in the person's birth year; one in five comes from a
 * neighbouring generation so the cohorts blur as they do in life.
 */
export function pickGivenName(prng: Prng, sex: Sex, birthYear: number): NameEntry {
  let generation = 0;
  NAME_GENERATION_START_YEARS.forEach((start, i) => { if (birthYear >= start) generation = i; });
  if (prng.chance(0.2)) generation += prng.chance(0.5) ? -1 : 1;
  const lists = GIVEN_NAMES[sex];
  const list = lists[Math.max(0, Math.min(lists.length - 1, generation))] as readonly NameEntry[];
  return prng.pick(list);
}

/** A foreign nationality, weighted by its share among foreign residents. */
export function pickNationality(prng: Prng): ForeignNationality {
  return prng.weighted(FOREIGN_NATIONALITIES, NATIONALITY_TOTALS);
}

/** The nationality record of a 国籍・地域 name (throws for names not in the table). */
export function nationalityNamed(name: string): ForeignNationality {
  const found = FOREIGN_NATIONALITIES.find((n) => n.nationality === name);
  if (!found) throw new RangeError(`unknown nationality ${name}`);
  return found;
}
