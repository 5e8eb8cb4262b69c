// Images the 券面AP holds: 氏名・住所・セキュリティコード・個人番号 as rendered text, and a synthetic face photo for demo residents.
import { createRequire } from 'node:module';
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';

const FONT = 'NotoSansJP-card';
let fontLoaded = false;

/** Noto Sans JP from the npm registry (@expo-google-fonts/noto-sans-jp): the card face needs JIS X 0208 kanji. */
function ensureFont(): void {
  if (fontLoaded) return;
  const path = createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf');
  GlobalFonts.registerFromPath(path, FONT);
  fontLoaded = true;
}

/**
 * One line of text as a black-on-white PNG, sized to the text (as the card stores 氏名 and 住所
 * images, which keep the exact glyphs of the 住民票 where text data could not).
 */
export function renderTextImage(text: string, fontPx = 28): Uint8Array {
  ensureFont();
  const probe = createCanvas(1, 1).getContext('2d');
  probe.font = `${fontPx}px ${FONT}`;
  const width = Math.max(1, Math.ceil(probe.measureText(text).width) + 8);
  const height = Math.ceil(fontPx * 1.5);
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, width, height);
  g.fillStyle = '#000000';
  g.font = `${fontPx}px ${FONT}`;
  g.textBaseline = 'middle';
  g.fillText(text, 4, height / 2);
  return new Uint8Array(canvas.toBuffer('image/png'));
}

/**
 * A synthetic portrait (a silhouette with a seeded background tint) for demo residents, who have
 * no photo: only synthetic people, ever. The same size as chipPortrait's output.
 */
export function syntheticPortrait(seed: string): Uint8Array {
  let hash = 0;
  for (const ch of seed) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const { width, height } = PORTRAIT;
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  g.fillStyle = `hsl(${hash % 360}, 25%, 85%)`;
  g.fillRect(0, 0, width, height);
  g.fillStyle = '#5a5a5a';
  g.beginPath();
  g.arc(width / 2, height * 0.39, width * 0.23, 0, Math.PI * 2);
  g.fill();
  g.beginPath();
  g.ellipse(width / 2, height, width * 0.43, height * 0.39, 0, Math.PI, 0);
  g.fill();
  return new Uint8Array(canvas.toBuffer('image/jpeg', 85));
}

/** The portrait's size on the chip: the 券面AP's file must stay within READ BINARY's 15-bit offsets (32 KB). */
const PORTRAIT = { width: 240, height: 309 } as const;

/**
 * The application photo as the chip stores it: cropped to the card's portrait ratio, scaled to
 * 240×309 and re-encoded as JPEG (the real card uses JPEG 2000, which has no maintained encoder on npm).
 */
export async function chipPortrait(photo: Uint8Array): Promise<Uint8Array> {
  const source = await loadImage(Buffer.from(photo));
  const scale = Math.max(PORTRAIT.width / source.width, PORTRAIT.height / source.height);
  const canvas = createCanvas(PORTRAIT.width, PORTRAIT.height);
  const g = canvas.getContext('2d');
  const w = source.width * scale;
  const h = source.height * scale;
  g.drawImage(source, (PORTRAIT.width - w) / 2, (PORTRAIT.height - h) / 2, w, h);
  return new Uint8Array(canvas.toBuffer('image/jpeg', 80));
}
