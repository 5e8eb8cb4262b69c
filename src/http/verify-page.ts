// The public page /verify: anyone who received a printed certificate checks the PDF (genuine / altered / unknown) in the browser.

/** Plain HTML and a few lines of script: no build step, works without the kiosk's React bundle. */
export const VERIFY_PAGE = `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>証明書の真正性の確認 | myna-platform</title>
<style>
  body { font-family: "Noto Sans JP", sans-serif; font-size: 18px; line-height: 1.7; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1c; }
  h1 { font-size: 1.6rem; }
  label { display: block; font-weight: bold; margin: 1.5rem 0 .5rem; }
  input[type=file] { font-size: 1rem; }
  button { font-size: 1.1rem; padding: .6rem 1.6rem; margin-top: 1rem; border-radius: 6px; border: 2px solid #0017c1; background: #0017c1; color: #fff; cursor: pointer; }
  button:focus-visible, input:focus-visible { outline: 4px solid #ffd43d; outline-offset: 2px; }
  #result { margin-top: 1.5rem; padding: 1rem 1.25rem; border-radius: 8px; border: 2px solid #767676; display: none; }
  #result.genuine { display: block; border-color: #197a4b; background: #e6f5ec; }
  #result.altered { display: block; border-color: #ec0000; background: #fdeeee; }
  #result.unknown { display: block; border-color: #b78f00; background: #fff8e0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
  dt { font-weight: bold; }
</style>
</head>
<body>
<main>
<h1>証明書の真正性の確認</h1>
<p>コンビニ交付などで発行された証明書のPDFが、市区町村が発行したものから改ざんされていないかを確認します。ファイルはこの確認のためだけに送信され、保存されません。</p>
<form id="form">
  <label for="file">証明書のPDFファイル</label>
  <input id="file" name="file" type="file" accept="application/pdf" required>
  <div><button type="submit">確認する</button></div>
</form>
<section id="result" role="status" aria-live="polite"></section>
</main>
<script>
const TEXT = {
  genuine: '本物です。市区町村が発行した証明書で、発行後に変更されていません。',
  altered: '改ざんされています。発行後に内容が変更されたか、署名が壊れています。',
  unknown: '確認できません。このシステムで発行された証明書ではないか、署名がありません。',
};
const KINDS = { juminhyo: '住民票の写し', juminhyo_kisai_jiko: '住民票記載事項証明書', inkan: '印鑑登録証明書', tax: '所得・課税証明書', koseki: '戸籍証明書', koseki_fuhyo: '戸籍の附票の写し' };
const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
document.getElementById('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = document.getElementById('file').files[0];
  const box = document.getElementById('result');
  box.className = '';
  box.textContent = '確認しています…';
  box.style.display = 'block';
  try {
    const response = await fetch('/issuance/v1/verifications', { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: file });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.title || '確認できませんでした');
    box.style.display = '';
    box.className = answer.result;
    const facts = [['発行番号', answer.serialNumber], ['証明書', KINDS[answer.kind] || answer.kind], ['発行団体コード', answer.lgCode], ['発行日時', answer.issuedAt], ['署名者', answer.signer]].filter(([, v]) => v);
    box.innerHTML = '<p><strong data-result="' + answer.result + '">' + escape(TEXT[answer.result]) + '</strong></p><p>' + escape(answer.reason || '') + '</p>'
      + (facts.length ? '<dl>' + facts.map(([k, v]) => '<dt>' + escape(k) + '</dt><dd>' + escape(v) + '</dd>').join('') + '</dl>' : '');
  } catch (error) {
    box.className = 'unknown';
    box.textContent = error.message;
  }
});
</script>
</body>
</html>
`;
